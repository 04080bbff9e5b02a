//! End-to-end tests of the native pipeline and the CLI on small, hand-checkable fixtures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::process::Command;

use tierlens::{segment, Dataset, Loader, Recipe};

#[path = "common/golden.rs"]
mod golden;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// tests/fixtures/small.csv was built from this table (customer: recency, orders, net spend); the scores
/// and segments are worked out by hand: with ten distinct values 1..10 (or 10..100) the quintile cut points
/// are 2.8, 4.6, 6.4, 8.2 (× 10 for money), so values pair up into scores; FM = ⌈(F + M) / 2⌉.
/// (id, recency, frequency, monetary, R, F, M, segment)
type Row = (&'static str, i32, u32, f64, u8, u8, u8, &'static str);
const EXPECTED: [Row; 10] = [
    ("A", 1, 10, 100.0, 5, 5, 5, "Champions"),
    ("B", 2, 1, 10.0, 5, 1, 1, "Recent Customers"),
    ("C", 3, 2, 30.0, 4, 1, 2, "Potential Loyalists"), // FM 1.5 → 2
    ("D", 4, 3, 20.0, 4, 2, 1, "Potential Loyalists"), // FM 1.5 → 2
    ("E", 5, 9, 90.0, 3, 5, 5, "Loyal Customers"),     // 100 bought, 10 returned
    ("F", 6, 4, 40.0, 3, 2, 2, "Need Attention"),
    ("G", 7, 5, 50.0, 2, 3, 3, "Need Attention"),
    ("H", 8, 8, 80.0, 2, 4, 4, "At Risk"),
    ("I", 9, 7, 70.0, 1, 4, 4, "Can't Lose Them"),
    ("J", 10, 6, 60.0, 1, 3, 3, "At Risk"),
];

#[test]
fn small_fixture_matches_hand_computed_rfm_scores_and_segments() {
    let a = segment(&fixture("small.csv"), &Recipe::default()).unwrap();
    assert_eq!(a.report.as_of, "2024-07-01"); // the day after the latest order (2024-06-30)
    assert_eq!(a.customers.len(), 10);
    for (i, &(id, rec, freq, mon, r, f, m, seg)) in EXPECTED.iter().enumerate() {
        assert_eq!(a.customers.ids[i], id);
        assert_eq!(a.customers.recency_days[i], rec, "recency of {id}");
        assert_eq!(a.customers.frequency[i], freq, "frequency of {id}");
        assert_eq!(a.customers.monetary[i], mon, "monetary of {id}");
        assert_eq!(
            (a.scores.r[i], a.scores.f[i], a.scores.m[i]),
            (r, f, m),
            "scores of {id}"
        );
        let name = &a.scores.segment_names[usize::from(a.scores.segment[i])];
        assert_eq!(name, seg, "segment of {id}");
    }
    let cuts: Vec<Vec<f64>> = a.report.thresholds.iter().map(|t| t.cuts.clone()).collect();
    let close = |x: &[f64], y: &[f64]| x.iter().zip(y).all(|(a, b)| (a - b).abs() < 1e-9);
    assert!(close(&cuts[0], &[2.8, 4.6, 6.4, 8.2]), "{cuts:?}");
    assert!(close(&cuts[1], &[2.8, 4.6, 6.4, 8.2]), "{cuts:?}");
    assert!(close(&cuts[2], &[28.0, 46.0, 64.0, 82.0]), "{cuts:?}");
}

#[test]
fn small_fixture_accounts_for_every_row() {
    let a = segment(&fixture("small.csv"), &Recipe::default()).unwrap();
    let r = &a.report;
    // 57 good rows (rows 2..58, one of them a return), then three bad ones at rows 59, 60, 61.
    assert_eq!(r.rows_read, 60);
    assert_eq!(r.rows_used, 57);
    assert_eq!(r.returns, 1);
    let rejected: u64 = r.rows_rejected.values().map(|x| x.count).sum();
    assert_eq!(r.rows_read, r.rows_used + rejected);
    assert_eq!(r.rows_rejected["missing_customer_id"].rows, vec![59]);
    assert_eq!(r.rows_rejected["bad_date"].rows, vec![60]);
    assert_eq!(r.rows_rejected["bad_date"].examples, vec!["2024-13-45"]);
    assert_eq!(r.rows_rejected["bad_amount"].rows, vec![61]);
    assert_eq!(r.rows_rejected["bad_amount"].examples, vec!["abc"]);
}

#[test]
fn segment_summary_adds_up() {
    let a = segment(&fixture("small.csv"), &Recipe::default()).unwrap();
    let s = a.segment_summary();
    assert_eq!(s.len(), 11, "every rfm11 segment is listed, empty ones too");
    assert_eq!(s.iter().map(|g| g.customers).sum::<usize>(), 10);
    let at_risk = s.iter().find(|g| g.name == "At Risk").unwrap();
    assert_eq!(at_risk.customers, 2); // H and J
    assert_eq!(at_risk.revenue, 140.0);
    assert!((at_risk.revenue_share - 140.0 / 550.0).abs() < 1e-12);
    assert_eq!(at_risk.mean_recency_days, 9.0);
    assert_eq!(at_risk.mean_frequency, 7.0);
    let share: f64 = s.iter().map(|g| g.share).sum();
    assert!((share - 1.0).abs() < 1e-12);
}

#[test]
fn as_of_and_reanalysis_without_reloading() {
    let bytes = fixture("small.csv");
    let ds = Dataset::from_bytes(&bytes, &Recipe::default()).unwrap();
    let later = Recipe::from_json(r#"{"asOf": "2024-07-11"}"#).unwrap();
    let a = ds.analyze(&later).unwrap();
    assert_eq!(a.customers.recency_days[0], 11); // A's last order was 2024-06-30
                                                 // An earlier as_of changes which rows count: that needs a new load, and says so.
    let earlier = Recipe::from_json(r#"{"asOf": "2024-06-01"}"#).unwrap();
    let e = ds.analyze(&earlier).unwrap_err();
    assert_eq!((e.code(), e.field()), ("as_of_before_data", Some("asOf")));
    // Loaded with that as_of, later rows are set aside with their own reason.
    let a = segment(&bytes, &earlier).unwrap();
    assert!(a.report.rows_rejected["after_as_of"].count > 0);
    let rejected: u64 = a.report.rows_rejected.values().map(|x| x.count).sum();
    assert_eq!(a.report.rows_read, a.report.rows_used + rejected);
}

#[test]
fn chunk_boundaries_do_not_change_the_result() {
    let sample = tierlens::sample::generate(&tierlens::sample::SampleOptions {
        customers: 300,
        ..Default::default()
    });
    let whole = segment(sample.as_bytes(), &Recipe::default()).unwrap();
    for size in [1usize, 7, 4096] {
        let mut loader = Loader::two_pass(&Recipe::default(), None).unwrap();
        assert_eq!(loader.passes(), 2);
        for pass in 1..=2 {
            if pass == 2 {
                loader.end_first_pass().unwrap();
            }
            for chunk in sample.as_bytes().chunks(size) {
                assert_eq!(loader.push(chunk).unwrap().pass, pass);
            }
        }
        let a = loader
            .finish()
            .unwrap()
            .analyze(&Recipe::default())
            .unwrap();
        assert_eq!(a, whole, "chunk size {size}");
    }
}

#[test]
fn chinese_headers_and_gbk_are_understood() {
    // GBK has no ¥ (U+00A5); Chinese exports use the full-width ￥.
    let text = "订单编号,客户ID,下单时间,实付金额,地区\nA1,张三,2024年3月5日,\"￥1,200.50\",华东\nA2,李四,2024/3/6,88,华北\nA3,张三,2024-03-07,100,华东\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    for bytes in [text.as_bytes().to_vec(), gbk.into_owned()] {
        let a = segment(&bytes, &Recipe::default()).unwrap();
        assert_eq!(a.customers.ids, vec!["张三", "李四"]);
        assert_eq!(a.customers.monetary, vec![1300.5, 88.0]);
        assert_eq!(a.customers.frequency, vec![2, 1]);
        assert_eq!(a.customers.region[0].as_deref(), Some("华东"));
        assert_eq!(a.report.as_of, "2024-03-08");
    }
}

#[test]
fn fatal_input_problems_are_typed_errors() {
    let r = Recipe::default();
    assert_eq!(segment(b"", &r).unwrap_err().code(), "empty_input");
    assert_eq!(
        segment(b"customer_id,date,amount\n", &r)
            .unwrap_err()
            .code(),
        "no_data_rows"
    );
    let e = segment(b"customer_id,amount\nA,1\n", &r).unwrap_err();
    assert_eq!(e.code(), "missing_column");
    assert!(e.to_string().contains("date"), "{e}");
    let e = segment(b"customer_id,date,amount\nA,nope,1\nB,never,2\n", &r).unwrap_err();
    assert_eq!(e.code(), "no_usable_rows");
    assert!(e.to_string().contains("bad_date"), "{e}");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe";
    assert_eq!(segment(png, &r).unwrap_err().code(), "unsupported_format");
}

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tierlens"))
}

#[test]
fn cli_writes_customers_csv_and_report_json() {
    let out = std::env::temp_dir().join(format!("tierlens-cli-{}", std::process::id()));
    let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.csv");
    let status = cli()
        .arg("segment")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let csv = std::fs::read_to_string(out.join("customers.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment,value_tier,lifecycle,cluster,code,action,aov,tenure_days,first_purchase,last_purchase,region,mean_gap_days,cluster_name"
    );
    assert_eq!(
        lines.next().unwrap(),
        "A,1,10,100,5,5,5,Champions,Gold,Active,1,2A-0001,\"Reward them: early access, VIP perks, ask for reviews and referrals\",10,91,2024-04-01,2024-06-30,East,10,high spend · frequent"
    );
    assert_eq!(csv.lines().count(), 11);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["rowsRead"], 60);
    assert_eq!(report["rowsUsed"], 57);
    assert_eq!(report["customers"], 10);
    assert_eq!(report["asOf"], "2024-07-01");
    assert_eq!(report["rowsRejected"]["bad_date"]["rows"][0], 60);
    std::fs::remove_dir_all(&out).unwrap();
}

/// Runs `tierlens segment INPUT --out DIR [extra…]` expecting failure; returns stderr after checking
/// the contract: exit status 1, exactly one line, no panic message or backtrace.
fn segment_error(
    input: &std::path::Path,
    out: &std::path::Path,
    extra: &[&std::ffi::OsStr],
) -> String {
    let o = cli()
        .env("RUST_BACKTRACE", "1")
        .arg("segment")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("tierlens: error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn cli_fails_with_one_clear_line() {
    let dir = std::env::temp_dir().join(format!("tierlens-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("o");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "customer,amount\nA,1\n").unwrap();
    let err = segment_error(&bad, &out, &[]);
    assert!(
        err.starts_with("tierlens: error: missing required column: date"),
        "{err}"
    );

    assert!(segment_error(&dir.join("missing.csv"), &out, &[]).contains("cannot open"));

    // calamine panics on this damaged workbook: still one line, no panic message, no backtrace.
    let damaged =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest/damaged_cfb.xls");
    let err = segment_error(&damaged, &out, &[]);
    assert!(
        err.starts_with("tierlens: error: unsupported input"),
        "{err}"
    );

    let recipe = dir.join("recipe.json");
    std::fs::write(&recipe, r#"{"score": {"bins": 9}}"#).unwrap();
    let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small.csv");
    let err = segment_error(&input, &out, &["--recipe".as_ref(), recipe.as_os_str()]);
    assert!(err.contains("score.bins"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_default_sample_matches_the_golden_files_natively_and_in_wasm() {
    // tests/wasm.rs compares the same files under wasm32: the two builds must agree byte for byte
    // on the whole analysis of the sample (scores, tiers, clusters, rules, report). customers.csv and
    // report.json apart: a report-only change (a new report field) leaves the first file alone.
    let sample = tierlens::sample::generate(&tierlens::sample::SampleOptions::default());
    let a = segment(sample.as_bytes(), &Recipe::default()).unwrap();
    assert_eq!(a.report.rows_used, 20_178);
    let csv = String::from_utf8(a.customers_csv()).unwrap();
    // The crate version is the report's one volatile part; it is stored as `<version>`.
    let report = golden::without_version(&a.report_json());
    assert!(
        report.contains("\"<version>\""),
        "the version line was found"
    );
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("TIERLENS_BLESS").is_some_and(|v| v == "1");
    for (name, got) in [
        ("sample-customers.csv", csv.as_str()),
        ("sample-report.json", report.as_str()),
    ] {
        let path = dir.join(name);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (TIERLENS_BLESS=1 writes it)", path.display()));
        golden::assert_same(name, &want, got);
    }
}

#[test]
fn a_golden_mismatch_names_the_first_differing_line() {
    // The comparison itself can fail, and says where.
    assert_eq!(golden::first_difference("a\nb\n", "a\nb\n"), None);
    let diff = golden::first_difference("id,r\nA,5\nB,4\n", "id,r\nA,5\nB,3\n").unwrap();
    assert!(diff.starts_with("first difference at line 3"), "{diff}");
    assert!(
        diff.contains("\"B,4\"") && diff.contains("\"B,3\""),
        "{diff}"
    );
    let diff = golden::first_difference("a\n", "a\nextra\n").unwrap();
    assert!(diff.starts_with("first difference at line 2"), "{diff}");
    let caught = std::panic::catch_unwind(|| golden::assert_same("x.csv", "a", "b"));
    assert!(caught.is_err());
}

#[test]
fn the_readme_recipe_example_is_a_valid_recipe() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let section = &readme[readme.find("## Recipe").unwrap()..];
    let start = section.find("```json\n").unwrap() + "```json\n".len();
    let end = start + section[start..].find("```").unwrap();
    let recipe = Recipe::from_json(&section[start..end]).unwrap();
    assert_eq!(recipe.score.bins, 5);
    assert!(recipe.as_of.is_some());
}
