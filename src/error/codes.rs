//! The stable code of every [`Error`] variant and its fields by name, which the CLI prints, the
//! JS error carries and the page words in its own language.

use std::fmt;

use super::Error;

impl Error {
    /// Stable identifier of the variant, e.g. `"missing_column"`. Never changes once released.
    pub fn code(&self) -> &'static str {
        match self {
            Error::EmptyInput => "empty_input",
            Error::UnsupportedFormat(_) => "unsupported_format",
            Error::NoDataRows => "no_data_rows",
            Error::MissingColumn { .. } => "missing_column",
            Error::UnknownColumn { .. } => "unknown_column",
            Error::BadRow { .. } => "bad_row",
            Error::NoUsableRows { .. } => "no_usable_rows",
            Error::InvalidRecipe { .. } => "invalid_recipe",
            Error::InvalidExpression { .. } => "invalid_expression",
            Error::ScoreBins { .. } => "score_bins",
            Error::CutCount { .. } => "cut_count",
            Error::CutOrder { .. } => "cut_order",
            Error::SegmentPreset { .. } => "unknown_segment_preset",
            Error::SegmentBinsMismatch { .. } => "segment_bins_mismatch",
            Error::SegmentRuleBins { .. } => "segment_rule_bins",
            Error::SegmentRange { .. } => "segment_range",
            Error::SegmentName { .. } => "segment_name_empty",
            Error::SegmentTableRows { .. } => "segment_table_rows",
            Error::SegmentTableRow { .. } => "segment_table_row",
            Error::TierPreset { .. } => "unknown_tier_preset",
            Error::TierBandsEmpty => "tier_bands_empty",
            Error::TierPercent { .. } => "tier_percent",
            Error::TierNameEmpty { .. } => "tier_name_empty",
            Error::TierNameTwice { .. } => "tier_name_twice",
            Error::TierTotal { .. } => "tier_total",
            Error::ParetoPercent { .. } => "pareto_percent",
            Error::NegativeDays { .. } => "negative_days",
            Error::LifecycleOrder { .. } => "lifecycle_order",
            Error::CustomTierName { .. } => "custom_tier_name_empty",
            Error::CodeTemplate { .. } => "invalid_code_template",
            Error::CodeToken { .. } => "code_token_too_long",
            Error::ActionsNeedCustomTiers => "actions_need_custom_tiers",
            Error::AsOfRequired => "as_of_required",
            Error::AsOfBeforeData { .. } => "as_of_before_data",
            Error::CompareCuts { .. } => "compare_cuts",
            Error::CompareCutsNeedAsOf => "compare_cuts_need_as_of",
            Error::CompareAsOfOrder { .. } => "compare_as_of_order",
            Error::ClvModel { .. } => "clv_model",
            Error::ClvTimeUnit { .. } => "clv_time_unit",
            Error::ClvHorizon { .. } => "clv_horizon",
            Error::ClvCalibrationEnd { .. } => "clv_calibration_end",
            Error::ClvDiscountRate { .. } => "clv_discount_rate",
            Error::ClvSpendModel { .. } => "clv_spend_model",
            Error::ClvPAliveThreshold { .. } => "clv_p_alive_threshold",
            Error::LifecycleNeedsClv => "lifecycle_needs_clv",
            Error::ClvNotLoaded => "clv_not_loaded",
            Error::RecipeSyntax(_) => "recipe_syntax",
            Error::Analysis(_) => "analysis",
            Error::InvalidState(_) => "invalid_state",
            Error::Ambiguous { decision, .. } => match *decision {
                "dateOrder" => "ambiguous_dates",
                _ => "ambiguous_decimal",
            },
            Error::InvalidExport { .. } => "invalid_export",
            Error::PreviousPseudonymised { .. } => "previous_pseudonymised",
            Error::PreviousPseudonymsUnmatched { .. } => "previous_pseudonyms_unmatched",
            // helper `core`: k-means parameter errors carry their own code.
            Error::InvalidKMeansParam { code, .. } => code,
        }
    }

    /// The variant's fields by name (camelCase), so a front end can word the message in another
    /// language from [`Error::code`] and these values instead of translating the English text.
    /// Free-text parts (`detail`) stay in English.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Error::EmptyInput | Error::NoDataRows => Vec::new(),
            Error::UnsupportedFormat(d)
            | Error::RecipeSyntax(d)
            | Error::Analysis(d)
            | Error::InvalidState(d) => vec![("detail", d.clone())],
            Error::MissingColumn {
                role,
                looked_for,
                found,
            } => vec![
                ("role", role.clone()),
                ("lookedFor", looked_for.clone()),
                ("found", found.clone()),
            ],
            Error::UnknownColumn { role, column } => {
                vec![("role", role.clone()), ("column", column.clone())]
            }
            Error::BadRow {
                row,
                column,
                message,
            } => {
                let mut out = vec![("row", row.to_string()), ("detail", message.clone())];
                if let Some(c) = column {
                    out.push(("column", c.clone()));
                }
                out
            }
            Error::NoUsableRows {
                rows_read,
                top_reason,
            } => vec![
                ("rowsRead", rows_read.to_string()),
                ("topReason", top_reason.clone()),
            ],
            Error::InvalidRecipe { field, message } => {
                vec![("field", field.clone()), ("detail", message.clone())]
            }
            Error::Ambiguous {
                decision,
                column,
                key,
                detail,
            } => vec![
                ("decision", (*decision).to_string()),
                ("column", column.clone()),
                ("field", key.clone()),
                ("detail", detail.clone()),
            ],
            Error::InvalidExpression {
                field,
                column,
                message,
            } => vec![
                ("field", field.clone()),
                ("position", column.to_string()),
                ("detail", message.clone()),
            ],
            Error::InvalidExport { option, message } => {
                vec![("option", option.clone()), ("detail", message.clone())]
            }
            Error::PreviousPseudonymised { ids } | Error::PreviousPseudonymsUnmatched { ids } => {
                vec![("ids", ids.to_string())]
            }
            Error::ScoreBins { bins } | Error::SegmentRuleBins { bins } => {
                self.with_field(vec![("bins", bins.to_string())])
            }
            Error::CutCount {
                metric,
                given,
                bins,
            } => self.with_field(vec![
                ("metric", (*metric).to_string()),
                ("given", given.to_string()),
                ("bins", bins.to_string()),
                ("needed", bins.saturating_sub(1).to_string()),
            ]),
            Error::CutOrder { metric } => self.with_field(vec![("metric", (*metric).to_string())]),
            Error::SegmentPreset { name, known } | Error::TierPreset { name, known } => {
                self.with_field(vec![("name", name.clone()), ("known", known.clone())])
            }
            Error::SegmentBinsMismatch {
                rule_set,
                rule_bins,
                score_bins,
            } => self.with_field(vec![
                ("ruleSet", rule_set.clone()),
                ("ruleBins", rule_bins.to_string()),
                ("scoreBins", score_bins.to_string()),
            ]),
            Error::SegmentRange { lo, hi, bins, .. } => self.with_field(vec![
                ("lo", lo.to_string()),
                ("hi", hi.to_string()),
                ("bins", bins.to_string()),
            ]),
            Error::SegmentTableRows { rows } => self.with_field(vec![("rows", rows.to_string())]),
            Error::SegmentTableRow { row, cells, bins } => self.with_field(vec![
                ("row", row.to_string()),
                ("cells", cells.to_string()),
                ("bins", bins.to_string()),
            ]),
            Error::SegmentName { .. }
            | Error::TierBandsEmpty
            | Error::TierPercent { .. }
            | Error::TierNameEmpty { .. }
            | Error::CustomTierName { .. }
            | Error::ActionsNeedCustomTiers
            | Error::AsOfRequired
            | Error::CompareCutsNeedAsOf => self.with_field(Vec::new()),
            Error::CompareCuts { given } => self.with_field(vec![("given", given.clone())]),
            Error::CompareAsOfOrder {
                compare_as_of,
                as_of,
            } => self.with_field(vec![
                ("compareAsOf", compare_as_of.clone()),
                ("asOf", as_of.clone()),
            ]),
            Error::ClvModel { given }
            | Error::ClvTimeUnit { given }
            | Error::ClvSpendModel { given } => self.with_field(vec![("given", given.clone())]),
            Error::ClvHorizon { given, max } | Error::ClvDiscountRate { given, max } => {
                self.with_field(vec![("given", given.to_string()), ("max", max.to_string())])
            }
            Error::ClvPAliveThreshold { given } => {
                self.with_field(vec![("given", given.to_string())])
            }
            Error::ClvCalibrationEnd {
                calibration_end,
                as_of,
            } => self.with_field(vec![
                ("calibrationEnd", calibration_end.clone()),
                ("asOf", as_of.clone()),
            ]),
            Error::LifecycleNeedsClv | Error::ClvNotLoaded => self.with_field(Vec::new()),
            Error::TierNameTwice { name, .. } => self.with_field(vec![("name", name.clone())]),
            Error::TierTotal { total } => self.with_field(vec![("total", total.to_string())]),
            Error::ParetoPercent { percent } => {
                self.with_field(vec![("percent", percent.to_string())])
            }
            Error::NegativeDays { days, .. } => self.with_field(vec![("days", days.to_string())]),
            Error::LifecycleOrder {
                active,
                due,
                lapsing,
            } => self.with_field(vec![
                ("active", active.to_string()),
                ("due", due.to_string()),
                ("lapsing", lapsing.to_string()),
            ]),
            Error::CodeTemplate { column, message } => self.with_field(vec![
                ("position", column.to_string()),
                ("detail", message.clone()),
            ]),
            Error::CodeToken { table, class, max } => self.with_field(vec![
                ("table", (*table).to_string()),
                ("class", class.clone()),
                ("max", max.to_string()),
            ]),
            Error::AsOfBeforeData { as_of, latest } => {
                self.with_field(vec![("asOf", as_of.clone()), ("latest", latest.clone())])
            }
            // helper `core`: k-means parameter errors.
            Error::InvalidKMeansParam { field, message, .. } => {
                vec![("field", (*field).to_string()), ("detail", message.clone())]
            }
        }
    }

    /// `params` of a recipe-field variant: its `field` first, then `rest`.
    fn with_field(&self, rest: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = self
            .field()
            .map(|f| ("field", f.to_string()))
            .into_iter()
            .collect();
        out.extend(rest);
        out
    }

    /// Shorthand for an [`Error::InvalidRecipe`].
    pub fn recipe(field: impl Into<String>, message: impl fmt::Display) -> Self {
        Error::InvalidRecipe {
            field: field.into(),
            message: message.to_string(),
        }
    }
}
