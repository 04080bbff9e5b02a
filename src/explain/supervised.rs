//! Supervised mode: predict a categorical label column (e.g. `churned`) from the features, with
//! accuracy on a seeded held-out share.

use serde::Serialize;

use super::cart::{fit_tree, leaf_of, Presorted};
use super::rules::rules_of;
use super::{check_labels, CheckedExplain, ExplainOptions, Explanation, Features};
use crate::error::{Error, Result};
use crate::stats::sample_indices;

/// Supervised mode: predicting a label column, with held-out accuracy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Supervised {
    /// The label column.
    pub target: String,
    /// Its classes.
    pub classes: Vec<String>,
    /// Customers with a label used for training.
    pub train_customers: usize,
    /// Customers with a label held out.
    pub test_customers: usize,
    /// Accuracy on the training customers.
    pub train_accuracy: f64,
    /// Accuracy on the held-out customers.
    pub test_accuracy: f64,
    /// Accuracy of always guessing the most common training class, on the held-out customers.
    pub baseline_accuracy: f64,
    /// The fitted tree's rules (support, purity and fidelity over the training customers).
    pub rules: Explanation,
}

/// Supervised mode: predicts `labels` (`None` = unlabelled, left out) from the features, with a
/// seeded held-out share for accuracy.
pub fn supervised(
    x: Features<'_>,
    labels: &[Option<u16>],
    names: &[String],
    target: &str,
    o: &ExplainOptions,
) -> Result<Supervised> {
    supervised_checked(x, labels, names, target, &o.check()?)
}

/// [`supervised`] with settings already checked (the pipeline's, from the plan).
pub(super) fn supervised_checked(
    x: Features<'_>,
    labels: &[Option<u16>],
    names: &[String],
    target: &str,
    o: &CheckedExplain,
) -> Result<Supervised> {
    let labelled: Vec<usize> = labels
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.map(|_| i))
        .collect();
    if labelled.len() < 4 {
        return Err(Error::Analysis(format!(
            "{target}: only {} labelled customers; a held-out check needs at least 4",
            labelled.len()
        )));
    }
    let dense: Vec<u16> = labels.iter().map(|l| l.unwrap_or(0)).collect();
    check_labels(x, &dense, names)?;
    // Seeded shuffle of the labelled customers, then the first share is held out.
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let n_test =
        ((labelled.len() as f64 * o.holdout).round() as usize).clamp(1, labelled.len() - 1);
    let shuffled: Vec<usize> = {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(o.seed ^ 0x7e57);
        let mut v = labelled.clone();
        for i in (1..v.len()).rev() {
            #[allow(clippy::cast_possible_truncation)]
            let j = rng.gen_range(0..=i as u64) as usize;
            v.swap(i, j);
        }
        v
    };
    let (test, train) = shuffled.split_at(n_test);
    let mut train = train.to_vec();
    train.sort_unstable();
    let mut test = test.to_vec();
    test.sort_unstable();
    let cap = usize::try_from(o.fit_sample).unwrap_or(usize::MAX);
    let fit_rows: Vec<usize> = if cap == 0 || cap >= train.len() {
        train.clone()
    } else {
        sample_indices(train.len(), cap, o.seed)
            .into_iter()
            .filter_map(|j| train.get(j).copied())
            .collect()
    };
    let pre = Presorted::new(x, fit_rows);
    let fitted = fit_tree(x, &pre, &dense, names.len(), o)?;
    let (rules, train_pred) = rules_of(
        &fitted,
        x,
        &train,
        &dense,
        names,
        target,
        o,
        pre.rows().len(),
    );
    // Leaf classes come from the training customers only; apply them to the held-out ones.
    let leaf_class: Vec<(usize, u16)> = {
        let mut v = Vec::new();
        for (&i, &p) in train.iter().zip(&train_pred) {
            let mut next = 0;
            v.push((leaf_of(&fitted.root, x.row(i), &mut next), p));
        }
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut class_count = vec![0usize; names.len()];
    for &i in &train {
        if let Some(c) = dense
            .get(i)
            .and_then(|&l| class_count.get_mut(usize::from(l)))
        {
            *c += 1;
        }
    }
    let majority = class_count
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(&a.0)))
        .map_or(0, |(j, _)| j);
    let (mut hit, mut base) = (0usize, 0usize);
    for &i in &test {
        let mut next = 0;
        let leaf = leaf_of(&fitted.root, x.row(i), &mut next);
        let pred = leaf_class
            .iter()
            .find(|(l, _)| *l == leaf)
            .map_or(u16::try_from(majority).unwrap_or(0), |(_, p)| *p);
        let truth = dense.get(i).copied().unwrap_or(0);
        hit += usize::from(pred == truth);
        base += usize::from(usize::from(truth) == majority);
    }
    #[allow(clippy::cast_precision_loss)]
    let (tl, tt) = (test.len().max(1) as f64, train.len().max(1) as f64);
    let train_hit = train
        .iter()
        .zip(&train_pred)
        .filter(|(&i, &p)| dense.get(i) == Some(&p))
        .count();
    #[allow(clippy::cast_precision_loss)]
    Ok(Supervised {
        target: target.to_string(),
        classes: names.to_vec(),
        train_customers: train.len(),
        test_customers: test.len(),
        train_accuracy: train_hit as f64 / tt,
        test_accuracy: hit as f64 / tl,
        baseline_accuracy: base as f64 / tl,
        rules,
    })
}

/// Labels of a categorical column (`None` where missing) and its class names, sorted.
pub fn label_column(
    customers: &crate::features::Customers,
    name: &str,
) -> Result<(Vec<Option<u16>>, Vec<String>)> {
    use crate::matrix::{column, Column};
    let Some(col) = column(customers, name) else {
        return Err(Error::recipe(
            "explain.target",
            format!("the input has no column {name:?} to predict"),
        ));
    };
    let Column::Categorical(values) = col else {
        return Err(Error::recipe(
            "explain.target",
            format!("{name:?} is numeric; the supervised mode predicts a categorical column"),
        ));
    };
    let mut classes: Vec<String> = values.iter().flatten().cloned().collect();
    classes.sort();
    classes.dedup();
    if classes.len() > usize::from(u16::MAX) {
        return Err(Error::Analysis(format!(
            "{name:?} has too many distinct values"
        )));
    }
    let labels = values
        .iter()
        .map(|v| {
            v.as_ref()
                .and_then(|v| classes.binary_search(v).ok())
                .and_then(|i| u16::try_from(i).ok())
        })
        .collect();
    Ok((labels, classes))
}
