//! The whole-column value decisions of a load: which columns give evidence, what each row adds,
//! and the choice made from it (see [`crate::ingest::values::evidence`]).
//!
//! In a two-pass load every row adds to a [`ValueScan`] in the first pass and the second pass reads
//! with the [`ValueChoice`]; a one-time stream decides from the rows it buffers before reading.

use crate::clean::rows::AttributeKind;
use crate::error::Error;
use crate::ingest::roles::{ColumnMap, Role, Shape};
use crate::ingest::values::evidence::{
    decide_dates, decide_decimal, decide_ids, DateEvidence, IdEvidence, NumberEvidence,
};
use crate::ingest::values::format::DateFormat;
use crate::ingest::values::{DateParser, NumberParser};
use crate::ingest::{Decision, InputOptions};

/// At most this many extra columns are kept per customer (memory follows customers × columns).
pub const MAX_ATTRIBUTES: usize = 64;

/// The columns whose values decide how values are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceColumns {
    dates: Vec<usize>,
    amounts: Vec<usize>,
    id: Option<usize>,
    /// Extra columns (no role, a name), in header order.
    pub attributes: Vec<usize>,
    /// Role columns whose values are checked against the role: (index into `map.roles`,
    /// column, whether a date is expected).
    checked: Vec<(usize, usize, bool)>,
}

impl EvidenceColumns {
    /// The columns of `map` for input of `shape`.
    pub fn of(map: &ColumnMap, shape: Shape) -> Self {
        let present =
            |roles: &[Role]| -> Vec<usize> { roles.iter().filter_map(|r| map.index(*r)).collect() };
        let dates = if shape == Shape::Customers {
            present(&[Role::LastPurchase, Role::FirstPurchase])
        } else {
            present(&[Role::Date])
        };
        let amounts = match shape {
            Shape::Customers => present(&[Role::TotalSpend, Role::Amount])
                .into_iter()
                .take(1)
                .collect(),
            Shape::Transactions if map.index(Role::Amount).is_some() => present(&[Role::Amount]),
            Shape::Transactions => present(&[Role::Quantity, Role::UnitPrice]),
        };
        let attributes = (0..map.header.len())
            .filter(|&i| map.roles.iter().all(|m| m.index != i) && !map.name(i).trim().is_empty())
            .take(MAX_ATTRIBUTES)
            .collect();
        let checked = map
            .roles
            .iter()
            .enumerate()
            .filter_map(|(k, m)| match m.role {
                Role::Date | Role::LastPurchase | Role::FirstPurchase => Some((k, m.index, true)),
                Role::Amount
                | Role::Quantity
                | Role::UnitPrice
                | Role::Orders
                | Role::TotalSpend
                | Role::Recency => Some((k, m.index, false)),
                Role::CustomerId | Role::OrderId | Role::Region => None,
            })
            .collect();
        EvidenceColumns {
            dates,
            amounts,
            id: map.index(Role::CustomerId),
            attributes,
            checked,
        }
    }
}

/// Evidence collected over rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueScan {
    dates: DateEvidence,
    amounts: NumberEvidence,
    ids: IdEvidence,
    attributes: Vec<NumberEvidence>,
    /// Per checked role column: non-empty values, values that read as the role expects under
    /// some reading (either day/month order, either separator), plain numbers a date column
    /// could hold as Excel serials.
    fits: Vec<FitCount>,
    /// Rows counted.
    pub rows: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct FitCount {
    values: u64,
    readable: u64,
    serials: u64,
}

impl ValueScan {
    /// Adds one row's cells (`format`: the recipe's date pattern, which alone reads dates then).
    pub fn add(&mut self, cols: &EvidenceColumns, fields: &[&str], format: Option<&DateFormat>) {
        self.rows += 1;
        let cell = |i: usize| fields.get(i).copied().unwrap_or("");
        if self.fits.len() < cols.checked.len() {
            self.fits.resize(cols.checked.len(), FitCount::default());
        }
        for (fit, &(_, i, date)) in self.fits.iter_mut().zip(&cols.checked) {
            let v = cell(i).trim();
            if v.is_empty() {
                continue;
            }
            fit.values += 1;
            if date {
                match format {
                    Some(f) => fit.readable += u64::from(f.parse(v).is_some()),
                    None => {
                        let dmy = DateParser::default();
                        let mdy = DateParser {
                            order: crate::ingest::values::DateOrder::Mdy,
                            ..DateParser::default()
                        };
                        if dmy.parse(v).is_some() || mdy.parse(v).is_some() {
                            fit.readable += 1;
                        } else if crate::ingest::values::excel_serial_day(
                            v.parse::<f64>().unwrap_or(0.0),
                        )
                        .is_some()
                        {
                            fit.serials += 1;
                        }
                    }
                }
            } else {
                let comma = NumberParser {
                    decimal_comma: true,
                };
                if NumberParser::default().parse(v).is_some() || comma.parse(v).is_some() {
                    fit.readable += 1;
                }
            }
        }
        for &i in &cols.dates {
            self.dates.add(cell(i));
        }
        for &i in &cols.amounts {
            self.amounts.add(cell(i));
        }
        if let Some(i) = cols.id {
            self.ids.add(cell(i));
        }
        if self.attributes.len() < cols.attributes.len() {
            self.attributes
                .resize(cols.attributes.len(), NumberEvidence::default());
        }
        for (ev, &i) in self.attributes.iter_mut().zip(&cols.attributes) {
            ev.add_attribute(cell(i));
        }
    }
}

/// How the values of a load are read, with the decisions behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueChoice {
    /// The date column(s).
    pub dates: DateParser,
    /// The amount column(s).
    pub numbers: NumberParser,
    /// Extra columns: index, kind, parser.
    pub attributes: Vec<(usize, AttributeKind, NumberParser)>,
    /// `12346.0` is read as the id `12346`.
    pub integer_ids: bool,
    /// `dateOrder`, `decimalSeparator`, `customerIds` (and `excelSerialDates`, `dateFormat`).
    pub decisions: Vec<Decision>,
    /// The first decision the values could not settle, for a run that has seen every row.
    pub undecided: Option<Error>,
    /// Share of each checked role column's non-empty values that read as the role expects:
    /// (index into `map.roles`, share rounded to 0.01).
    pub fits: Vec<(usize, f64)>,
    /// Rows the evidence came from.
    pub rows: u64,
}

/// Decides from `scan` (see [`crate::ingest::values::evidence`] for each rule).
pub fn decide(
    map: &ColumnMap,
    cols: &EvidenceColumns,
    scan: &ValueScan,
    input: &InputOptions,
    format: Option<&DateFormat>,
) -> ValueChoice {
    let names = |idx: &[usize]| -> String {
        idx.iter()
            .map(|&i| map.name(i))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let mut decisions = Vec::new();
    let mut undecided = None;
    let mut dates = DateParser {
        format: format.cloned(),
        ..DateParser::default()
    };
    if !cols.dates.is_empty() {
        let c = decide_dates(&scan.dates, input.date_order, format, &names(&cols.dates));
        dates = c.parser;
        decisions.extend(c.decisions);
        undecided = undecided.or(c.undecided);
    }
    let mut numbers = NumberParser::default();
    if !cols.amounts.is_empty() {
        let c = decide_decimal(
            &scan.amounts,
            input.decimal_separator,
            &names(&cols.amounts),
        );
        numbers = c.parser;
        decisions.push(c.decision);
        undecided = undecided.or(c.undecided);
    }
    let mut integer_ids = false;
    if let Some(i) = cols.id {
        let (strip, d) = decide_ids(&scan.ids, input.customer_ids, map.name(i));
        integer_ids = strip;
        decisions.push(d);
    }
    let attributes = cols
        .attributes
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let ev = scan.attributes.get(k).cloned().unwrap_or_default();
            // Attributes do not move RFM figures: an unsettled separator reads a point, quietly.
            let parser = decide_decimal(&ev, None, map.name(i)).parser;
            let kind = if ev.values > 0 && ev.numeric * 10 >= ev.values * 9 {
                AttributeKind::Numeric
            } else {
                AttributeKind::Categorical
            };
            (i, kind, parser)
        })
        .collect();
    let fits = cols
        .checked
        .iter()
        .zip(&scan.fits)
        .filter(|(_, f)| f.values > 0)
        .map(|(&(k, _, date), f)| {
            let serials = if date && dates.excel_serial {
                f.serials
            } else {
                0
            };
            #[allow(clippy::cast_precision_loss)]
            let share = (f.readable + serials) as f64 / f.values as f64;
            (k, (share * 100.0).round() / 100.0)
        })
        .collect();
    ValueChoice {
        fits,
        dates,
        numbers,
        attributes,
        integer_ids,
        decisions,
        undecided,
        rows: scan.rows,
    }
}
