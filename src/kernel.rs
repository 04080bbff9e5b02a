//! The distance kernel shared by k-means, the cluster-quality metrics and anything else that
//! measures feature rows (a leaf). k-means' paired, width-specialised loops live in
//! `cluster::kmeans::kernel` and keep, lane by lane, the exact addition order of [`sqdist`], so
//! every caller sees bit-identical distances on every target.

/// Squared Euclidean distance of two equally long rows (extra values of the longer one are ignored).
#[inline]
pub fn sqdist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            let t = x - y;
            t * t
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squared_distance_by_hand() {
        // (1 − 4)² + (2 − 6)² = 9 + 16.
        assert_eq!(sqdist(&[1.0, 2.0], &[4.0, 6.0]), 25.0);
        assert_eq!(sqdist(&[], &[]), 0.0);
    }
}
