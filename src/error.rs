//! The one error type of tierlens.
//!
//! Every variant has a stable machine-readable [`Error::code`] (used by the CLI, the JS `Error.code`
//! property and tests) and, where the problem sits at a place in the input, a row number and a column
//! name. Row-level problems that do not stop the run are not errors: they are rejections counted in the
//! report (see [`crate::clean`]). An `Error` means the run as a whole cannot go on.

mod codes;
mod place;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop a tierlens run.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The input had no bytes, or only white space.
    #[error("the input is empty")]
    EmptyInput,

    /// The input does not look like any format tierlens reads (e.g. an image renamed to .csv).
    #[error("unsupported input: {0}")]
    UnsupportedFormat(String),

    /// A header row was read but no data rows followed it.
    #[error("the input has a header but no data rows")]
    NoDataRows,

    /// A column that the run needs could not be found in the header.
    #[error(
        "missing required column: {role} (looked for a header such as {looked_for}; found {found})"
    )]
    MissingColumn {
        /// The role that has no column (e.g. `customer id`).
        role: String,
        /// A few of the header names that would have been accepted.
        looked_for: String,
        /// The header names that were present.
        found: String,
    },

    /// A column named in the recipe (a role override) is not in the header.
    #[error("the recipe names column {column:?} for {role}, but the input has no such column")]
    UnknownColumn {
        /// The role the recipe tried to assign.
        role: String,
        /// The column name given.
        column: String,
    },

    /// A single input row makes the whole input unreadable (e.g. malformed quoting at the end of file).
    #[error("row {row}{}: {message}", column.as_ref().map(|c| format!(", column {c:?}")).unwrap_or_default())]
    BadRow {
        /// 1-based row number as a spreadsheet shows it (the header is row 1).
        row: u64,
        /// Column name, where one is involved.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },

    /// Every data row was rejected, so there is nothing to analyse.
    #[error("no usable rows: all {rows_read} data rows were rejected (most often: {top_reason})")]
    NoUsableRows {
        /// Data rows read.
        rows_read: u64,
        /// The most frequent rejection reason, with its first row number.
        top_reason: String,
    },

    /// A recipe setting is invalid. The settings of scoring, segments, tiers, lifecycle, custom
    /// tiers, codes, actions and `asOf` have their own variants below; this catch-all remains for
    /// the input, cleaning, clustering and explanation settings.
    #[error("invalid recipe: {field}: {message}")]
    InvalidRecipe {
        /// Dotted path of the offending setting, e.g. `score.bins`.
        field: String,
        /// What is wrong with it.
        message: String,
    },

    /// A rule expression in the recipe cannot be parsed or checked (e.g. `customTiers.rules[0].when`).
    #[error("invalid expression in {field} at column {column}: {message}")]
    InvalidExpression {
        /// Dotted path of the setting that holds the expression.
        field: String,
        /// 1-based character position in the expression where the problem is.
        column: usize,
        /// What is wrong there.
        message: String,
    },

    // --- Recipe settings, one variant per field (helper `plan`). The `field` of each is the
    // recipe path the page shows the message beside; the English text keeps the
    // `invalid recipe: FIELD: …` form of the old catch-all, so CLI output did not change.
    /// `score.bins` is not 3, 4 or 5.
    #[error("invalid recipe: score.bins: {bins} bins: use 3, 4 or 5")]
    ScoreBins {
        /// The number given.
        bins: u8,
    },

    /// `score.cuts.<metric>` has not N − 1 cut points for N bins.
    #[error("invalid recipe: score.cuts.{metric}: {given} cut points given; {bins} bins need {}", bins.saturating_sub(1))]
    CutCount {
        /// `recency`, `frequency` or `monetary`.
        metric: &'static str,
        /// Cut points given.
        given: usize,
        /// `score.bins`.
        bins: u8,
    },

    /// `score.cuts.<metric>` is not finite and strictly ascending.
    #[error(
        "invalid recipe: score.cuts.{metric}: cut points must be finite and strictly ascending"
    )]
    CutOrder {
        /// `recency`, `frequency` or `monetary`.
        metric: &'static str,
    },

    /// `segments.preset` names no preset of this build.
    #[error("invalid recipe: segments.preset: unknown preset {name:?}; known presets: {known}")]
    SegmentPreset {
        /// The name given.
        name: String,
        /// The presets this build knows, comma-separated.
        known: String,
    },

    /// The segment rule set is written for another number of bins than `score.bins`.
    #[error("invalid recipe: segments: rule set {rule_set:?} is written for {rule_bins} bins but score.bins is {score_bins}")]
    SegmentBinsMismatch {
        /// Name of the rule set.
        rule_set: String,
        /// Bins the rules are written for.
        rule_bins: u8,
        /// `score.bins`.
        score_bins: u8,
    },

    /// A user rule set's `bins` is outside 2..=10.
    #[error("invalid recipe: segments.bins: must be between 2 and 10")]
    SegmentRuleBins {
        /// The number given.
        bins: u8,
    },

    /// A segment rule's score range lies outside 1..=bins or is reversed.
    #[error(
        "invalid recipe: {field}: range [{lo}, {hi}] must lie within 1..={bins} with low ≤ high"
    )]
    SegmentRange {
        /// `segments.rules[i].r` (or `.f`, `.m`, `.fm`).
        field: String,
        /// Low end given.
        lo: u8,
        /// High end given.
        hi: u8,
        /// Bins of the rule set.
        bins: u8,
    },

    /// A segment rule has an empty segment name.
    #[error("invalid recipe: {field}: segment name is empty")]
    SegmentName {
        /// `segments.rules[i].segment`.
        field: String,
    },

    /// `segments.table.rows` has fewer than 2 or more than 10 rows.
    #[error(
        "invalid recipe: segments.table.rows: {rows} rows: a table needs 2 to 10 (one per R score)"
    )]
    SegmentTableRows {
        /// Rows given.
        rows: usize,
    },

    /// A row of `segments.table.rows` has not one cell per column.
    #[error("invalid recipe: segments.table.rows: row {row} has {cells} cells; a {bins}×{bins} grid needs {bins}")]
    SegmentTableRow {
        /// 1-based row of the table.
        row: usize,
        /// Cells in it.
        cells: usize,
        /// Rows (and so columns) of the table.
        bins: usize,
    },

    /// `valueTiers.preset` names no tier preset of this build.
    #[error("invalid recipe: valueTiers.preset: unknown tier preset {name:?}; known: {known}")]
    TierPreset {
        /// The name given.
        name: String,
        /// The tier presets this build knows, comma-separated.
        known: String,
    },

    /// `valueTiers.bands` is empty.
    #[error("invalid recipe: valueTiers.bands: at least one band needed")]
    TierBandsEmpty,

    /// A band's percent is not a positive number.
    #[error("invalid recipe: {field}: must be a positive number")]
    TierPercent {
        /// `valueTiers.bands[i].percent`.
        field: String,
    },

    /// A value tier name is empty (a band's or `valueTiers.zeroSpend`).
    #[error("invalid recipe: {field}: tier name is empty")]
    TierNameEmpty {
        /// `valueTiers.bands[i].name` or `valueTiers.zeroSpend`.
        field: String,
    },

    /// Two value tiers share a name.
    #[error("invalid recipe: {field}: tier name {name:?} is used twice")]
    TierNameTwice {
        /// `valueTiers.bands[i].name`.
        field: String,
        /// The name.
        name: String,
    },

    /// The band percentages do not sum to 100.
    #[error("invalid recipe: valueTiers.bands: percentages sum to {total}, not 100")]
    TierTotal {
        /// Their sum.
        total: f64,
    },

    /// `valueTiers.paretoPercent` is outside (0, 100].
    #[error("invalid recipe: valueTiers.paretoPercent: must be in (0, 100]")]
    ParetoPercent {
        /// The value given.
        percent: f64,
    },

    /// A lifecycle threshold is negative.
    #[error("invalid recipe: {field}: days cannot be negative")]
    NegativeDays {
        /// `lifecycle.newDays`, `.activeDays`, `.dueDays` or `.lapsingDays`.
        field: &'static str,
        /// The days given.
        days: i32,
    },

    /// The lifecycle thresholds decrease.
    #[error("invalid recipe: lifecycle: thresholds must not decrease: activeDays {active} ≤ dueDays {due} ≤ lapsingDays {lapsing}")]
    LifecycleOrder {
        /// `lifecycle.activeDays`.
        active: i32,
        /// `lifecycle.dueDays`.
        due: i32,
        /// `lifecycle.lapsingDays`.
        lapsing: i32,
    },

    /// A custom tier rule has an empty tier name.
    #[error("invalid recipe: {field}: tier name is empty")]
    CustomTierName {
        /// `customTiers.rules[i].tier`.
        field: String,
    },

    /// `codes.template` cannot be parsed (an unknown placeholder, not exactly one `{seq}`, too long).
    #[error("invalid expression in codes.template at column {column}: {message}")]
    CodeTemplate {
        /// 1-based character position in the template.
        column: usize,
        /// What is wrong there.
        message: String,
    },

    /// A token of `codes.maps.<table>` is longer than the codes allow.
    #[error("invalid recipe: codes.maps.{table}: the token of {class:?} is longer than {max} characters; codes are meant to be short")]
    CodeToken {
        /// `region`, `tier`, `stage`, `segment` or `custom`.
        table: &'static str,
        /// The class whose token is too long.
        class: String,
        /// Most characters a token may have.
        max: usize,
    },

    /// `actions.basis` is `custom` but the recipe has no custom tier rules.
    #[error("invalid recipe: actions.basis: \"custom\" needs customTiers.rules")]
    ActionsNeedCustomTiers,

    /// No customer in the file has a purchase yet, so `asOf` cannot default to the day after it.
    #[error("invalid recipe: asOf: no customer in this file has a purchase yet (every row is a prospect): set asOf to the date the export was made")]
    AsOfRequired,

    /// `asOf` lies before the latest transaction of the loaded file: the file must be loaded again.
    #[error("invalid recipe: asOf: {as_of} is before the latest transaction ({latest}); load the file again with this asOf")]
    AsOfBeforeData {
        /// The `asOf` asked for (`YYYY-MM-DD`).
        as_of: String,
        /// The latest transaction date of the load.
        latest: String,
    },
    /// `compare.cuts` is neither `"current"` nor `"previous"`.
    #[error("invalid recipe: compare.cuts: \"{given}\": use \"current\" or \"previous\"")]
    CompareCuts {
        /// The value given.
        given: String,
    },

    /// `compare.cuts` is `"previous"` without `compare.asOf` (a customers.csv holds no cut points).
    #[error("invalid recipe: compare.cuts: \"previous\" needs compare.asOf (an earlier customers.csv holds no cut points)")]
    CompareCutsNeedAsOf,

    /// `compare.asOf` is not before the current period's analysis date.
    #[error(
        "invalid recipe: compare.asOf: {compare_as_of} is not before the analysis date {as_of}"
    )]
    CompareAsOfOrder {
        /// The `compare.asOf` given.
        compare_as_of: String,
        /// The current period's analysis date.
        as_of: String,
    },
    // --- The `clv` section (helper `clvwire`), one variant per field.
    /// `clv.model` is not a model of this build.
    #[error("invalid recipe: clv.model: \"{given}\": use \"bgnbd\" or \"mbgnbd\"")]
    ClvModel {
        /// The value given.
        given: String,
    },

    /// `clv.timeUnit` is not `day`, `week` or `month`.
    #[error("invalid recipe: clv.timeUnit: \"{given}\": use \"day\", \"week\" or \"month\"")]
    ClvTimeUnit {
        /// The value given.
        given: String,
    },

    /// `clv.horizon` is not a whole number of time units from 1 to `max`.
    #[error(
        "invalid recipe: clv.horizon: {given}: use a whole number of time units from 1 to {max}"
    )]
    ClvHorizon {
        /// The value given.
        given: f64,
        /// The longest horizon.
        max: f64,
    },

    /// `clv.calibrationEnd` is not before the analysis date.
    #[error("invalid recipe: clv.calibrationEnd: {calibration_end} is not before the analysis date {as_of}")]
    ClvCalibrationEnd {
        /// The `clv.calibrationEnd` given.
        calibration_end: String,
        /// The analysis date.
        as_of: String,
    },

    /// `clv.discountRate` is negative, not finite or above `max`.
    #[error("invalid recipe: clv.discountRate: {given}: use an annual rate from 0 to {max} (0.1 = 10 %)")]
    ClvDiscountRate {
        /// The value given.
        given: f64,
        /// The highest rate accepted.
        max: f64,
    },

    /// `clv.spendModel` is not `gammaGamma`.
    #[error("invalid recipe: clv.spendModel: \"{given}\": use \"gammaGamma\"")]
    ClvSpendModel {
        /// The value given.
        given: String,
    },

    /// `clv.pAliveThreshold` is outside [0, 1].
    #[error("invalid recipe: clv.pAliveThreshold: {given}: use a probability from 0 to 1")]
    ClvPAliveThreshold {
        /// The value given.
        given: f64,
    },

    /// `lifecycle.mode` is `probabilistic` but the `clv` section is off.
    #[error("invalid recipe: lifecycle.mode: \"probabilistic\" needs the clv section (P(alive) comes from its model)")]
    LifecycleNeedsClv,

    /// The analysis asks for CLV but the data were loaded without it, so the purchases it needs
    /// were not kept: load the file again with this recipe.
    #[error("invalid recipe: clv: the file was loaded without the clv section, so its purchases were not kept; load the file again with this recipe")]
    ClvNotLoaded,
    // --- end of the `clv` section.
    // --- end of the recipe-field variants (helper `plan`).
    /// The recipe JSON could not be parsed (syntax error or unknown key).
    #[error("cannot read the recipe: {0}")]
    RecipeSyntax(String),

    /// The data are valid but an analysis step cannot run on them (e.g. more clusters than customers).
    #[error("cannot analyse: {0}")]
    Analysis(String),

    /// A reading decision that changes the figures (day/month order, decimal separator) cannot
    /// be settled from the whole column: the recipe key `key` must say. Codes `ambiguous_dates`
    /// and `ambiguous_decimal`.
    #[error(
        "cannot tell the {} of column {column:?}: {detail}; set {key} in the recipe to {}",
        ambiguous_what(decision),
        ambiguous_choices(decision)
    )]
    Ambiguous {
        /// The decision code (`dateOrder`, `decimalSeparator`).
        decision: &'static str,
        /// The column whose values were counted.
        column: String,
        /// The recipe key that settles it (`input.dateOrder`, `input.decimalSeparator`).
        key: String,
        /// The counts that leave it open.
        detail: String,
    },

    /// A call was made in the wrong order (e.g. pushing bytes after `finish`).
    #[error("invalid use: {0}")]
    InvalidState(String),

    /// An export option cannot be applied (an empty passphrase, a column to drop that the customer
    /// list does not have).
    #[error("invalid export option {option}: {message}")]
    InvalidExport {
        /// The option (`pseudonymise`, `dropColumns`).
        option: String,
        /// What is wrong with it.
        message: String,
    },

    // --- helper `migration2`: an earlier customers.csv keyed by pseudonyms ---
    /// Every id of the earlier customers.csv is a pseudonym (`p_` + 16 hex digits) and no
    /// passphrase was given, so it cannot be joined to this run's customers.
    #[error("the previous customers.csv has pseudonymised customer ids ({ids} of them): give the passphrase it was exported with (--pseudonymise), so its pseudonyms join this run's customers")]
    PreviousPseudonymised {
        /// Ids in the earlier file.
        ids: usize,
    },
    /// Every id of the earlier customers.csv is a pseudonym and none is the pseudonym of a
    /// customer of this run under the passphrase given: another passphrase (or other data).
    #[error("none of the {ids} pseudonymised ids of the previous customers.csv is the pseudonym of a customer of this run under this passphrase: it was exported with another passphrase or from other data")]
    PreviousPseudonymsUnmatched {
        /// Ids in the earlier file.
        ids: usize,
    },

    // --- helper `core` (issue 11): k-means parameter errors, one code per setting ---
    /// A k-means setting is out of range when k-means is driven directly (a checked recipe catches
    /// these first as [`Error::InvalidRecipe`]). `code` is the setting's own stable code
    /// (`kmeans_zero_k`, `kmeans_k_too_large`, `kmeans_zero_n_init`, `kmeans_zero_max_iter`,
    /// `kmeans_invalid_tolerance`; see `cluster::kmeans::KMeansError::code`).
    #[error("invalid k-means setting {field}: {message}")]
    InvalidKMeansParam {
        /// The setting's stable code.
        code: &'static str,
        /// The recipe key it comes from (`cluster.k`, `cluster.nInit`, …).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    // --- end helper `core` ---
}

fn ambiguous_choices(decision: &str) -> &'static str {
    match decision {
        "dateOrder" => "\"dmy\" or \"mdy\"",
        _ => "\".\" or \",\"",
    }
}

fn ambiguous_what(decision: &str) -> &'static str {
    match decision {
        "dateOrder" => "day/month order",
        _ => "decimal separator",
    }
}
