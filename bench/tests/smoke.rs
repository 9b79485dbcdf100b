//! The harness smoke (CI): a seconds-long session against the real fleet (debug binaries) that must produce
//! numbers for every figure and no errors. No timing thresholds: the numbers are for `RESULTS.md`.

use std::path::PathBuf;
use std::time::Duration;

use bench::report::{rows, Unit};
use bench::scenarios::Options;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_short_session_measures_every_scenario_without_errors() {
    let session = bench::session(Options {
        runs: 1,
        duration: Duration::from_millis(500),
        mixed_duration: Duration::from_millis(500),
        connections: 2,
        rate: 50.0,
        sales_rows: 5_000,
        products: 2,
        baseline_exe: PathBuf::from(env!("CARGO_BIN_EXE_bench")),
    })
    .await
    .expect("the session runs");
    eprintln!("{}", bench::report::markdown(&session.runs));
    let rows = rows(&session.runs);
    for name in [
        "baseline.per_s",
        "catalogue.by_id.per_s",
        "catalogue.list.per_s",
        "catalogue.search.per_s",
        "catalogue.category_tree.per_s",
        "cart.read.per_s",
        "cart.add.per_s",
        "checkout.per_s",
        "checkout.with_proof.per_s",
        "sales.summary_30d.per_s",
        "mixed.per_s",
    ] {
        let row = rows
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("{name} measured"));
        assert!(
            row.median > 0.0,
            "{name} has a positive throughput: {row:?}"
        );
        assert!(
            row.ratio.is_some_and(f64::is_finite) || name == "baseline.per_s",
            "{name} has a ratio"
        );
    }
    for r in &rows {
        match r.unit {
            Unit::Count => assert_eq!(r.median, 0.0, "{} must be zero: {:?}", r.name, r.notes),
            _ => assert!(r.median.is_finite(), "{} is a number", r.name),
        }
    }
    assert!(
        session.violations.is_empty(),
        "invariants: {:?}",
        session.violations
    );
}

#[tokio::test]
async fn the_outbox_claim_bench_delivers_one_head_per_aggregate_and_cycle_on_both_engines() {
    use bench::outbox::{claim_bench, markdown, ClaimOptions, AGGREGATES};
    let opts = ClaimOptions {
        history: 2_000,
        due: 4 * AGGREGATES,
        cycles: 2,
    };
    let figures = claim_bench(opts).await.expect("the claim bench runs");
    eprintln!("{}", markdown(opts, &figures));
    let seen: Vec<_> = figures.iter().map(|f| (f.engine, f.indexed)).collect();
    let engines = [
        ("postgres", true),
        ("postgres", false),
        ("mariadb", true),
        ("mariadb", false),
    ];
    assert_eq!(seen, engines);
    for f in &figures {
        assert_eq!(f.cycle_ms.len(), 2, "{f:?}");
        assert_eq!(f.delivered, 2 * AGGREGATES as usize, "{f:?}");
    }
}
