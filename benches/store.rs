//! Store and operation benchmarks on a mid-sized center (1,000 peers,
//! 50,000 check-ins): logging one check-in (transaction + flush), Today
//! worked out by the store and the Today report as the store keeps it
//! between writes (`store::today_cache`), a peer's overview, and
//! resolving a peer by name.
//!
//! Each operation is checked once before it is timed (it succeeds and
//! returns what it is named after). `cargo bench --bench store`. The
//! million-check-in scale is measured whole-process by `scripts/bench.sh`.

use std::hint::black_box;

use chrono::{FixedOffset, NaiveDate, TimeZone};
use criterion::{criterion_group, criterion_main, Criterion};

use caseload::model::{Actor, CheckIn, PeerId, StaffId};
use caseload::ops::demo::{generate, DemoOptions};
use caseload::store::{SledStore, Store};

fn demo_store(dir: &std::path::Path, today: NaiveDate) -> Option<SledStore> {
    let store = SledStore::open(dir).ok()?;
    let opts = DemoOptions {
        peers: 1_000,
        checkins: 50_000,
        seed: 1,
        today,
        offset: FixedOffset::west_opt(5 * 3600)?,
        login: None,
    };
    generate(&store, &Actor::login("bench"), &opts, &mut |_| {}).ok()?;
    Some(store)
}

fn benches(c: &mut Criterion) {
    let Ok(tmp) = tempfile::TempDir::new() else {
        return;
    };
    let Some(today) = NaiveDate::from_ymd_opt(2026, 11, 23) else {
        return;
    };
    let Some(store) = demo_store(tmp.path(), today) else {
        eprintln!("could not build the benchmark store");
        return;
    };
    let actor = Actor::login("bench");
    let Some(offset) = FixedOffset::west_opt(5 * 3600) else {
        return;
    };
    let Some(at) = offset.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).single() else {
        return;
    };

    // Before timing: each operation works and returns what it is named
    // after, so a failure can never be timed as a fast answer.
    let report = caseload::ops::today::today_report(&store, today, None)
        .unwrap_or_else(|e| panic!("today report fails: {e}"));
    assert!(
        report.rows.len() > 100,
        "Today has only {} rows",
        report.rows.len()
    );
    // Worked out afresh, it is the answer the store keeps; asked again
    // with no write between, the kept answer is given (nothing worked out).
    let worked = store
        .work_out_today(today, None)
        .unwrap_or_else(|e| panic!("working Today out fails: {e}"));
    let kept = store
        .today(today, None)
        .unwrap_or_else(|e| panic!("today fails: {e}"));
    assert_eq!(worked, kept, "the kept answer is not Today worked out");
    let before = store.todays_worked_out();
    let _ = caseload::ops::today::today_report(&store, today, None);
    assert_eq!(
        store.todays_worked_out(),
        before,
        "Today was worked out again"
    );
    let summaries = store
        .peer_summaries(caseload::ops::today::start_of_day(today), today)
        .unwrap_or_else(|e| panic!("peer summaries fail: {e}"));
    assert!(summaries.len() > 900, "{} summaries", summaries.len());
    let overview = caseload::ops::peer::peer_overview(&store, PeerId::new(42))
        .unwrap_or_else(|e| panic!("peer overview of P42 fails: {e}"));
    assert!(!overview.recent_checkins.is_empty(), "P42 has check-ins");
    let found = caseload::ops::lookup::resolve_peer(&store, "nguyễn thị lan")
        .unwrap_or_else(|e| panic!("resolving a peer by name fails: {e}"));
    assert!(
        found.display_name.to_lowercase().contains("lan"),
        "{}",
        found.display_name
    );
    let before = store.counts().map(|c| c.checkins).unwrap_or(0);
    let mut probe = CheckIn::new(PeerId::new(7), StaffId::new(1), at);
    probe.note = "benchmark note".into();
    caseload::ops::checkin::log_checkin(&store, &actor, probe)
        .unwrap_or_else(|e| panic!("logging a check-in fails: {e}"));
    assert_eq!(store.counts().map(|c| c.checkins).unwrap_or(0), before + 1);

    c.bench_function(
        "log one check-in (transaction + flush), 1k peers / 50k check-ins",
        |b| {
            b.iter(|| {
                let mut ci = CheckIn::new(PeerId::new(7), StaffId::new(1), at);
                ci.note = "benchmark note".into();
                black_box(caseload::ops::checkin::log_checkin(&store, &actor, ci).is_ok())
            })
        },
    );
    c.bench_function(
        "Today worked out by the store, 1k peers / 50k check-ins",
        |b| b.iter(|| black_box(store.work_out_today(today, None).ok())),
    );
    c.bench_function("today report, the store's kept answer, 1k peers", |b| {
        b.iter(|| black_box(caseload::ops::today::today_report(&store, today, None).ok()))
    });
    c.bench_function(
        "peer summaries (what Today reads per peer), 1k peers",
        |b| {
            b.iter(|| {
                black_box(
                    store
                        .peer_summaries(caseload::ops::today::start_of_day(today), today)
                        .ok(),
                )
            })
        },
    );
    c.bench_function("peer overview", |b| {
        b.iter(|| black_box(caseload::ops::peer::peer_overview(&store, PeerId::new(42)).ok()))
    });
    c.bench_function("resolve a peer by name among 1k", |b| {
        b.iter(|| black_box(caseload::ops::lookup::resolve_peer(&store, "nguyễn thị lan").ok()))
    });
}

criterion_group! {
    name = store_benches;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(store_benches);
