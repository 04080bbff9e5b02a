//! The CLV figures by class (segment, value tier), computed by the engine so the page only draws:
//! per group the customers with a figure, the mean P(alive) and the sums of expected purchases
//! and CLV (a sum is what a marketer budgets with; the page divides nothing).

use serde::Serialize;

use super::CustomerClv;

/// One group's CLV figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupClv {
    /// Class name.
    pub name: String,
    /// Customers in the class.
    pub customers: usize,
    /// Of them, with a P(alive) (in the calibration period).
    pub scored: usize,
    /// Mean P(alive) over the scored customers (`None` when none is scored).
    pub mean_p_alive: Option<f64>,
    /// Σ expected purchases over the horizon.
    pub expected_orders: f64,
    /// Σ expected spend × purchases (discounted when a rate is set), over customers with a CLV.
    pub clv: f64,
    /// Customers with a CLV figure.
    pub with_clv: usize,
}

/// The groups of `labels` (an index into `names` per customer) over `figures` (same order), in
/// the order of `names`. Sums run in customer order, so the bits are the same on every platform.
pub fn groups(labels: &[u16], names: &[String], figures: &[Option<CustomerClv>]) -> Vec<GroupClv> {
    let mut out: Vec<GroupClv> = names
        .iter()
        .map(|n| GroupClv {
            name: n.clone(),
            customers: 0,
            scored: 0,
            mean_p_alive: None,
            expected_orders: 0.0,
            clv: 0.0,
            with_clv: 0,
        })
        .collect();
    let mut p_sum = vec![0.0; names.len()];
    for (i, &l) in labels.iter().enumerate() {
        let Some(g) = out.get_mut(usize::from(l)) else {
            continue;
        };
        g.customers += 1;
        let Some(f) = figures.get(i).copied().flatten() else {
            continue;
        };
        g.scored += 1;
        if let Some(s) = p_sum.get_mut(usize::from(l)) {
            *s += f.p_alive;
        }
        g.expected_orders += f.expected_orders.unwrap_or(0.0);
        if let Some(v) = f.clv {
            g.clv += v;
            g.with_clv += 1;
        }
    }
    for (g, s) in out.iter_mut().zip(p_sum) {
        g.mean_p_alive = (g.scored > 0).then(|| s / g.scored as f64);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_means_by_group_by_hand() {
        let f = |p: f64, e: f64, v: Option<f64>| {
            Some(CustomerClv {
                p_alive: p,
                expected_orders: Some(e),
                expected_spend: v.map(|_| 1.0),
                clv: v,
            })
        };
        let figures = [
            f(0.5, 1.0, Some(10.0)),
            None,
            f(1.0, 2.0, None),
            f(0.25, 0.5, Some(4.0)),
        ];
        let names = vec!["A".to_string(), "B".to_string(), "C".to_string()];
        let g = groups(&[0, 0, 1, 0], &names, &figures);
        assert_eq!((g[0].customers, g[0].scored, g[0].with_clv), (3, 2, 2));
        assert_eq!(g[0].mean_p_alive, Some(0.375));
        assert_eq!((g[0].expected_orders, g[0].clv), (1.5, 14.0));
        assert_eq!(
            (g[1].mean_p_alive, g[1].clv, g[1].with_clv),
            (Some(1.0), 0.0, 0)
        );
        assert_eq!((g[2].customers, g[2].mean_p_alive), (0, None));
    }
}
