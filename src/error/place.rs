//! Where an [`Error`] points: the input row and column, the recipe setting (`field`) and the
//! character inside an expression or template — what the CLI line and the page's marks use.

use super::Error;

impl Error {
    /// Row number (1-based, header = row 1) where the problem is, if it is at one row.
    pub fn row(&self) -> Option<u64> {
        match self {
            Error::BadRow { row, .. } => Some(*row),
            _ => None,
        }
    }

    /// Column name where the problem is, if it is at one column.
    pub fn column(&self) -> Option<&str> {
        match self {
            Error::BadRow { column, .. } => column.as_deref(),
            Error::UnknownColumn { column, .. } | Error::Ambiguous { column, .. } => Some(column),
            _ => None,
        }
    }

    /// Dotted path of the recipe setting at fault (`score.bins`, `customTiers.rules[0].when`), for
    /// every recipe error (the catch-all [`Error::InvalidRecipe`], expressions and the per-setting
    /// variants) and the recipe key an [`Error::Ambiguous`] asks for; lets the page show the message
    /// beside the control that holds the setting.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidRecipe { field, .. } | Error::InvalidExpression { field, .. } => {
                Some(field)
            }
            Error::Ambiguous { key, .. } => Some(key),
            Error::ScoreBins { .. } => Some("score.bins"),
            Error::CutCount { metric, .. } | Error::CutOrder { metric } => Some(cuts_field(metric)),
            Error::SegmentPreset { .. } => Some("segments.preset"),
            Error::SegmentBinsMismatch { .. } => Some("segments"),
            Error::SegmentRuleBins { .. } => Some("segments.bins"),
            Error::SegmentRange { field, .. }
            | Error::SegmentName { field }
            | Error::TierPercent { field }
            | Error::TierNameEmpty { field }
            | Error::TierNameTwice { field, .. }
            | Error::CustomTierName { field } => Some(field),
            Error::SegmentTableRows { .. } | Error::SegmentTableRow { .. } => {
                Some("segments.table.rows")
            }
            Error::TierPreset { .. } => Some("valueTiers.preset"),
            Error::TierBandsEmpty | Error::TierTotal { .. } => Some("valueTiers.bands"),
            Error::ParetoPercent { .. } => Some("valueTiers.paretoPercent"),
            Error::NegativeDays { field, .. } => Some(field),
            Error::LifecycleOrder { .. } => Some("lifecycle"),
            Error::CodeTemplate { .. } => Some("codes.template"),
            Error::CodeToken { table, .. } => Some(code_map_field(table)),
            Error::ActionsNeedCustomTiers => Some("actions.basis"),
            Error::AsOfRequired | Error::AsOfBeforeData { .. } => Some("asOf"),
            Error::CompareCuts { .. } | Error::CompareCutsNeedAsOf => Some("compare.cuts"),
            Error::CompareAsOfOrder { .. } => Some("compare.asOf"),
            Error::ClvModel { .. } => Some("clv.model"),
            Error::ClvTimeUnit { .. } => Some("clv.timeUnit"),
            Error::ClvHorizon { .. } => Some("clv.horizon"),
            Error::ClvCalibrationEnd { .. } => Some("clv.calibrationEnd"),
            Error::ClvDiscountRate { .. } => Some("clv.discountRate"),
            Error::ClvSpendModel { .. } => Some("clv.spendModel"),
            Error::ClvPAliveThreshold { .. } => Some("clv.pAliveThreshold"),
            Error::LifecycleNeedsClv => Some("lifecycle.mode"),
            Error::ClvNotLoaded => Some("clv"),
            _ => None,
        }
    }

    /// 1-based character position inside an expression or template, for [`Error::InvalidExpression`]
    /// and [`Error::CodeTemplate`].
    pub fn position(&self) -> Option<usize> {
        match self {
            Error::InvalidExpression { column, .. } | Error::CodeTemplate { column, .. } => {
                Some(*column)
            }
            _ => None,
        }
    }
}

/// The recipe path of a metric's cut points.
fn cuts_field(metric: &str) -> &'static str {
    match metric {
        "recency" => "score.cuts.recency",
        "frequency" => "score.cuts.frequency",
        "monetary" => "score.cuts.monetary",
        _ => "score.cuts",
    }
}

/// The recipe path of a code mapping table.
fn code_map_field(table: &str) -> &'static str {
    match table {
        "region" => "codes.maps.region",
        "tier" => "codes.maps.tier",
        "stage" => "codes.maps.stage",
        "segment" => "codes.maps.segment",
        "custom" => "codes.maps.custom",
        _ => "codes.maps",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_row_message_names_row_and_column() {
        let e = Error::BadRow {
            row: 17,
            column: Some("date".into()),
            message: "unterminated quote".into(),
        };
        assert_eq!(e.to_string(), "row 17, column \"date\": unterminated quote");
        assert_eq!(e.code(), "bad_row");
        assert_eq!(e.row(), Some(17));
        assert_eq!(e.column(), Some("date"));
        let params = e.params();
        assert!(params.contains(&("row", "17".to_string())), "{params:?}");
        assert!(
            params.contains(&("column", "date".to_string())),
            "{params:?}"
        );
    }

    #[test]
    fn expression_errors_carry_field_and_position() {
        let e = Error::InvalidExpression {
            field: "customTiers.rules[1].when".into(),
            column: 9,
            message: "unknown field".into(),
        };
        assert_eq!(e.field(), Some("customTiers.rules[1].when"));
        assert_eq!(e.position(), Some(9));
        assert!(e.params().contains(&("position", "9".to_string())));
        assert_eq!(Error::EmptyInput.field(), None);
    }
}
