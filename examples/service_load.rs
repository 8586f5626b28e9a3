//! Sends mixed requests to a running store service and samples the
//! service's memory, to check that it stays flat (issue 10: ≤ 128 MiB and
//! within ±10% across 10,000 mixed requests at 10k peers / 1M check-ins).
//!
//! ```sh
//! caseload --data-dir DIR settings          # starts the private service
//! cargo run --release --example service_load -- DIR [REQUESTS] [AS_OF] [SEED]
//! ```
//!
//! The mix, per ten requests: three peer records, two peers' last ten
//! check-ins, a plan, a peer's group sessions, one new check-in (a write:
//! transaction, audit entry, fdatasync) and the staff list, with Today
//! (the largest answer, ≈ 1 s at 1M check-ins) in place of the staff list
//! once per hundred. Peers
//! are drawn with a fixed seed (10, or SEED) from the whole roster: a
//! second run with the same seed asks for the same peers again, so to see
//! a longer session give each run its own seed. Prints the service's
//! RSS every 500 requests, then the first (after warm-up), smallest,
//! largest and last sample and the spread, and the request latencies
//! (median, p99). It changes the store (check-ins): run it on a copy.

use std::path::PathBuf;
use std::time::Instant;

use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use caseload::model::{Actor, CheckIn, PeerId, StaffId};
use caseload::server::{socket_path, RemoteStore};
use caseload::store::Store;

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: service_load DIR [REQUESTS] [AS_OF] [SEED]")?,
    );
    let requests: usize = args.next().map_or(Ok(10_000), |a| a.parse())?;
    let as_of = match args.next() {
        Some(d) => NaiveDate::parse_from_str(&d, "%Y-%m-%d")?,
        None => Utc::now().date_naive(),
    };
    let seed: u64 = args.next().map_or(Ok(10), |a| a.parse())?;
    let store = RemoteStore::connect(&socket_path(&dir)).map_err(|e| format!("{e:?}"))?;
    let pid = store
        .service_pid()
        .ok_or("the service did not say its process id")?;
    let peers = store.counts()?.peers.max(1);
    let staff = store.list_staff()?;
    let staff_id = staff.first().map_or(StaffId::new(1), |s| s.id);
    let actor = Actor::login("service_load");
    let offset = FixedOffset::east_opt(0).ok_or("offset")?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut samples: Vec<u64> = Vec::new();
    let mut latencies: Vec<u128> = Vec::with_capacity(requests);
    println!("service pid {pid}: {} KiB RSS before", rss_kib(pid));
    for i in 0..requests {
        let peer = PeerId::new(rng.random_range(1..=peers));
        let started = Instant::now();
        match i % 10 {
            0 if i % 100 == 0 => {
                store.today(as_of, None)?;
            }
            1..=3 => {
                store.peer(peer)?;
            }
            4 | 5 => {
                store.recent_checkins(peer, 10)?;
            }
            6 => {
                store.goals_for_peer(peer)?;
            }
            7 => {
                store.sessions_for_peer(peer)?;
            }
            8 => {
                let at = offset
                    .from_local_datetime(&as_of.and_hms_opt(12, 0, 0).ok_or("time")?)
                    .single()
                    .ok_or("time")?;
                let mut c = CheckIn::new(peer, staff_id, at);
                c.note = "load".into();
                store.create_checkin(c, &actor)?;
            }
            _ => {
                store.list_staff()?;
            }
        }
        latencies.push(started.elapsed().as_micros());
        if (i + 1) % 500 == 0 {
            let rss = rss_kib(pid);
            println!("{:>6} requests: {rss} KiB", i + 1);
            samples.push(rss);
        }
    }
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    if let (Some(&first), Some(&last)) = (samples.first(), samples.last()) {
        let min = samples.iter().copied().min().unwrap_or(0);
        let max = samples.iter().copied().max().unwrap_or(0);
        println!(
            "RSS after warm-up {first} KiB, min {min}, max {max}, last {last}: spread {:+.1}% .. {:+.1}% of the first",
            (min as f64 / first as f64 - 1.0) * 100.0,
            (max as f64 / first as f64 - 1.0) * 100.0
        );
    }
    println!(
        "{requests} requests: median {} µs, p99 {} µs, max {} µs",
        at(0.5),
        at(0.99),
        at(1.0)
    );
    Ok(())
}
