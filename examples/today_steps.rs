//! Times each read Today is gathered from, one request at a time through
//! a running store service, to show where `today`'s time goes at a large
//! center (docs/performance.md); then the UI's start-up requests, in the
//! order the app sends them before its first full frame (connect, Access,
//! Init, Today, Roster), each answered as the UI's store worker answers it.
//! The store keeps Today between writes (`store::today_cache`), so from
//! the second round on its "today" is the kept answer; the reads before
//! it show what working Today out costs.
//!
//! ```sh
//! caseload --data-dir DIR settings          # starts the private service
//! cargo run --release --example today_steps -- DIR AS_OF [ROUNDS]
//! # or, with no service running, the same reads inside this process
//! # (what the service itself spends, without the socket):
//! cargo run --release --example today_steps -- --local DIR AS_OF [ROUNDS]
//! ```

use std::path::PathBuf;
use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};

use caseload::server::{socket_path, RemoteStore};
use caseload::store::{SledStore, Store};
use caseload::ui::worker::{handle, Request, Response};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1).peekable();
    let usage = "usage: today_steps [--local] DIR AS_OF [ROUNDS]";
    let local = args.next_if(|a| a == "--local").is_some();
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let date = NaiveDate::parse_from_str(&args.next().ok_or(usage)?, "%Y-%m-%d")?;
    let rounds: usize = args.next().map_or(Ok(3), |a| a.parse())?;
    let t = Instant::now();
    let store: Box<dyn Store> = if local {
        Box::new(SledStore::open(&dir)?)
    } else {
        Box::new(RemoteStore::connect(&socket_path(&dir)).map_err(|e| format!("{e:?}"))?)
    };
    println!(
        "{} {:.1} ms",
        if local { "open" } else { "connect" },
        t.elapsed().as_secs_f64() * 1000.0
    );
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
        // The store keeps Today between writes: from the second round on
        // this is the kept answer (`store::today_cache`).
        step("today (kept after round 1)", &mut || {
            Ok(store.today(date, None)?.rows.len())
        })?;
        println!("{line}");
    }
    // The UI's start-up, request by request (what its worker answers).
    for round in 1..=rounds {
        let mut line = format!("ui round {round}:");
        for (name, request) in [
            ("access", Request::Access { staff: None }),
            ("init", Request::Init { staff: None }),
            (
                "today",
                Request::Today {
                    date,
                    for_staff: None,
                },
            ),
            ("roster", Request::Roster),
        ] {
            let t = Instant::now();
            let answer = handle(store.as_ref(), request);
            let n = match &answer {
                Response::Today(Ok(r)) => r.rows.len(),
                Response::Roster(Ok(r)) => r.len(),
                Response::Today(Err(e)) | Response::Roster(Err(e)) => {
                    return Err(format!("{name}: {e}").into())
                }
                _ => 1,
            };
            line.push_str(&format!(
                " {name} {:.0} ms ({n})",
                t.elapsed().as_secs_f64() * 1000.0
            ));
        }
        println!("{line}");
    }
    Ok(())
}
