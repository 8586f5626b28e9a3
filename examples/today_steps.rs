//! Times each read Today is gathered from, one request at a time through
//! a running store service, to show where `today`'s time goes at a large
//! center (docs/performance.md).
//!
//! ```sh
//! caseload --data-dir DIR settings          # starts the private service
//! cargo run --release --example today_steps -- DIR AS_OF [ROUNDS]
//! ```

use std::path::PathBuf;
use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};

use caseload::server::{socket_path, RemoteStore};
use caseload::store::Store;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: today_steps DIR AS_OF [ROUNDS]";
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let date = NaiveDate::parse_from_str(&args.next().ok_or(usage)?, "%Y-%m-%d")?;
    let rounds: usize = args.next().map_or(Ok(3), |a| a.parse())?;
    let store = RemoteStore::connect(&socket_path(&dir)).map_err(|e| format!("{e:?}"))?;
    let midnight = Utc
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).ok_or("date")?)
        .single()
        .ok_or("date")?;
    for round in 1..=rounds {
        let mut line = format!("round {round}:");
        let mut step = |name: &str,
                        f: &mut dyn FnMut() -> Result<usize, Box<dyn std::error::Error>>|
         -> Result<(), Box<dyn std::error::Error>> {
            let t = Instant::now();
            let n = f()?;
            line.push_str(&format!(
                " {name} {:.0} ms ({n})",
                t.elapsed().as_secs_f64() * 1000.0
            ));
            Ok(())
        };
        step("list_peers", &mut || Ok(store.list_peers()?.len()))?;
        step("peer_summaries", &mut || {
            Ok(store.peer_summaries(midnight, date)?.len())
        })?;
        step("checkins_on", &mut || Ok(store.checkins_on(date)?.len()))?;
        step("goals_due", &mut || {
            Ok(store.goals_due_for_review(date)?.len())
        })?;
        step("last_visits", &mut || {
            Ok(store.last_visits_before(date)?.len())
        })?;
        step("today", &mut || Ok(store.today(date, None)?.rows.len()))?;
        println!("{line}");
    }
    Ok(())
}
