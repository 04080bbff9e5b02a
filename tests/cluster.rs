//! Clustering and explanation, end to end: recovery of known groups, determinism, bad input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_possible_truncation,
    clippy::float_cmp
)]

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use tierlens::cluster::{self, ClusterOptions, KChoice, KMeansParams};
use tierlens::features::Customers;
use tierlens::Recipe;

#[path = "common/determinism.rs"]
mod determinism;
#[path = "common/golden.rs"]
mod golden;
use determinism::{clusters_text, kmeans_text, sample_analysis, CENTERS};

/// Gaussian blobs (Box–Muller) around `centers`, labels known.
fn blobs(n: usize, centers: &[[f64; 3]], sd: f64, seed: u64) -> (Vec<f64>, Vec<usize>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut data = Vec::with_capacity(n * 3);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let j = i % centers.len();
        for c in centers[j] {
            let u1: f64 = 1.0 - rng.gen::<f64>();
            let u2: f64 = rng.gen();
            data.push(c + sd * (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos());
        }
        labels.push(j);
    }
    (data, labels)
}

fn comb2(x: usize) -> f64 {
    (x as f64) * (x as f64 - 1.0) / 2.0
}

/// Adjusted Rand index (Hubert & Arabie).
fn ari(a: &[usize], b: &[usize]) -> f64 {
    let ka = a.iter().max().unwrap() + 1;
    let kb = b.iter().max().unwrap() + 1;
    let mut t = vec![vec![0usize; kb]; ka];
    for (&x, &y) in a.iter().zip(b) {
        t[x][y] += 1;
    }
    let sum_ij: f64 = t.iter().flatten().map(|&v| comb2(v)).sum();
    let sum_a: f64 = t.iter().map(|r| comb2(r.iter().sum())).sum();
    let sum_b: f64 = (0..kb).map(|j| comb2(t.iter().map(|r| r[j]).sum())).sum();
    let total = comb2(a.len());
    let expected = sum_a * sum_b / total;
    let max = (sum_a + sum_b) / 2.0;
    (sum_ij - expected) / (max - expected)
}

#[test]
fn kmeans_recovers_known_blobs() {
    let (data, truth) = blobs(4000, &CENTERS, 1.0, 11);
    let m = KMeansParams::new(4)
        .seed(3)
        .check()
        .unwrap()
        .fit_rows(&data, 3)
        .unwrap();
    let labels: Vec<usize> = m.labels.iter().map(|&l| usize::from(l)).collect();
    let score = ari(&truth, &labels);
    assert!(score >= 0.95, "ARI {score}");
}

#[test]
fn automatic_k_finds_the_number_of_blobs() {
    let (data, truth) = blobs(3000, &CENTERS, 1.0, 5);
    let o = ClusterOptions::default();
    let ks: Vec<u16> = (2..=8).collect();
    let sel = cluster::sweep(&data, 3, &ks, &o).unwrap();
    assert_eq!(cluster::choose(&sel), Some(4), "{sel:?}");
    assert_eq!(sel.k.len(), 7);
    assert!(sel.silhouette.iter().all(Option::is_some));
    // Inertia falls with k; Davies–Bouldin is lowest at the true k.
    assert!(sel.inertia.windows(2).all(|w| w[1] <= w[0] * 1.0001));
    let db: Vec<f64> = sel.davies_bouldin.iter().map(|v| v.unwrap()).collect();
    let best_db = db.iter().cloned().fold(f64::INFINITY, f64::min);
    assert_eq!(db[2], best_db);
    assert!(!sel.silhouette_sampled);
    let m = KMeansParams::new(4)
        .check()
        .unwrap()
        .fit_rows(&data, 3)
        .unwrap();
    let labels: Vec<usize> = m.labels.iter().map(|&l| usize::from(l)).collect();
    assert!(ari(&truth, &labels) >= 0.95);
}

/// Customers whose log-RFM features form `groups` blobs.
fn rfm_customers(n: usize, seed: u64) -> (Customers, Vec<usize>) {
    let centers = [[3.0, 0.2, 3.5], [4.8, 0.7, 5.5], [1.0, 2.0, 7.5]];
    let (data, truth) = blobs(n, &centers, 0.2, seed);
    let mut c = Customers::default();
    for (i, x) in data.chunks_exact(3).enumerate() {
        c.ids.push(format!("C{i:05}"));
        c.recency_days.push(x[0].exp().round().max(1.0) as i32);
        c.frequency.push(x[1].exp().round().max(1.0) as u32);
        c.monetary.push((x[2].exp() * 100.0).round() / 100.0);
        c.aov.push(0.0);
        c.tenure_days.push(400);
        c.mean_gap_days.push(None);
        c.region
            .push(Some(if i % 3 == 0 { "East" } else { "West" }.into()));
    }
    (c, truth)
}

#[test]
fn pipeline_stage_names_and_renumbers_clusters() {
    let (c, truth) = rfm_customers(1500, 2);
    let seg = vec![0u16; c.len()];
    let r = cluster::run(&c, &seg, &["All".into()], &ClusterOptions::default()).unwrap();
    assert_eq!(r.report.k, 3, "{:?}", r.report.selection);
    assert_eq!(r.report.chosen_by, "auto");
    let labels: Vec<usize> = r.labels.iter().map(|&l| usize::from(l)).collect();
    assert!(ari(&truth, &labels) >= 0.95);
    // Largest cluster first, names distinct, centroids back in original units.
    let sizes: Vec<usize> = r.report.clusters.iter().map(|c| c.size).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
    let recent = r
        .report
        .clusters
        .iter()
        .find(|c| c.name.contains("frequent") && !c.name.contains("infrequent"))
        .expect("a frequent cluster");
    assert!(recent.centroid["frequency"] > 5.0, "{recent:?}");
    assert!(recent.name_zh.contains("高频"), "{}", recent.name_zh);
    assert_eq!(recent.top_segment, "All");
    assert_eq!(recent.top_segment_share, 1.0);
    assert_eq!(r.report.summary.len(), 3);
    assert_eq!(
        r.report.crosstab.counts.iter().flatten().sum::<usize>(),
        1500
    );
    assert_eq!(r.report.projection.x.len(), 1500);
    assert!(r.report.projection.explained_variance_ratio[0] > 0.5);
    let sel = r.report.selection.as_ref().unwrap();
    assert_eq!(sel.k, (2..=10).collect::<Vec<u16>>());
}

#[test]
fn same_recipe_and_seed_give_identical_labels() {
    let (c, _) = rfm_customers(900, 4);
    let seg = vec![0u16; c.len()];
    let o = ClusterOptions {
        k: KChoice::Fixed(3),
        ..ClusterOptions::default()
    };
    let a = cluster::run(&c, &seg, &["All".into()], &o).unwrap();
    let b = cluster::run(&c, &seg, &["All".into()], &o).unwrap();
    assert_eq!(a, b);
    // Regression golden file: the wasm32 test in tests/cluster_wasm.rs compares the same file, so
    // labels, centres and inertia are identical natively and in Wasm.
    golden::check(
        "kmeans-blobs.txt",
        determinism::KMEANS_GOLDEN,
        &kmeans_text(),
        "cluster",
    );
}

#[test]
fn whole_pipeline_clusters_match_the_golden_file() {
    // The wasm32 test in tests/cluster_wasm.rs compares the same file: the clustering stage is
    // identical in Wasm.
    golden::check(
        "sample-clusters.txt",
        determinism::CLUSTERS_GOLDEN,
        &clusters_text(&sample_analysis()),
        "cluster",
    );
}

#[test]
fn degenerate_inputs_fall_back_or_fail_clearly() {
    let (c, _) = rfm_customers(30, 1);
    let seg = vec![0u16; c.len()];
    let names = ["All".to_string()];
    // One customer: one cluster, with a warning.
    let mut one = c.clone();
    one.ids.truncate(1);
    one.recency_days.truncate(1);
    one.frequency.truncate(1);
    one.monetary.truncate(1);
    one.aov.truncate(1);
    one.tenure_days.truncate(1);
    one.mean_gap_days.truncate(1);
    one.region.truncate(1);
    let r = cluster::run(&one, &seg[..1], &names, &ClusterOptions::default()).unwrap();
    assert_eq!((r.report.k, r.report.chosen_by.as_str()), (1, "fallback"));
    assert_eq!(r.warnings[0].code, "cluster_one_customer");
    assert!(r.warnings[0].message.contains("only one customer"));
    // All identical features: same fallback.
    let mut same = c.clone();
    same.recency_days.iter_mut().for_each(|v| *v = 5);
    same.frequency.iter_mut().for_each(|v| *v = 2);
    same.monetary.iter_mut().for_each(|v| *v = 10.0);
    let r = cluster::run(&same, &seg, &names, &ClusterOptions::default()).unwrap();
    assert_eq!(r.report.k, 1);
    assert!(r.labels.iter().all(|&l| l == 0));
    assert_eq!(r.warnings[0].code, "cluster_identical");
    // k above the distinct customers: a clear error.
    let mut few = c.clone();
    for (i, (r, m)) in few
        .recency_days
        .iter_mut()
        .zip(few.monetary.iter_mut())
        .enumerate()
    {
        *r = (i % 2) as i32 * 50 + 1;
        *m = 10.0;
    }
    few.frequency.iter_mut().for_each(|v| *v = 1);
    let o = ClusterOptions {
        k: KChoice::Fixed(5),
        ..ClusterOptions::default()
    };
    let e = cluster::run(&few, &seg, &names, &o).unwrap_err();
    assert_eq!(e.code(), "analysis");
    assert!(e.to_string().contains("2 distinct"), "{e}");
    // Auto k with two distinct profiles: k = 2 and a warning.
    let r = cluster::run(&few, &seg, &names, &ClusterOptions::default()).unwrap();
    assert_eq!(r.report.k, 2);
    // NaN or infinity in a feature: error, not panic.
    let mut bad = c.clone();
    bad.monetary[3] = f64::NAN;
    let e = cluster::run(&bad, &seg, &names, &ClusterOptions::default()).unwrap_err();
    assert!(e.to_string().contains("NaN"), "{e}");
    bad.monetary[3] = f64::INFINITY;
    assert!(cluster::run(&bad, &seg, &names, &ClusterOptions::default()).is_err());
    // No customers.
    let e = cluster::run(
        &Customers::default(),
        &[],
        &names,
        &ClusterOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "analysis");
}

#[test]
fn recipe_settings_parse_and_validate() {
    let r = Recipe::from_json(r#"{"cluster": {"k": "auto", "seed": 7}}"#).unwrap();
    assert_eq!(r.cluster.k, KChoice::Auto);
    let r = Recipe::from_json(r#"{"cluster": {"k": 4, "features": ["recency_days", "aov", "region"]}, "explain": {"maxDepth": 2}}"#).unwrap();
    assert_eq!(r.cluster.k, KChoice::Fixed(4));
    assert_eq!(r.explain.max_depth, 2);
    assert_eq!(
        Recipe::from_json(r#"{"cluster": {"k": "four"}}"#)
            .unwrap_err()
            .code(),
        "recipe_syntax"
    );
    let e = tierlens::Plan::from_json(r#"{"cluster": {"k": 0}}"#).unwrap_err();
    assert!(e.to_string().contains("cluster.k"), "{e}");
    // A name that is not built in may be an extra column of the file: checked once it is read.
    assert!(tierlens::Plan::from_json(r#"{"cluster": {"features": ["age"]}}"#).is_ok());
    let e = tierlens::Plan::from_json(r#"{"cluster": {"features": ["aov", "aov"]}}"#).unwrap_err();
    assert!(e.to_string().contains("cluster.features"), "{e}");
    let e = tierlens::Plan::from_json(r#"{"cluster": {"features": [" "]}}"#).unwrap_err();
    assert!(e.to_string().contains("cluster.features"), "{e}");
    let e = tierlens::Plan::from_json(r#"{"cluster": {"kRange": [1, 5]}}"#).unwrap_err();
    assert!(e.to_string().contains("cluster.kRange"), "{e}");
    let e = tierlens::Plan::from_json(r#"{"explain": {"maxDepth": 0}}"#).unwrap_err();
    assert!(e.to_string().contains("explain.maxDepth"), "{e}");
    // The default recipe round-trips with the new sections.
    assert_eq!(
        Recipe::from_json(&Recipe::default().to_json()).unwrap(),
        Recipe::default()
    );
}

#[test]
fn full_run_reports_clusters_rules_and_csv_columns() {
    let csv = tierlens::sample::generate(&tierlens::sample::SampleOptions {
        customers: 1500,
        ..Default::default()
    });
    let recipe = Recipe::from_json(
        r#"{"cluster": {"k": 4, "features": ["recency_days", "frequency", "monetary", "tenure_days"]},
            "explain": {"target": "region"}}"#,
    )
    .unwrap();
    let a = tierlens::segment(csv.as_bytes(), &recipe).unwrap();
    let c = a.clusters.as_ref().unwrap();
    assert_eq!(c.names.len(), 4);
    let out = String::from_utf8(a.customers_csv()).unwrap();
    let header: Vec<&str> = out.lines().next().unwrap().split(',').collect();
    // DESIGN.md §3: `cluster` sits between `lifecycle` and `code`.
    let seg = header.iter().position(|h| *h == "lifecycle").unwrap();
    assert_eq!(header[seg + 1], "cluster");
    assert_eq!(header[seg + 2], "code");
    assert_eq!(*header.last().unwrap(), "cluster_name");
    let first: Vec<&str> = out.lines().nth(1).unwrap().split(',').collect();
    let num: usize = first[seg + 1].parse().unwrap();
    assert!((1..=4).contains(&num));
    let report: serde_json::Value = serde_json::from_str(&a.report_json()).unwrap();
    assert_eq!(report["clusters"]["k"], 4);
    assert_eq!(report["clusters"]["chosenBy"], "fixed");
    assert!(
        report["clusters"]["clusters"][0]["centroid"]["monetary"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    let rules = &report["rules"]["clusters"];
    assert!(rules["fidelity"].as_f64().unwrap() > 0.7, "{rules}");
    assert!(rules["rules"][0]["text"].as_str().unwrap().contains(" → "));
    assert!(report["rules"]["segments"]["fidelity"].as_f64().unwrap() > 0.5);
    let sup = &report["rules"]["supervised"];
    assert_eq!(sup["target"], "region");
    assert!(sup["testCustomers"].as_u64().unwrap() > 300);
    // Predicting the target from its own one-hot columns is prevented.
    let recipe = Recipe::from_json(
        r#"{"cluster": {"features": ["recency_days", "region"]}, "explain": {"target": "region"}}"#,
    )
    .unwrap();
    let a = tierlens::segment(csv.as_bytes(), &recipe).unwrap();
    let sup = a.report.rules.supervised.as_ref().unwrap();
    assert!(sup.test_accuracy < 0.6, "{}", sup.test_accuracy);
    // A target that does not exist is a recipe error.
    let recipe = Recipe::from_json(r#"{"explain": {"target": "churned"}}"#).unwrap();
    let e = tierlens::segment(csv.as_bytes(), &recipe).unwrap_err();
    assert!(e.to_string().contains("explain.target"), "{e}");
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn customers_strategy() -> impl Strategy<Value = Customers> {
        let row = (
            0i32..5000,
            0u32..50,
            prop_oneof![
                40 => -1e9f64..1e9,
                2 => Just(0.0),
                2 => Just(1e300),
                1 => Just(f64::NAN),
                1 => Just(f64::INFINITY),
            ],
            proptest::option::of(prop_oneof![Just("East"), Just("West"), Just("")]),
            proptest::option::of(0.0f64..400.0),
        );
        proptest::collection::vec(row, 0..40).prop_map(|rows| {
            let mut c = Customers::default();
            for (i, (r, f, m, reg, gap)) in rows.into_iter().enumerate() {
                c.ids.push(format!("{i}"));
                c.recency_days.push(r);
                c.frequency.push(f);
                c.monetary.push(m);
                c.aov.push(if f > 0 { m / f64::from(f) } else { 0.0 });
                c.tenure_days.push(r + 10);
                c.mean_gap_days.push(gap);
                c.region.push(reg.map(str::to_string));
            }
            c
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn clustering_and_rules_return_ok_or_err(c in customers_strategy(), k in 0u16..6, all in any::<bool>()) {
            let names = vec!["A".to_string(), "B".to_string()];
            let seg: Vec<u16> = (0..c.len()).map(|i| (i % 2) as u16).collect();
            let features: Vec<String> = if all {
                cluster::features::KNOWN.iter().map(|s| s.to_string()).collect()
            } else {
                vec!["recency_days".into(), "monetary".into()]
            };
            let o = ClusterOptions {
                k: if k == 0 { KChoice::Auto } else { KChoice::Fixed(k) },
                features,
                n_init: 2,
                ..ClusterOptions::default()
            };
            let finite = c.monetary.iter().all(|v| v.is_finite());
            let res = cluster::run(&c, &seg, &names, &o);
            if finite && !c.is_empty() && k <= 1 {
                prop_assert!(res.is_ok(), "{:?}", res.err());
            }
            if let Ok(r) = res {
                prop_assert_eq!(r.labels.len(), c.len());
                prop_assert!(r.labels.iter().all(|&l| usize::from(l) < r.report.k));
                let x = tierlens::explain::Features { data: &r.matrix.raw, columns: &r.matrix.columns };
                let e = tierlens::explain::explain(x, tierlens::labels::LabelView::new(&r.labels, &r.names), "cluster", &Default::default());
                if let Ok(e) = e {
                    prop_assert!((0.0..=1.0).contains(&e.fidelity));
                }
            }
        }
    }
}

#[test]
fn extra_input_columns_are_clustering_features() {
    // Two groups that differ only in the extra columns: "age" (numeric) and "channel" (categorical).
    let mut csv = String::from("customer,date,amount,age,channel\n");
    for i in 0..40 {
        let (age, channel) = if i % 2 == 0 {
            (22, "app")
        } else {
            (61, "store")
        };
        csv.push_str(&format!(
            "C{i:02},2024-03-{:02},100,{age},{channel}\n",
            1 + i % 20
        ));
    }
    let recipe = Recipe::from_json(
        r#"{"asOf": "2024-04-01", "cluster": {"k": 2, "features": ["age", "channel"]}}"#,
    )
    .unwrap();
    let a = tierlens::pipeline::segment(csv.as_bytes(), &recipe).unwrap();
    let c = a.clusters.as_ref().expect("clustering ran");
    let names: Vec<&str> = c.report.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["age", "channel=app", "channel=store"]);
    // The two groups are the two clusters.
    for i in 0..40 {
        assert_eq!(c.labels[i] == c.labels[0], i % 2 == 0, "customer {i}");
    }
    // A name that is neither built in nor a column of this file: the message lists the columns.
    let recipe = Recipe::from_json(r#"{"cluster": {"features": ["income"]}}"#).unwrap();
    let e = tierlens::pipeline::segment(csv.as_bytes(), &recipe).unwrap_err();
    assert_eq!(e.code(), "invalid_recipe");
    assert!(e.to_string().contains("age, channel"), "{e}");
}
