//! Cluster names from centroids against the overall profile ("recent · frequent · high spend"), in
//! English and Chinese.
//!
//! A numeric feature contributes a word when the centroid sits at least [`THRESHOLD`] standard
//! deviations (of the scaled column) from the overall mean; the words of the largest deviations come
//! first, at most [`MAX_WORDS`]. A categorical feature contributes "mostly X" when at least 60 % of the
//! cluster has value X and X is 1.5× more common than overall. A cluster with no distinct trait is
//! "typical" (一般).

use crate::matrix::FeatureMatrix;

/// Deviation (in standard deviations) from which a feature is called high or low.
pub const THRESHOLD: f64 = 0.5;
/// Words per name at most.
pub const MAX_WORDS: usize = 3;

/// (low word, high word) in English and Chinese for a known numeric feature.
fn words(feature: &str) -> Option<[(&'static str, &'static str); 2]> {
    Some(match feature {
        "recency_days" => [("recent", "近期活跃"), ("lapsed", "久未购买")],
        "frequency" => [("infrequent", "低频"), ("frequent", "高频")],
        "monetary" => [("low spend", "低消费"), ("high spend", "高消费")],
        "aov" => [("small baskets", "低客单价"), ("big baskets", "高客单价")],
        "tenure_days" => [("new", "新客"), ("long-standing", "老客")],
        "mean_gap_days" => [("short gaps", "间隔短"), ("long gaps", "间隔长")],
        _ => return None,
    })
}

/// English and Chinese names for every cluster (row-major scaled centroids `k × d`).
pub fn names(
    m: &FeatureMatrix,
    centroids: &[f64],
    labels: &[u16],
    k: usize,
) -> Vec<(String, String)> {
    let d = m.d;
    // Overall mean and sd of each scaled column, so robust scaling is judged on the same footing.
    let mut mean = vec![0.0; d];
    for x in m.scaled.chunks_exact(d.max(1)) {
        mean.iter_mut().zip(x).for_each(|(a, v)| *a += v);
    }
    #[allow(clippy::cast_precision_loss)]
    let nf = m.n.max(1) as f64;
    mean.iter_mut().for_each(|a| *a /= nf);
    let mut sd = vec![0.0; d];
    for x in m.scaled.chunks_exact(d.max(1)) {
        sd.iter_mut()
            .zip(x.iter().zip(&mean))
            .for_each(|(s, (v, a))| *s += (v - a).powi(2));
    }
    sd.iter_mut().for_each(|s| *s = (*s / nf).sqrt());
    let mut size = vec![0usize; k];
    for &l in labels {
        if let Some(s) = size.get_mut(usize::from(l)) {
            *s += 1;
        }
    }
    let mut out: Vec<(String, String)> = Vec::with_capacity(k);
    for (j, c) in centroids.chunks_exact(d.max(1)).enumerate().take(k) {
        // (|deviation|, en, zh)
        let mut terms: Vec<(f64, String, String)> = Vec::new();
        for (col, ((&cv, &mv), &sv)) in m.columns.iter().zip(c.iter().zip(&mean).zip(&sd)) {
            if let Some(cat) = &col.category {
                // For a 0/1 column the centroid is the cluster's share with that value.
                let overall = mv;
                if cv >= 0.6 && cv >= 1.5 * overall && size.get(j).copied().unwrap_or(0) > 0 {
                    terms.push((
                        (cv - overall) / sv.max(1e-12),
                        format!("mostly {cat}"),
                        format!("以{cat}为主"),
                    ));
                }
                continue;
            }
            if sv <= 0.0 {
                continue;
            }
            let z = (cv - mv) / sv;
            let Some([low, high]) = words(&col.feature) else {
                let (en, zh) = if z > 0.0 {
                    ("high", "高")
                } else {
                    ("low", "低")
                };
                if z.abs() >= THRESHOLD {
                    terms.push((
                        z.abs(),
                        format!("{en} {}", col.name),
                        format!("{}{zh}", col.name),
                    ));
                }
                continue;
            };
            if z >= THRESHOLD {
                terms.push((z, high.0.into(), high.1.into()));
            } else if z <= -THRESHOLD {
                terms.push((-z, low.0.into(), low.1.into()));
            }
        }
        terms.sort_by(|a, b| b.0.total_cmp(&a.0));
        terms.truncate(MAX_WORDS);
        let (en, zh) = if terms.is_empty() {
            ("typical".to_string(), "一般".to_string())
        } else {
            (
                terms
                    .iter()
                    .map(|t| t.1.as_str())
                    .collect::<Vec<_>>()
                    .join(" · "),
                terms
                    .iter()
                    .map(|t| t.2.as_str())
                    .collect::<Vec<_>>()
                    .join(" · "),
            )
        };
        out.push((en, zh));
    }
    // Equal names get a number so every cluster stays distinguishable.
    let dup: Vec<bool> = out
        .iter()
        .map(|(en, _)| out.iter().filter(|(e, _)| e == en).count() > 1)
        .collect();
    for (j, ((en, zh), dup)) in out.iter_mut().zip(dup).enumerate() {
        if dup {
            en.push_str(&format!(" ({})", j + 1));
            zh.push_str(&format!("（{}）", j + 1));
        }
    }
    out
}
