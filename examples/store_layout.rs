//! Where a store's disk goes, tree by tree, and what rewriting it into a
//! fresh sled directory would give (docs/performance.md, "Size").
//!
//! ```sh
//! cargo run --release --example store_layout -- DIR            # live bytes per tree
//! cargo run --release --example store_layout -- DIR NEW order  # + copy in key order
//! cargo run --release --example store_layout -- DIR NEW fill   # + copy, leaves filled
//! cargo run --release --example store_layout -- DIR --open [N]  # RSS of opening it as the service does
//! ```
//!
//! `--open` opens the store as caseload's service does (`SledStore`, the
//! default 12 MiB cache) in this process and prints the RSS after opening
//! and after N (default 20) rounds of Today and ten peer records, so that
//! a heap profiler (`heaptrack`) can say where the service's memory goes.
//!
//! Run it on a copy of a store with no service holding it. `order`
//! inserts every tree's entries in key order (what sled's own
//! export/import does); `fill` first inserts two of every three entries
//! and then the third, so that sled's leaves (split at 17 entries into
//! two halves, never refilled by in-order inserts) end up about 80 %
//! full instead of half. Both check that the copy holds the same entries
//! as the original, tree by tree, and print its size and the time taken.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn dir_bytes(p: &Path) -> u64 {
    let mut total = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() {
                total += dir_bytes(&e.path());
            } else {
                total += m.len();
            }
        }
    }
    total
}

fn open(p: &Path) -> sled::Result<sled::Db> {
    sled::Config::new()
        .path(p)
        .cache_capacity(64 << 20)
        .flush_every_ms(None)
        .open()
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// `--open`: the service's memory for this store, in this process.
fn open_only(dir: &Path, rounds: usize) -> Result<(), Box<dyn std::error::Error>> {
    use caseload::model::PeerId;
    use caseload::store::Store;
    let t = Instant::now();
    let store = caseload::store::SledStore::open(dir)?;
    println!(
        "opened in {:.2} s: {} KiB RSS",
        t.elapsed().as_secs_f64(),
        rss_kib()
    );
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("date")?;
    let peers = store.counts()?.peers.max(1);
    for i in 0..rounds {
        store.today(day, None)?;
        for p in 0..10 {
            let _ = store.peer(PeerId::new(1 + (i as u64 * 997 + p * 131) % peers));
        }
    }
    println!("after {rounds} rounds: {} KiB RSS", rss_kib());
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let src = PathBuf::from(
        args.next()
            .ok_or("usage: store_layout DIR [NEW order|fill | --open [N]]")?,
    );
    let dst = args.next().map(PathBuf::from);
    if dst.as_deref() == Some(Path::new("--open")) {
        let rounds = args.next().map_or(Ok(20), |a| a.parse())?;
        return open_only(&src, rounds);
    }
    let mode = args.next().unwrap_or_else(|| "order".into());
    println!(
        "{}: {:.1} MiB on disk",
        src.display(),
        dir_bytes(&src) as f64 / 1048576.0
    );
    let t = Instant::now();
    let db = open(&src)?;
    println!("open {:.2} s", t.elapsed().as_secs_f64());
    let mut names: Vec<sled::IVec> = db.tree_names();
    names.sort();
    let (mut tk, mut tv, mut tn) = (0u64, 0u64, 0u64);
    println!(
        "{:<28} {:>10} {:>10} {:>10}",
        "tree", "entries", "key MiB", "value MiB"
    );
    for name in &names {
        let tree = db.open_tree(name)?;
        let (mut k, mut v, mut n) = (0u64, 0u64, 0u64);
        for kv in tree.iter() {
            let (key, val) = kv?;
            k += key.len() as u64;
            v += val.len() as u64;
            n += 1;
        }
        if n > 0 {
            println!(
                "{:<28} {:>10} {:>10.1} {:>10.1}",
                String::from_utf8_lossy(name),
                n,
                k as f64 / 1048576.0,
                v as f64 / 1048576.0
            );
        }
        tk += k;
        tv += v;
        tn += n;
    }
    println!(
        "{:<28} {:>10} {:>10.1} {:>10.1}",
        "total",
        tn,
        tk as f64 / 1048576.0,
        tv as f64 / 1048576.0
    );
    let Some(dst) = dst else { return Ok(()) };
    if dst.exists() {
        return Err(format!("{} exists", dst.display()).into());
    }
    let t = Instant::now();
    let out = open(&dst)?;
    for name in &names {
        let from = db.open_tree(name)?;
        let to = out.open_tree(name)?;
        let passes: &[fn(u64) -> bool] = if mode == "fill" {
            &[|i| i % 3 != 2, |i| i % 3 == 2]
        } else {
            &[|_| true]
        };
        for take in passes {
            let mut batch = sled::Batch::default();
            let mut in_batch = 0;
            for (i, kv) in from.iter().enumerate() {
                if !take(i as u64) {
                    continue;
                }
                let (k, v) = kv?;
                batch.insert(k, v);
                in_batch += 1;
                if in_batch == 10_000 {
                    to.apply_batch(std::mem::take(&mut batch))?;
                    in_batch = 0;
                }
            }
            to.apply_batch(batch)?;
        }
    }
    out.flush()?;
    let written = t.elapsed().as_secs_f64();
    drop(out);
    println!(
        "copy ({mode}) {:.1} s, {:.1} MiB on disk",
        written,
        dir_bytes(&dst) as f64 / 1048576.0
    );
    let t = Instant::now();
    let out = open(&dst)?;
    println!("copy's first open {:.2} s", t.elapsed().as_secs_f64());
    for name in &names {
        let a = db.open_tree(name)?;
        let b = out.open_tree(name)?;
        let mut ia = a.iter();
        let mut ib = b.iter();
        loop {
            match (ia.next().transpose()?, ib.next().transpose()?) {
                (None, None) => break,
                (x, y) if x == y => {}
                _ => return Err(format!("tree {} differs", String::from_utf8_lossy(name)).into()),
            }
        }
    }
    println!("every tree equal");
    drop(out);
    println!(
        "copy after reopen: {:.1} MiB on disk",
        dir_bytes(&dst) as f64 / 1048576.0
    );
    Ok(())
}
