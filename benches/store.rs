//! Store and operation benchmarks on a mid-sized center (1,000 peers,
//! 50,000 check-ins): logging one check-in (transaction + flush), the Today
//! report, a peer's overview, and resolving a peer by name.
//!
//! `cargo bench --bench store`. The million-check-in scale is measured by
//! `scripts/bench-scale.sh` (whole-process timings).

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

    c.bench_function(
        "log one check-in (transaction + flush), 1k peers / 50k check-ins",
        |b| {
            b.iter(|| {
                let mut ci = CheckIn::new(PeerId::new(7), StaffId::new(1), at);
                ci.note = "benchmark note".into();
                black_box(caseload::ops::checkin::log_checkin(&store, &actor, ci).ok())
            })
        },
    );
    c.bench_function("today report, 1k peers / 50k check-ins", |b| {
        b.iter(|| black_box(caseload::ops::today::today_report(&store, today, None).ok()))
    });
    c.bench_function("peer overview", |b| {
        b.iter(|| {
            let peer = store.peer(PeerId::new(42)).ok();
            black_box(peer.and_then(|p| caseload::ops::peer::peer_overview(&store, p).ok()))
        })
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
