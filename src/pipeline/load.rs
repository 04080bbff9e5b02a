//! The [`Loader`] state machine: one or two passes of pushed chunks, then [`Loader::finish`].

use super::sink::LoadSink;
use super::{Dataset, Progress, SAMPLE_ROWS};
use crate::config::AsPlan;
use crate::error::{Error, Result};
use crate::features::Customers;
use crate::ingest::roles::ColumnMap;
use crate::ingest::values::{date_of, day_of};
use crate::ingest::Ingestor;
use crate::report::InputReport;
use crate::warning::Warning;

/// Push-based loader: `push` chunks of the file, then `finish` to get the [`Dataset`].
///
/// A loader made by [`Loader::two_pass`] reads the input twice: push every chunk, call
/// [`Loader::end_first_pass`], push every chunk again, then `finish`. The first pass counts the
/// evidence of every row (day/month order, decimal separator, float-written ids, attribute kinds,
/// duplicates, the outlier threshold); `end_first_pass` decides from it, or refuses when the whole
/// input cannot settle the date order or decimal separator; the second pass reads with those
/// decisions. A one-pass loader ([`Loader::new`], for a stream that can be read once) decides
/// from its first 500 rows and says so in a warning.
pub struct Loader {
    ingestor: Ingestor,
    sink: LoadSink,
    passes: u8,
}

impl Loader {
    /// Creates a one-pass loader (for input that can be read only once) for a checked recipe
    /// ([`crate::Recipe::check`]); a bare [`crate::Recipe`] is checked here (see [`AsPlan`]).
    pub fn new(recipe: &impl AsPlan) -> Result<Loader> {
        let plan = recipe.as_plan()?;
        Ok(Loader {
            ingestor: Ingestor::new(plan.input().clone()),
            sink: LoadSink {
                recipe: plan.recipe().clone(),
                ..LoadSink::default()
            },
            passes: 1,
        })
    }

    /// Creates a loader that reads the input twice (see [`Loader`]): every reading decision is
    /// made from the whole input. `size` is the input's length in bytes when known: it sizes the
    /// first pass's duplicate filter.
    pub fn two_pass(recipe: &impl AsPlan, size: Option<u64>) -> Result<Loader> {
        let mut loader = Loader::new(recipe)?;
        loader.passes = 2;
        loader.sink.first_pass = true;
        loader.sink.size_hint = size;
        Ok(loader)
    }

    /// How many times the input must be pushed: 1, or 2 with [`Loader::end_first_pass`] between.
    pub fn passes(&self) -> u8 {
        self.passes
    }

    /// True while the first of two passes runs.
    pub fn in_first_pass(&self) -> bool {
        self.sink.first_pass
    }

    /// Ends the first pass and makes the value decisions from every row: push the whole input
    /// again next, then `finish`. Refuses ([`Error::Ambiguous`], codes `ambiguous_dates`,
    /// `ambiguous_decimal`) when the input cannot settle the date order or decimal separator.
    pub fn end_first_pass(&mut self) -> Result<()> {
        if !self.sink.first_pass {
            return Err(Error::InvalidState(
                "end_first_pass: this load is not in its first pass".into(),
            ));
        }
        self.ingestor.finish(&mut self.sink)?;
        self.sink.try_decide(true)?;
        if self.sink.cleaner.is_none() && !self.sink.sample.is_empty() {
            self.sink.start(true)?;
        }
        let found = match (self.sink.cleaner.as_ref(), self.sink.prescanner.take()) {
            (Some(cleaner), Some(scan)) => Some(cleaner.finish_prescan(scan)?),
            _ => None,
        };
        let recipe = std::mem::take(&mut self.sink.recipe);
        self.ingestor = Ingestor::new(recipe.input.clone());
        self.sink = LoadSink {
            recipe,
            found,
            ..LoadSink::default()
        };
        Ok(())
    }

    /// Feeds the next chunk of bytes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Progress> {
        self.ingestor.push(chunk, &mut self.sink)?;
        Ok(self.progress())
    }

    /// Progress so far.
    pub fn progress(&self) -> Progress {
        Progress {
            bytes: self.ingestor.bytes_seen(),
            rows: self.sink.rows_read(),
            customers: self.sink.agg.customers(),
            pass: if self.passes == 2 && !self.sink.first_pass {
                2
            } else {
                1
            },
            passes: self.passes,
        }
    }

    /// Ends the input and aggregates the customers.
    pub fn finish(mut self) -> Result<Dataset> {
        if self.sink.first_pass {
            return Err(Error::InvalidState(
                "finish during the first pass: call end_first_pass and push the input again".into(),
            ));
        }
        self.ingestor.finish(&mut self.sink)?;
        self.sink.try_decide(true)?;
        let detected = self.ingestor.detected().cloned();
        let mut sink = self.sink;
        if sink.header.is_none() {
            return Err(Error::EmptyInput);
        }
        if sink.cleaner.is_none() {
            if sink.sample.is_empty() {
                // A header that cannot work says so before "no rows" does.
                if let Some(header) = &sink.header {
                    ColumnMap::infer(header, &sink.recipe.input.columns)?;
                }
                return Err(Error::NoDataRows);
            }
            sink.start(true)?;
        }
        let Some(cleaner) = sink.cleaner else {
            return Err(Error::NoDataRows);
        };
        let mut accounting = cleaner.accounting.clone();
        if accounting.rows_used == 0 {
            return Err(Error::NoUsableRows {
                rows_read: accounting.rows_read,
                top_reason: accounting.top_reason(),
            });
        }
        if sink.agg.latest_day().is_none() && sink.recipe.as_of.is_none() {
            return Err(Error::AsOfRequired);
        }
        let mut warnings = Vec::new();
        if sink.streamed {
            warnings.push(Warning::one_pass_stream(SAMPLE_ROWS));
        }
        if let Some(r) = accounting.rows_rejected.get("unclosed_quote") {
            let first = match (r.rows.first(), r.lines.first()) {
                (Some(row), Some(line)) => Some((*row, *line)),
                _ => None,
            };
            warnings.push(Warning::unclosed_quote(r.count, first));
        }
        if sink.headerless {
            warnings.push(Warning::headerless());
        }
        for m in &cleaner.map().roles {
            if let Some(fit) = m.value_fit.filter(|f| *f < 0.5) {
                warnings.push(Warning::weak_role_fit(
                    &m.column,
                    m.role.label(),
                    &m.source,
                    fit,
                ));
            }
        }
        let mut decisions: Vec<crate::ingest::Decision> = detected
            .as_ref()
            .map(|d| d.decisions.clone())
            .unwrap_or_default();
        decisions.extend(sink.header_decision.take());
        decisions.extend(cleaner.map().decisions());
        decisions.extend(cleaner.decisions());
        if cleaner.shape == crate::ingest::roles::Shape::Transactions {
            decisions.push(cleaner.duplicates_decision());
        }
        let as_of = sink.recipe.as_of.map(day_of);
        // Sealing frees the orders: the CLV models need their values, so take them first.
        let purchases = sink
            .recipe
            .clv
            .enabled
            .then(|| super::clv::purchases(&sink.agg));
        sink.agg.seal();
        let customers = sink.agg.finish(as_of);
        let id_variants = accounting.flag_id_variants(&customers.ids);
        if let Some(w) = &id_variants {
            // Shown beside the id decision, where the user decides what an id is.
            let w = w.clone();
            match decisions.iter_mut().find(|d| d.code == "customerIds") {
                Some(d) => d.warning = Some(w),
                None => decisions.push(
                    crate::ingest::Decision::new(
                        "customerIds",
                        "asWritten",
                        crate::ingest::Basis::File,
                        "ids compared as written",
                        "input.customerIds",
                    )
                    .because("ids_as_written", [])
                    .warn(w),
                ),
            }
        }
        // Each decision warning has its own code and params; the report lists them again.
        warnings.extend(decisions.iter().filter_map(|d| d.warning.clone()));
        Ok(Dataset {
            input: InputReport {
                detected,
                columns: cleaner.map().roles.clone(),
                header: cleaner.map().header.clone(),
                dates: cleaner.dates.clone(),
                numbers: cleaner.numbers,
                date_range: date_range(&customers),
                shape: cleaner.shape,
                decisions,
            },
            accounting,
            agg: sink.agg,
            customers,
            load_as_of: as_of,
            warnings,
            cluster_cache: Default::default(),
            purchases,
            clv_cache: Default::default(),
        })
    }
}

fn date_range(c: &Customers) -> Option<[String; 2]> {
    let first = c.first_day.iter().min()?;
    let last = c.last_day.iter().max()?;
    Some([date_of(*first).to_string(), date_of(*last).to_string()])
}
