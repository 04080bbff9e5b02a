//! The feature matrix shared by clustering and explanations: feature selection by name, transforms
//! (signed log1p) and scaling, recorded so that centroids can be reported in original units.
//!
//! A feature is looked up by name in [`column`]: the RFM metrics, `aov`, `tenure_days`,
//! `mean_gap_days` and the categorical `region`, then the input's extra columns (customer attributes,
//! see [`crate::features::Attribute`]) under their header names; a built-in name wins over an attribute
//! of the same name. A numeric feature is one column; a categorical feature becomes one 0/1 column per value
//! (the most frequent values, the rest pooled as "other").

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::{AttributeValues, Customers};

/// Values of one named input column.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Numbers; `None` where a customer has no value (e.g. the gap of a one-order customer).
    Numeric(Vec<Option<f64>>),
    /// Categories; `None` where unknown.
    Categorical(Vec<Option<String>>),
}

/// Names [`column`] knows, in display order.
pub const KNOWN: [&str; 7] = [
    "recency_days",
    "frequency",
    "monetary",
    "aov",
    "tenure_days",
    "mean_gap_days",
    "region",
];

/// Looks a column up by name; `None` when the input has no such column.
pub fn column(customers: &Customers, name: &str) -> Option<Column> {
    let num = |v: Vec<f64>| Some(Column::Numeric(v.into_iter().map(Some).collect()));
    match name {
        "recency_days" => num(customers
            .recency_days
            .iter()
            .map(|&v| f64::from(v))
            .collect()),
        "frequency" => num(customers.frequency.iter().map(|&v| f64::from(v)).collect()),
        "monetary" => num(customers.monetary.clone()),
        "aov" => num(customers.aov.clone()),
        "tenure_days" => num(customers
            .tenure_days
            .iter()
            .map(|&v| f64::from(v))
            .collect()),
        "mean_gap_days" => Some(Column::Numeric(customers.mean_gap_days.clone())),
        "region" => Some(Column::Categorical(customers.region.clone())),
        _ => customers
            .attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| match &a.values {
                AttributeValues::Numeric(v) => Column::Numeric(v.clone()),
                AttributeValues::Categorical(v) => Column::Categorical(v.clone()),
            }),
    }
}

/// How numeric columns are transformed before scaling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Transform {
    /// Signed log1p for skewed columns: counts and money (`frequency`, `monetary`, `aov`,
    /// `mean_gap_days`) always, and any other numeric column whose skewness exceeds 1.
    #[default]
    Auto,
    /// Signed log1p for every numeric column.
    Log1p,
    /// No transform.
    None,
}

/// How transformed columns are scaled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Scaling {
    /// (x − mean) / standard deviation.
    #[default]
    Standard,
    /// (x − median) / interquartile range (standard deviation when the IQR is 0).
    Robust,
}

/// Signed log1p: `sign(x)·ln(1 + |x|)`, so net-negative spend stays finite. Uses `libm` so the result
/// is bit-identical natively and in Wasm.
pub fn slog1p(x: f64) -> f64 {
    if x < 0.0 {
        -libm::log1p(-x)
    } else {
        libm::log1p(x)
    }
}

/// Inverse of [`slog1p`].
pub fn sexpm1(y: f64) -> f64 {
    if y < 0.0 {
        -libm::expm1(-y)
    } else {
        libm::expm1(y)
    }
}

/// One column of the scaled matrix and how to map it back.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaledColumn {
    /// Column name: the feature name, or `feature=value` for a one-hot column.
    pub name: String,
    /// The feature it comes from.
    pub feature: String,
    /// The category, for a one-hot column.
    pub category: Option<String>,
    /// Whether signed log1p was applied.
    pub log: bool,
    /// Centre subtracted after the transform.
    pub center: f64,
    /// Divisor after centring.
    pub scale: f64,
    /// Whether every original value is a whole number (rules then print `≤ 2` instead of `≤ 2.5`).
    pub integer: bool,
    /// Customers with no value, given the median instead.
    pub imputed: usize,
}

impl ScaledColumn {
    /// Maps a scaled value back to original units.
    pub fn unscale(&self, z: f64) -> f64 {
        let t = z * self.scale + self.center;
        if self.log {
            sexpm1(t)
        } else {
            t
        }
    }
}

/// The feature matrix: raw (original units, imputed) and scaled, row-major `n × d`.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureMatrix {
    /// Rows.
    pub n: usize,
    /// Columns.
    pub d: usize,
    /// Original units (one-hot columns 0/1), missing values imputed.
    pub raw: Vec<f64>,
    /// Transformed and scaled.
    pub scaled: Vec<f64>,
    /// Per-column description and scaler.
    pub columns: Vec<ScaledColumn>,
}

/// Most categories of one categorical feature turned into columns; the rest are pooled.
const MAX_CATEGORIES: usize = 12;

fn median_of(mut v: Vec<f64>) -> f64 {
    crate::stats::sort_total(&mut v);
    crate::stats::quantile_sorted(&v, 0.5).unwrap_or(0.0)
}

fn skewness(v: &[f64]) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    let m2 = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let m3 = v.iter().map(|x| (x - mean).powi(3)).sum::<f64>() / n;
    if m2 <= 0.0 {
        0.0
    } else {
        m3 / libm::pow(m2, 1.5)
    }
}

fn always_log(name: &str) -> bool {
    matches!(name, "frequency" | "monetary" | "aov" | "mean_gap_days")
}

/// Builds the matrix for `names` from `customers`.
pub fn build(
    customers: &Customers,
    names: &[String],
    transform: Transform,
    scaling: Scaling,
) -> Result<FeatureMatrix> {
    let n = customers.len();
    if names.is_empty() {
        return Err(Error::recipe(
            "cluster.features",
            "name at least one feature",
        ));
    }
    let mut cols: Vec<(ScaledColumn, Vec<f64>)> = Vec::new();
    for (fi, name) in names.iter().enumerate() {
        if names.iter().take(fi).any(|m| m == name) {
            return Err(Error::recipe(
                "cluster.features",
                format!("{name:?} is listed twice"),
            ));
        }
        let Some(col) = column(customers, name) else {
            // Attribute names are only known once the file is read, so this is checked here.
            let mut known: Vec<&str> = KNOWN.to_vec();
            known.extend(customers.attributes.iter().map(|a| a.name.as_str()));
            return Err(Error::recipe(
                "cluster.features",
                format!("unknown feature {name:?}; known: {}", known.join(", ")),
            ));
        };
        match col {
            Column::Numeric(values) => {
                if values.iter().flatten().any(|v| !v.is_finite()) {
                    return Err(Error::Analysis(format!(
                        "feature {name:?} has NaN or infinite values"
                    )));
                }
                let present: Vec<f64> = values.iter().flatten().copied().collect();
                let fill = median_of(present.clone());
                let imputed = n - present.len();
                let raw: Vec<f64> = values.iter().map(|v| v.unwrap_or(fill)).collect();
                let log = match transform {
                    Transform::None => false,
                    Transform::Log1p => true,
                    Transform::Auto => always_log(name) || skewness(&raw) > 1.0,
                };
                let integer = raw.iter().all(|v| v.fract() == 0.0);
                cols.push((
                    ScaledColumn {
                        name: name.clone(),
                        feature: name.clone(),
                        category: None,
                        log,
                        center: 0.0,
                        scale: 1.0,
                        integer,
                        imputed,
                    },
                    raw,
                ));
            }
            Column::Categorical(values) => {
                let mut counts: std::collections::BTreeMap<&str, usize> =
                    std::collections::BTreeMap::new();
                for v in &values {
                    *counts.entry(v.as_deref().unwrap_or("")).or_default() += 1;
                }
                let mut cats: Vec<(&str, usize)> = counts.into_iter().collect();
                cats.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                let pooled = cats.len() > MAX_CATEGORIES;
                let keep: Vec<&str> = cats
                    .iter()
                    .take(if pooled {
                        MAX_CATEGORIES - 1
                    } else {
                        MAX_CATEGORIES
                    })
                    .map(|c| c.0)
                    .collect();
                if keep.len() < 2 && !pooled {
                    // One category only: the column would be constant and carry nothing.
                    continue;
                }
                let label = |c: &str| {
                    if c.is_empty() {
                        "(none)".to_string()
                    } else {
                        c.to_string()
                    }
                };
                for &cat in &keep {
                    let raw = values
                        .iter()
                        .map(|v| f64::from(u8::from(v.as_deref().unwrap_or("") == cat)))
                        .collect();
                    cols.push((one_hot(name, label(cat)), raw));
                }
                if pooled {
                    let raw = values
                        .iter()
                        .map(|v| f64::from(u8::from(!keep.contains(&v.as_deref().unwrap_or("")))))
                        .collect();
                    cols.push((one_hot(name, "(other)".into()), raw));
                }
            }
        }
    }
    let d = cols.len();
    if d == 0 {
        return Err(Error::Analysis(
            "no usable cluster features (every named feature is constant)".into(),
        ));
    }
    for (c, raw) in &mut cols {
        if c.category.is_some() {
            // One-hot columns stay 0/1: one categorical feature then weighs about one scaled column.
            continue;
        }
        let t: Vec<f64> = raw
            .iter()
            .map(|&v| if c.log { slog1p(v) } else { v })
            .collect();
        #[allow(clippy::cast_precision_loss)]
        let nf = t.len().max(1) as f64;
        let mean = t.iter().sum::<f64>() / nf;
        let sd = (t.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / nf).sqrt();
        let (center, scale) = match scaling {
            Scaling::Standard => (mean, sd),
            Scaling::Robust => {
                let mut s = t.clone();
                crate::stats::sort_total(&mut s);
                let q = |p| crate::stats::quantile_sorted(&s, p).unwrap_or(0.0);
                let iqr = q(0.75) - q(0.25);
                (q(0.5), if iqr > 0.0 { iqr } else { sd })
            }
        };
        c.center = center;
        // A constant column scales by 1 (it then contributes 0 everywhere).
        c.scale = if scale > 0.0 && scale.is_finite() {
            scale
        } else {
            1.0
        };
    }
    let mut raw = vec![0.0; n * d];
    let mut scaled = vec![0.0; n * d];
    for (j, (c, values)) in cols.iter().enumerate() {
        for ((r, s), &v) in raw
            .iter_mut()
            .skip(j)
            .step_by(d)
            .zip(scaled.iter_mut().skip(j).step_by(d))
            .zip(values)
        {
            *r = v;
            let t = if c.log { slog1p(v) } else { v };
            *s = (t - c.center) / c.scale;
        }
    }
    Ok(FeatureMatrix {
        n,
        d,
        raw,
        scaled,
        columns: cols.into_iter().map(|(c, _)| c).collect(),
    })
}

fn one_hot(feature: &str, category: String) -> ScaledColumn {
    ScaledColumn {
        name: format!("{feature}={category}"),
        feature: feature.to_string(),
        category: Some(category),
        log: false,
        center: 0.0,
        scale: 1.0,
        integer: true,
        imputed: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customers() -> Customers {
        Customers {
            ids: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            recency_days: vec![1, 10, 100, 5],
            frequency: vec![1, 2, 8, 1],
            monetary: vec![10.0, 100.0, 1000.0, -5.0],
            aov: vec![10.0, 50.0, 125.0, -5.0],
            tenure_days: vec![1, 20, 300, 5],
            mean_gap_days: vec![None, Some(10.0), Some(30.0), None],
            region: vec![
                Some("East".into()),
                None,
                Some("East".into()),
                Some("West".into()),
            ],
            ..Customers::default()
        }
    }

    #[test]
    fn scaler_round_trips_to_original_units() {
        let c = customers();
        let names: Vec<String> = ["recency_days", "monetary", "mean_gap_days", "region"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let m = build(&c, &names, Transform::Auto, Scaling::Standard).unwrap();
        assert_eq!(m.d, 3 + 3); // region: East, (none), West
        assert!(m.columns[1].log && m.columns[2].log);
        for i in 0..m.n {
            for j in 0..3 {
                let back = m.columns[j].unscale(m.scaled[i * m.d + j]);
                assert!((back - m.raw[i * m.d + j]).abs() < 1e-9, "{back}");
            }
        }
        // Missing gaps take the median of the present ones.
        assert_eq!(m.raw[2], 20.0);
        assert_eq!(m.columns[2].imputed, 2);
        // Standardised: mean 0, sd 1.
        let col: Vec<f64> = (0..m.n).map(|i| m.scaled[i * m.d]).collect();
        assert!(col.iter().sum::<f64>().abs() < 1e-12);
        assert!(m.scaled.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn unknown_and_duplicate_features_are_recipe_errors() {
        let c = customers();
        let e = build(&c, &["age".into()], Transform::Auto, Scaling::Standard).unwrap_err();
        assert_eq!(e.code(), "invalid_recipe");
        let e = build(
            &c,
            &["frequency".into(), "frequency".into()],
            Transform::Auto,
            Scaling::Robust,
        )
        .unwrap_err();
        assert!(e.to_string().contains("twice"));
    }
}
