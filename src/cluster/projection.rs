//! 2-D map: PCA of the scaled features by an exact symmetric eigen-solver (cyclic Jacobi) on the
//! d × d covariance matrix. d is small (a handful of features), so this is exact, cheap, pure Rust
//! and bit-identical natively and in Wasm (only `sqrt` and arithmetic).

use serde::Serialize;

/// The projection of every customer onto the first two principal components.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Projection {
    /// First component per customer.
    #[serde(skip)]
    pub x: Vec<f64>,
    /// Second component per customer (0 with a single feature).
    #[serde(skip)]
    pub y: Vec<f64>,
    /// Share of the total variance along each of the two axes.
    pub explained_variance_ratio: [f64; 2],
    /// The two axes as loadings over the scaled columns.
    pub components: [Vec<f64>; 2],
}

/// Eigenvalues (descending) and unit eigenvectors (rows) of a symmetric `d × d` matrix.
pub fn symmetric_eigen(a: &[f64], d: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut m: Vec<Vec<f64>> = a.chunks_exact(d.max(1)).map(<[f64]>::to_vec).collect();
    let mut v: Vec<Vec<f64>> = (0..d)
        .map(|i| (0..d).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    let get = |m: &Vec<Vec<f64>>, i: usize, j: usize| {
        m.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0)
    };
    for _sweep in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|i| (0..d).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| get(&m, i, j).powi(2))
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..d {
            for q in (p + 1)..d {
                let apq = get(&m, p, q);
                if apq.abs() < 1e-300 {
                    continue;
                }
                let (app, aqq) = (get(&m, p, p), get(&m, q, q));
                let theta = (aqq - app) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                // Rotate rows/columns p and q of m, and columns of v.
                for k in 0..d {
                    let (mkp, mkq) = (get(&m, k, p), get(&m, k, q));
                    if let Some(r) = m.get_mut(k) {
                        if let Some(x) = r.get_mut(p) {
                            *x = c * mkp - s * mkq;
                        }
                        if let Some(x) = r.get_mut(q) {
                            *x = s * mkp + c * mkq;
                        }
                    }
                }
                for k in 0..d {
                    let (mpk, mqk) = (get(&m, p, k), get(&m, q, k));
                    if let Some(x) = m.get_mut(p).and_then(|r| r.get_mut(k)) {
                        *x = c * mpk - s * mqk;
                    }
                    if let Some(x) = m.get_mut(q).and_then(|r| r.get_mut(k)) {
                        *x = s * mpk + c * mqk;
                    }
                }
                for row in v.iter_mut() {
                    let (vp, vq) = (
                        row.get(p).copied().unwrap_or(0.0),
                        row.get(q).copied().unwrap_or(0.0),
                    );
                    if let Some(x) = row.get_mut(p) {
                        *x = c * vp - s * vq;
                    }
                    if let Some(x) = row.get_mut(q) {
                        *x = s * vp + c * vq;
                    }
                }
            }
        }
    }
    let mut pairs: Vec<(f64, Vec<f64>)> = (0..d)
        .map(|j| {
            let mut vec: Vec<f64> = (0..d).map(|i| get(&v, i, j)).collect();
            // Sign convention: the largest loading is positive, so the map never flips between runs.
            let big = vec
                .iter()
                .copied()
                .fold(0.0f64, |acc, x| if x.abs() > acc.abs() { x } else { acc });
            if big < 0.0 {
                vec.iter_mut().for_each(|x| *x = -*x);
            }
            (get(&m, j, j), vec)
        })
        .collect();
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    pairs.into_iter().unzip()
}

/// Projects row-major `n × d` data onto its first two principal components.
pub fn pca2(data: &[f64], n: usize, d: usize) -> Projection {
    let mut mean = vec![0.0; d];
    for x in data.chunks_exact(d.max(1)) {
        mean.iter_mut().zip(x).for_each(|(m, v)| *m += v);
    }
    #[allow(clippy::cast_precision_loss)]
    let nf = n.max(1) as f64;
    mean.iter_mut().for_each(|m| *m /= nf);
    let mut cov = vec![0.0; d * d];
    let mut centred = vec![0.0; d];
    for x in data.chunks_exact(d.max(1)) {
        centred
            .iter_mut()
            .zip(x.iter().zip(&mean))
            .for_each(|(c, (v, m))| *c = v - m);
        for (row, &ci) in cov.chunks_exact_mut(d).zip(&centred) {
            row.iter_mut()
                .zip(&centred)
                .for_each(|(s, &cj)| *s += ci * cj);
        }
    }
    cov.iter_mut().for_each(|c| *c /= nf);
    let (values, vectors) = symmetric_eigen(&cov, d);
    let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
    let ratio = |i: usize| {
        let v = values.get(i).copied().unwrap_or(0.0).max(0.0);
        if total > 0.0 {
            v / total
        } else {
            0.0
        }
    };
    let zero = vec![0.0; d];
    let c0 = vectors.first().cloned().unwrap_or_else(|| zero.clone());
    let c1 = vectors.get(1).cloned().unwrap_or_else(|| zero.clone());
    let mut x = Vec::with_capacity(n);
    let mut y = Vec::with_capacity(n);
    for row in data.chunks_exact(d.max(1)) {
        let (mut a, mut b) = (0.0, 0.0);
        for (((v, m), p), q) in row.iter().zip(&mean).zip(&c0).zip(&c1) {
            a += (v - m) * p;
            b += (v - m) * q;
        }
        x.push(a);
        y.push(b);
    }
    Projection {
        x,
        y,
        explained_variance_ratio: [ratio(0), ratio(1)],
        components: [c0, c1],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_of_known_matrix() {
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with vectors (1, 1)/√2 and (1, −1)/√2.
        let (vals, vecs) = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        assert!((vals[0] - 3.0).abs() < 1e-12 && (vals[1] - 1.0).abs() < 1e-12);
        let h = 0.5f64.sqrt();
        assert!((vecs[0][0] - h).abs() < 1e-12 && (vecs[0][1] - h).abs() < 1e-12);
        assert!((vecs[1][0].abs() - h).abs() < 1e-12);
    }

    #[test]
    fn pca_finds_the_main_axis() {
        // Points along y = 2x with a little noise in the other direction.
        let mut data = Vec::new();
        for i in 0..50 {
            let t = f64::from(i) - 25.0;
            let e = if i % 2 == 0 { 0.1 } else { -0.1 };
            data.extend([t + 2.0 * e, 2.0 * t - e]);
        }
        let p = pca2(&data, 50, 2);
        assert!(p.explained_variance_ratio[0] > 0.99);
        let c = &p.components[0];
        assert!((c[1] / c[0] - 2.0).abs() < 0.01, "{c:?}");
        assert_eq!(p.x.len(), 50);
        assert!(p.x.iter().sum::<f64>().abs() < 1e-9);
    }
}
