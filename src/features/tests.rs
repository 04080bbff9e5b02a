//! Aggregation tests: expected figures worked out by hand from the rows given.

use super::finish::percentile_sorted;
use super::*;

fn t<'a>(customer: &'a str, order: Option<&'a str>, day: Day, amount: f64) -> Transaction<'a> {
    Transaction {
        row: 0,
        customer,
        order,
        day,
        amount,
        region: None,
    }
}

#[test]
fn frequency_counts_distinct_orders_or_days() {
    let mut a = Aggregator::new();
    a.add(&t("A", Some("o1"), 10, 5.0));
    a.add(&t("A", Some("o1"), 10, 5.0)); // second line of the same order
    a.add(&t("A", Some("o2"), 20, 10.0));
    a.add(&t("A", Some("c3"), 21, -4.0)); // a return: not an order, still netted
    let c = a.finish(None);
    assert_eq!(c.ids, vec!["A"]);
    assert_eq!(c.frequency, vec![2]);
    assert_eq!(c.monetary, vec![16.0]);
    assert_eq!(c.as_of, 22);
    assert_eq!(c.recency_days, vec![2]); // latest counted order is day 20
    assert_eq!(c.tenure_days, vec![12]);
    assert_eq!(c.mean_gap_days, vec![Some(10.0)]);

    let mut a = Aggregator::new();
    a.add(&t("B", None, 3, 1.0));
    a.add(&t("B", None, 3, 2.0));
    a.add(&t("B", None, 4, 3.0));
    let c = a.finish(Some(10));
    assert_eq!(c.frequency, vec![2]);
    assert_eq!(c.recency_days, vec![6]);
    assert_eq!(c.aov, vec![3.0]);
}

#[test]
fn free_orders_count_and_orders_returned_to_zero_do_not() {
    let mut a = Aggregator::new();
    // Z: a single free order (a promotion) on day 5.
    a.add(&t("Z", Some("p1"), 5, 0.0));
    // R: bought 10 on day 3 and returned it in the same order on day 4; a paid order on day 8.
    a.add(&t("R", Some("r1"), 3, 10.0));
    a.add(&t("R", Some("r1"), 4, -10.0));
    a.add(&t("R", Some("r2"), 8, 6.0));
    // N: no order id; a free line and a paid line on day 2 are one order, a lone free day 9.
    a.add(&t("N", None, 2, 0.0));
    a.add(&t("N", None, 2, 4.0));
    a.add(&t("N", None, 9, 0.0));
    let c = a.finish(Some(10));
    assert_eq!(c.ids, vec!["N", "R", "Z"]);
    assert_eq!(c.frequency, vec![2, 1, 1]);
    assert_eq!(c.monetary, vec![4.0, 6.0, 0.0]);
    assert_eq!(c.recency_days, vec![1, 2, 5]);
    assert_eq!(c.tenure_days, vec![8, 2, 5]);
    assert_eq!(c.aov, vec![2.0, 6.0, 0.0]);
}

#[test]
fn customers_come_out_sorted_and_sums_ignore_row_order() {
    let rows = [("b", 1, 0.1), ("a", 2, 0.2), ("b", 3, 0.7), ("a", 1, 1e-7)];
    let mut fwd = Aggregator::new();
    rows.iter()
        .for_each(|&(c, d, v)| fwd.add(&t(c, None, d, v)));
    let mut rev = Aggregator::new();
    rows.iter()
        .rev()
        .for_each(|&(c, d, v)| rev.add(&t(c, None, d, v)));
    assert_eq!(fwd.finish(None), rev.finish(None));
    assert_eq!(fwd.finish(None).ids, vec!["a", "b"]);
}

#[test]
fn attributes_take_the_latest_row_whatever_the_order() {
    let rows = [
        (
            "A",
            5,
            Some(AttrCell::Text("web")),
            Some(AttrCell::Number(30.0)),
        ),
        ("A", 9, Some(AttrCell::Text("store")), None),
        (
            "A",
            9,
            Some(AttrCell::Text("app")),
            Some(AttrCell::Number(31.0)),
        ),
        ("B", 2, None, Some(AttrCell::Number(40.0))),
    ];
    let run = |rev: bool| {
        let mut a = Aggregator::new();
        a.define_attributes(vec![
            ("channel".into(), AttributeKind::Categorical),
            ("age".into(), AttributeKind::Numeric),
        ]);
        let mut v: Vec<_> = rows.to_vec();
        if rev {
            v.reverse();
        }
        for (c, d, x, y) in v {
            a.add_with_attributes(&t(c, None, d, 1.0), &[x, y]);
        }
        a.finish(None)
    };
    let c = run(false);
    assert_eq!(c, run(true));
    assert_eq!(
        c.attributes[0].values,
        AttributeValues::Categorical(vec![Some("app".into()), None])
    );
    assert_eq!(
        c.attributes[1].values,
        AttributeValues::Numeric(vec![Some(31.0), Some(40.0)])
    );
}

#[test]
fn customer_rows_give_ready_made_figures() {
    let mut a = Aggregator::new();
    let row = |customer, last_day, first_day, orders, spend| CustomerRow {
        customer,
        last_day,
        first_day,
        orders,
        spend,
        region: None,
    };
    assert!(a.add_customer(&row("B", Some(100), Some(40), 4, 90.0), &[]));
    assert!(a.add_customer(&row("A", Some(110), None, 1, 15.5), &[]));
    assert!(!a.add_customer(&row("A", Some(120), None, 9, 1.0), &[]));
    // A prospect: no purchase yet. It takes the earliest purchase day of the file (100).
    assert!(a.add_customer(&row("P", None, None, 0, 0.0), &[]));
    let c = a.finish(None);
    assert_eq!(c.ids, vec!["A", "B", "P"]);
    assert_eq!(c.as_of, 111, "prospects do not move the default asOf");
    assert_eq!(c.recency_days, vec![1, 11, 11]);
    assert_eq!(c.frequency, vec![1, 4, 0]);
    assert_eq!(c.monetary, vec![15.5, 90.0, 0.0]);
    assert_eq!(c.tenure_days, vec![1, 71, 11]);
    assert_eq!(c.mean_gap_days, vec![None, Some(20.0), None]);
    assert_eq!(c.prospect, vec![false, false, true]);
}

#[test]
fn percentile_matches_numpy_default() {
    assert_eq!(percentile_sorted(&[10, 20, 30, 40, 50], 0.8), Some(42.0));
    assert_eq!(percentile_sorted(&[7], 0.8), Some(7.0));
    assert_eq!(percentile_sorted(&[], 0.8), None);
}
