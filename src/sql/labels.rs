//! The labels of the query: scores from the fit's literal cut points, segments from its rule table,
//! value tiers from its fixed monetary thresholds, lifecycle stages from its days and clusters as
//! the nearest of its centroids. Each comparison is the one the engine makes (`score::quantiles`,
//! `score::tiers`, `score::lifecycle`, k-means assignment).

use super::custom::custom_tier_expr;
use super::dialect::double_literal;
use super::input::column_of;
use super::lifecycle::{gaps_cte, lifecycle_expr};
use super::{omitted, refuse, Ctes, Dialect};
use crate::error::Result;
use crate::ingest::roles::Role;
use crate::pipeline::Analysis;
use crate::score::expr::Field;
use crate::warning::Warning;

/// A literal or a refusal (a fitted figure that is not a finite number has no literal).
fn lit(v: f64, what: &str) -> Result<String> {
    double_literal(v).ok_or_else(|| refuse(format!("{what} is not a finite number")))
}

/// Score = 1 + number of cut points strictly below the value; reversed: N − that number.
fn score_expr(analysis: &Analysis, metric: &str, column: &str) -> Result<String> {
    let bins = analysis.report.recipe.score.bins;
    let t = analysis
        .report
        .thresholds
        .iter()
        .find(|t| t.metric == metric)
        .ok_or_else(|| refuse(format!("the fit has no cut points for {metric}")))?;
    if t.method == "rankFirst" {
        return Err(refuse(format!(
            "score.method = \"rankFirst\" splits equal {metric} values by customer id, which \
             cut points cannot express; use \"edges\" or give score.cuts"
        )));
    }
    let mut terms = Vec::with_capacity(t.cuts.len());
    for &c in &t.cuts {
        let c = lit(c, &format!("a {metric} cut point"))?;
        terms.push(format!("CASE WHEN {column} > {c} THEN 1 ELSE 0 END"));
    }
    let above = if terms.is_empty() {
        "0".to_string()
    } else {
        terms.join(" + ")
    };
    Ok(if t.reversed {
        format!("{bins} - ({above})")
    } else {
        format!("1 + {above}")
    })
}

/// The segment of each score cell, from the rule table (first matching rule, else the fallback).
fn segment_expr(analysis: &Analysis, d: Dialect) -> String {
    let bins = analysis.report.recipe.score.bins;
    let rules = &analysis.scores.rules;
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for r in 1..=bins {
        for f in 1..=bins {
            for m in 1..=bins {
                let name = rules.segment_for(r, f, m).to_string();
                let cell = (u32::from(r) * 10_000 + u32::from(f) * 100 + u32::from(m)).to_string();
                match groups.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, cells)) => cells.push(cell),
                    None => groups.push((name, vec![cell])),
                }
            }
        }
    }
    let whens: Vec<String> = groups
        .iter()
        .map(|(name, cells)| {
            format!(
                "      WHEN cell IN ({}) THEN {}",
                cells.join(", "),
                d.text(name)
            )
        })
        .collect();
    format!("CASE\n{}\n    END", whens.join("\n"))
}

/// Value tiers: the lowest monetary of the fit's customers in each band or above is that band's
/// threshold. Tiers rank customers by monetary with ties to the better tier, so on the fit's
/// customers this reproduces them exactly; on new data the thresholds stay the fit's.
fn tier_expr(analysis: &Analysis, d: Dialect) -> Result<String> {
    let c = &analysis.classes;
    let names = &c.tier_names;
    let Some((zero, bands)) = names.split_last() else {
        return Err(refuse("the fit has no value tiers"));
    };
    let mut whens = vec![format!(
        "      WHEN NOT (monetary > 0e0) THEN {}",
        d.text(zero)
    )];
    let mut lowest: Option<f64> = None;
    for (b, name) in bands.iter().enumerate() {
        let Some(last) = bands.len().checked_sub(1) else {
            break;
        };
        if b == last {
            whens.push(format!("      ELSE {}", d.text(name)));
            break;
        }
        for (&t, &m) in c.tier.iter().zip(&analysis.customers.monetary) {
            if usize::from(t) == b && m > 0.0 && lowest.is_none_or(|l| m < l) {
                lowest = Some(m);
            }
        }
        if let Some(l) = lowest {
            whens.push(format!(
                "      WHEN monetary >= {} THEN {}",
                lit(l, "a value-tier threshold")?,
                d.text(name)
            ));
        }
    }
    Ok(format!("CASE\n{}\n    END", whens.join("\n")))
}

/// Squared distances to each centroid (`d1`, `d2`, …) under the fit's transform and scaling, or
/// why not.
fn distances(analysis: &Analysis, d: Dialect) -> std::result::Result<Vec<String>, String> {
    let Some(report) = analysis.clusters.as_ref().map(|c| &c.report) else {
        return Err(String::new());
    };
    let mut z = Vec::new();
    for f in &report.features {
        if f.category.is_some() || f.imputed > 0 {
            return Err(format!("feature {} is categorical or imputed", f.name));
        }
        let v = match f.feature.as_str() {
            "recency_days" | "frequency" | "tenure_days" => {
                format!("CAST({} AS DOUBLE)", f.feature)
            }
            "monetary" | "aov" => f.feature.clone(),
            other => return Err(format!("feature {other} is not computed by the SQL")),
        };
        let t = if f.log {
            format!(
                "(CASE WHEN {v} < 0e0 THEN -{} ELSE {} END)",
                d.ln_1p(&format!("(-{v})")),
                d.ln_1p(&v)
            )
        } else {
            v
        };
        let center = double_literal(f.center).ok_or("a centre is not finite")?;
        let scale = double_literal(f.scale).ok_or("a scale is not finite")?;
        z.push(format!("(({t} - {center}) / {scale})"));
    }
    let mut out = Vec::new();
    for c in &report.clusters {
        let mut terms = Vec::new();
        for (zj, &cj) in z.iter().zip(&c.centroid_scaled) {
            let cj = double_literal(cj).ok_or("a centroid is not finite")?;
            terms.push(format!("({zj} - {cj}) * ({zj} - {cj})"));
        }
        out.push(if terms.is_empty() {
            "0e0".into()
        } else {
            terms.join(" + ")
        });
    }
    Ok(out)
}

/// The nearest centroid, the first on a tie: centroid i wins when no earlier one is nearer
/// (the chain has excluded those) and it is no farther than every later one.
fn nearest(k: usize) -> String {
    let mut whens = Vec::new();
    for i in 1..k {
        let conds: Vec<String> = (i + 1..=k).map(|j| format!("d{i} <= d{j}")).collect();
        whens.push(format!("      WHEN {} THEN {i}", conds.join(" AND ")));
    }
    format!("CASE\n{}\n      ELSE {k}\n    END", whens.join("\n"))
}

/// The CTEs after `metrics` and the output columns.
pub(super) fn scored(
    analysis: &Analysis,
    d: Dialect,
    warnings: &mut Vec<Warning>,
) -> Result<(Ctes, Vec<String>)> {
    let mut cols: Vec<String> = [
        "customer_id",
        "recency_days",
        "frequency",
        "monetary",
        "r_score",
        "f_score",
        "m_score",
        "segment",
        "value_tier",
    ]
    .map(String::from)
    .to_vec();
    let mut scores = vec![
        "  SELECT m.*".to_string(),
        format!(
            "    {} AS r_score",
            score_expr(analysis, "recency_days", "recency_days")?
        ),
        format!(
            "    {} AS f_score",
            score_expr(analysis, "frequency", "frequency")?
        ),
        format!(
            "    {} AS m_score",
            score_expr(analysis, "monetary", "monetary")?
        ),
    ];
    let dist = match distances(analysis, d) {
        Ok(ds) => Some(ds),
        Err(why) => {
            if !why.is_empty() {
                warnings.push(omitted("cluster", "cluster_feature", &why));
            }
            None
        }
    };
    for (i, e) in dist.iter().flatten().enumerate() {
        scores.push(format!("    {e} AS d{}", i + 1));
    }
    let gaps = gaps_cte(analysis, d);
    let from = if gaps.is_some() {
        scores.push("    g.usual_gap_days".into());
        scores.push("    g.max_gap_days".into());
        "metrics AS m LEFT JOIN gaps AS g ON g.customer_id = m.customer_id"
    } else {
        "metrics AS m"
    };
    let scores = format!("{}\n  FROM {from}", scores.join(",\n"));
    let mut labels = vec![
        "  SELECT s.*".to_string(),
        format!("    {} AS segment", segment_expr(analysis, d)),
        format!("    {} AS value_tier", tier_expr(analysis, d)?),
    ];
    if let Some(e) = lifecycle_expr(analysis, d) {
        labels.push(format!("    {e} AS lifecycle"));
        cols.push("lifecycle".into());
    } else {
        warnings.push(omitted(
            "lifecycle",
            "probabilistic_lifecycle",
            "the probabilistic lifecycle comes from P(alive) of the fitted BG/NBD model, which the query does not evaluate",
        ));
    }
    if let (Some(ds), Some(c)) = (&dist, &analysis.clusters) {
        labels.push(format!("    {} AS cluster", nearest(ds.len())));
        let names: Vec<String> = c
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("      WHEN {} THEN {}", i + 1, d.text(n)))
            .collect();
        labels.push(format!(
            "    CASE {}\n{}\n    END AS cluster_name",
            nearest(ds.len()).replace('\n', "\n  "),
            names.join("\n")
        ));
        cols.push("cluster".into());
        cols.push("cluster_name".into());
    }
    let labels = format!(
        "{}\n  FROM (SELECT r.*, r_score * 10000 + f_score * 100 + m_score AS cell FROM scores AS r) AS s",
        labels.join(",\n")
    );
    let mut ctes: Ctes = gaps.into_iter().collect();
    ctes.extend([("scores", scores), ("scored", labels)]);
    let tiers = analysis.report.recipe.custom_tiers.compile()?;
    if !tiers.is_empty() {
        let lifecycle = cols.iter().any(|c| c == "lifecycle");
        let region = region_sql(analysis, d);
        match custom_tier_expr(&tiers, d, &|f| field_sql(f, lifecycle, &region)) {
            Ok(e) => {
                let join = if column_of(analysis, Role::Region).is_some() {
                    " LEFT JOIN regions AS rg ON rg.customer_id = t.customer_id"
                } else {
                    ""
                };
                ctes.push((
                    "tiered",
                    format!("  SELECT t.*,\n    {e} AS custom_tier\n  FROM scored AS t{join}"),
                ));
                cols.push("custom_tier".into());
            }
            Err(w) => warnings.push(w),
        }
    }
    Ok((ctes, cols))
}

/// The region of a customer in the `tiered` CTE: from `regions`, or NULL without a region column.
fn region_sql(analysis: &Analysis, d: Dialect) -> String {
    if column_of(analysis, Role::Region).is_some() {
        "rg.region".into()
    } else {
        format!("CAST(NULL AS {})", d.text_type())
    }
}

/// A custom-tier field as a column of the `tiered` CTE (numbers as DOUBLE, as the evaluator reads
/// them); `None` for the lifecycle when the query leaves it out.
fn field_sql(f: Field, lifecycle: bool, region: &str) -> Option<String> {
    let double = |c: &str| format!("CAST(t.{c} AS DOUBLE)");
    Some(match f {
        Field::CustomerId => "t.customer_id".into(),
        Field::RecencyDays => double("recency_days"),
        Field::Frequency => double("frequency"),
        Field::TenureDays => double("tenure_days"),
        Field::Monetary => "t.monetary".into(),
        Field::Aov => "t.aov".into(),
        Field::MeanGapDays => "t.mean_gap_days".into(),
        Field::RScore => double("r_score"),
        Field::FScore => double("f_score"),
        Field::MScore => double("m_score"),
        // (F + M) / 2 rounded half up: exact in doubles for scores of at most two digits.
        Field::FmScore => "CAST(ceil((t.f_score + t.m_score) / 2e0) AS DOUBLE)".into(),
        Field::Segment => "t.segment".into(),
        Field::ValueTier => "t.value_tier".into(),
        Field::Lifecycle if lifecycle => "t.lifecycle".into(),
        Field::Lifecycle => return None,
        Field::Region => region.into(),
    })
}
