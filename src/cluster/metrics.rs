//! Cluster-quality measures for choosing k: silhouette (exact or on a stated sample),
//! Calinski–Harabasz, Davies–Bouldin and inertia, all on the scaled features.

use crate::kernel::sqdist;

/// Mean silhouette of the points `idx` (distances only among them, as scikit-learn's
/// `silhouette_score(sample_size=…)`). Points in singleton clusters score 0. `None` with fewer than
/// two clusters present.
pub fn silhouette(data: &[f64], d: usize, labels: &[u16], k: usize, idx: &[usize]) -> Option<f64> {
    let pts: Vec<(&[f64], usize)> = idx
        .iter()
        .filter_map(|&i| Some((data.get(i * d..(i + 1) * d)?, usize::from(*labels.get(i)?))))
        .collect();
    let mut size = vec![0usize; k];
    for &(_, l) in &pts {
        if let Some(s) = size.get_mut(l) {
            *s += 1;
        }
    }
    if size.iter().filter(|&&s| s > 0).count() < 2 {
        return None;
    }
    let mut sums = vec![0.0f64; k];
    let mut total = 0.0;
    for &(x, l) in &pts {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for &(y, m) in &pts {
            if let Some(s) = sums.get_mut(m) {
                *s += sqdist(x, y).sqrt();
            }
        }
        let own = size.get(l).copied().unwrap_or(0);
        if own <= 1 {
            continue;
        }
        #[allow(clippy::cast_precision_loss)]
        let a = sums.get(l).copied().unwrap_or(0.0) / (own - 1) as f64;
        let b = sums
            .iter()
            .zip(&size)
            .enumerate()
            .filter(|&(j, (_, &s))| j != l && s > 0)
            .map(|(_, (&sum, &s))| {
                #[allow(clippy::cast_precision_loss)]
                let v = sum / s as f64;
                v
            })
            .fold(f64::INFINITY, f64::min);
        let den = a.max(b);
        if den > 0.0 {
            total += (b - a) / den;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    Some(total / pts.len() as f64)
}

/// Calinski–Harabasz index (between / within dispersion, each per degree of freedom). `None` when
/// k < 2, n ≤ k or the within dispersion is 0.
pub fn calinski_harabasz(
    data: &[f64],
    d: usize,
    labels: &[u16],
    centroids: &[f64],
    counts: &[usize],
    inertia: f64,
) -> Option<f64> {
    let n = labels.len();
    let k = counts.iter().filter(|&&c| c > 0).count();
    if k < 2 || n <= k || inertia <= 0.0 {
        return None;
    }
    let mut mean = vec![0.0; d];
    for x in data.chunks_exact(d) {
        mean.iter_mut().zip(x).for_each(|(m, v)| *m += v);
    }
    #[allow(clippy::cast_precision_loss)]
    mean.iter_mut().for_each(|m| *m /= n as f64);
    #[allow(clippy::cast_precision_loss)]
    let between: f64 = centroids
        .chunks_exact(d)
        .zip(counts)
        .map(|(c, &cnt)| cnt as f64 * sqdist(c, &mean))
        .sum();
    #[allow(clippy::cast_precision_loss)]
    Some(between / (k - 1) as f64 / (inertia / (n - k) as f64))
}

/// Davies–Bouldin index (lower is better): mean over clusters of the worst (sᵢ + sⱼ) / dᵢⱼ, with sᵢ the
/// mean distance of cluster i's points to its centre.
pub fn davies_bouldin(
    data: &[f64],
    d: usize,
    labels: &[u16],
    centroids: &[f64],
    counts: &[usize],
) -> Option<f64> {
    let k = counts.len();
    let mut spread = vec![0.0f64; k];
    for (x, &l) in data.chunks_exact(d).zip(labels) {
        let l = usize::from(l);
        if let (Some(s), Some(c)) = (spread.get_mut(l), centroids.get(l * d..(l + 1) * d)) {
            *s += sqdist(x, c).sqrt();
        }
    }
    #[allow(clippy::cast_precision_loss)]
    spread
        .iter_mut()
        .zip(counts)
        .for_each(|(s, &c)| *s /= c.max(1) as f64);
    let live: Vec<usize> = (0..k)
        .filter(|&j| counts.get(j).copied().unwrap_or(0) > 0)
        .collect();
    if live.len() < 2 {
        return None;
    }
    let mut total = 0.0;
    for &i in &live {
        let ci = centroids.get(i * d..(i + 1) * d)?;
        let si = *spread.get(i)?;
        let mut worst = 0.0f64;
        for &j in &live {
            if i == j {
                continue;
            }
            let cj = centroids.get(j * d..(j + 1) * d)?;
            let dist = sqdist(ci, cj).sqrt();
            let r = if dist > 0.0 {
                (si + spread.get(j)?) / dist
            } else {
                f64::INFINITY
            };
            worst = worst.max(r);
        }
        total += worst;
    }
    #[allow(clippy::cast_precision_loss)]
    Some(total / live.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_match_hand_computed_values() {
        // Two clusters on a line: {0, 1} and {10, 11}.
        let data = [0.0, 1.0, 10.0, 11.0];
        let labels = [0, 0, 1, 1];
        let cents = [0.5, 10.5];
        let counts = [2, 2];
        let s = silhouette(&data, 1, &labels, 2, &[0, 1, 2, 3]).unwrap();
        // Point 0: a = 1, b = 10.5 → 1 − 1/10.5; point 1: a = 1, b = 9.5 → 1 − 1/9.5; symmetric.
        let expect = ((1.0 - 1.0 / 10.5) + (1.0 - 1.0 / 9.5)) / 2.0;
        assert!((s - expect).abs() < 1e-12, "{s}");
        let inertia = 4.0 * 0.25;
        let ch = calinski_harabasz(&data, 1, &labels, &cents, &counts, inertia).unwrap();
        // between = 2·25 + 2·25 = 100; (100 / 1) / (1 / 2) = 200.
        assert!((ch - 200.0).abs() < 1e-9, "{ch}");
        let db = davies_bouldin(&data, 1, &labels, &cents, &counts).unwrap();
        assert!((db - 1.0 / 10.0).abs() < 1e-12, "{db}");
        assert!(silhouette(&data, 1, &[0, 0, 0, 0], 2, &[0, 1, 2, 3]).is_none());
    }
}
