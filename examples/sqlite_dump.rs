//! Writes a caseload store as SQL for `sqlite3`, so `scripts/bench.sh`
//! can compare caseload with an indexed SQLite file holding the very same
//! records (ids, times, voids). Streams page by page: constant memory at
//! a million check-ins.
//!
//!   cargo run --release --example sqlite_dump -- STORE_DIR | sqlite3 FILE
//!
//! Each record is stored in typed, indexed columns (what the comparison
//! queries filter on) plus its JSON (what `peer show --json` returns).

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use caseload::model::{CheckInId, SessionId};
use caseload::store::{OpenOptions, SledStore, Store};

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE settings (reengage_after_days INTEGER NOT NULL);
CREATE TABLE staff (id INTEGER PRIMARY KEY, initials TEXT, json TEXT NOT NULL);
CREATE TABLE peers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, active INTEGER NOT NULL,
  intake TEXT NOT NULL, cadence INTEGER, staff INTEGER, json TEXT NOT NULL);
CREATE TABLE goals (id INTEGER PRIMARY KEY, peer INTEGER NOT NULL, active INTEGER NOT NULL,
  next_review TEXT, json TEXT NOT NULL);
CREATE TABLE groups_ (id INTEGER PRIMARY KEY, name TEXT NOT NULL, weekday INTEGER NOT NULL,
  time TEXT NOT NULL, active INTEGER NOT NULL, facilitator INTEGER, json TEXT NOT NULL);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, date TEXT NOT NULL,
  voided INTEGER NOT NULL, json TEXT NOT NULL);
CREATE TABLE attendance (peer INTEGER NOT NULL, date TEXT NOT NULL, session INTEGER NOT NULL);
CREATE TABLE checkins (id INTEGER PRIMARY KEY, peer INTEGER NOT NULL, staff INTEGER NOT NULL,
  at_ms INTEGER NOT NULL, day TEXT NOT NULL, follow_up TEXT, voided INTEGER NOT NULL,
  json TEXT NOT NULL);
CREATE TABLE audit (at_ms INTEGER NOT NULL, seq INTEGER NOT NULL, actor TEXT NOT NULL,
  peers TEXT NOT NULL, event TEXT NOT NULL);
";

const INDEXES: &str = "
CREATE INDEX checkins_by_peer ON checkins (peer, at_ms, id);
CREATE INDEX checkins_by_day ON checkins (day, at_ms);
CREATE INDEX checkins_by_follow_up ON checkins (follow_up) WHERE follow_up IS NOT NULL;
CREATE INDEX goals_by_peer ON goals (peer);
CREATE INDEX goals_by_review ON goals (next_review) WHERE next_review IS NOT NULL;
CREATE INDEX sessions_by_date ON sessions (date);
CREATE INDEX attendance_by_peer ON attendance (peer, date, session);
CREATE INDEX audit_by_time ON audit (at_ms, seq);
";

/// A SQL string literal.
fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn opt_q<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "NULL".into(), |v| q(&v.to_string()))
}

fn opt_n<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "NULL".into(), |v| v.to_string())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string(v)
        .map(|s| q(&s))
        .map_err(|e| e.to_string())
}

fn run() -> Result<(), String> {
    let dir: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: sqlite_dump STORE_DIR")?;
    let store = SledStore::open_with(&dir, &OpenOptions::default()).map_err(|e| e.to_string())?;
    let e = |e: caseload::store::StoreError| e.to_string();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let w = |out: &mut BufWriter<_>, s: String| writeln!(out, "{s}").map_err(|e| e.to_string());
    w(&mut out, SCHEMA.to_string())?;
    w(&mut out, "BEGIN;".into())?;
    let settings = store.settings().map_err(e)?;
    w(
        &mut out,
        format!(
            "INSERT INTO settings VALUES ({});",
            settings.reengage_after_days
        ),
    )?;
    for s in store.list_staff().map_err(e)? {
        w(
            &mut out,
            format!(
                "INSERT INTO staff VALUES ({}, {}, {});",
                s.id.raw(),
                q(&s.initials),
                json(&s)?
            ),
        )?;
    }
    let peers = store.list_peers().map_err(e)?;
    for p in &peers {
        w(
            &mut out,
            format!(
                "INSERT INTO peers VALUES ({}, {}, {}, {}, {}, {}, {});",
                p.id.raw(),
                q(&p.display_name),
                i32::from(p.is_active()),
                q(&p.intake_date.to_string()),
                opt_n(p.cadence_days),
                opt_n(p.assigned_staff.map(|s| s.raw())),
                json(p)?
            ),
        )?;
        for g in store.goals_for_peer(p.id).map_err(e)? {
            w(
                &mut out,
                format!(
                    "INSERT INTO goals VALUES ({}, {}, {}, {}, {});",
                    g.id.raw(),
                    g.peer.raw(),
                    i32::from(g.status == caseload::model::GoalStatus::Active),
                    opt_q(g.next_review),
                    json(&g)?
                ),
            )?;
        }
    }
    for g in store.list_groups().map_err(e)? {
        w(
            &mut out,
            format!(
                "INSERT INTO groups_ VALUES ({}, {}, {}, {}, {}, {}, {});",
                g.id.raw(),
                q(&g.name),
                g.weekday.num_days_from_sunday(),
                q(&g.time.format("%H:%M").to_string()),
                i32::from(g.active),
                opt_n(g.facilitator.map(|s| s.raw())),
                json(&g)?
            ),
        )?;
    }
    let mut after: Option<SessionId> = None;
    loop {
        let page = store.sessions_page(after, 1000).map_err(e)?;
        for s in &page {
            w(
                &mut out,
                format!(
                    "INSERT INTO sessions VALUES ({}, {}, {}, {}, {});",
                    s.id.raw(),
                    s.group.raw(),
                    q(&s.date.to_string()),
                    i32::from(s.voided.is_some()),
                    json(s)?
                ),
            )?;
            for p in &s.attendees {
                w(
                    &mut out,
                    format!(
                        "INSERT INTO attendance VALUES ({}, {}, {});",
                        p.raw(),
                        q(&s.date.to_string()),
                        s.id.raw()
                    ),
                )?;
            }
        }
        match page.last() {
            Some(l) if page.len() == 1000 => after = Some(l.id),
            _ => break,
        }
    }
    let mut after: Option<CheckInId> = None;
    loop {
        let page = store.checkins_page(after, 1000).map_err(e)?;
        for c in &page {
            w(
                &mut out,
                format!(
                    "INSERT INTO checkins VALUES ({}, {}, {}, {}, {}, {}, {}, {});",
                    c.id.raw(),
                    c.peer.raw(),
                    c.staff.raw(),
                    c.at.timestamp_millis(),
                    q(&c.day().to_string()),
                    opt_q(c.follow_up),
                    i32::from(c.voided.is_some()),
                    json(c)?
                ),
            )?;
            // One audit row per check-in, as caseload keeps.
            w(
                &mut out,
                format!(
                    "INSERT INTO audit VALUES ({}, {}, 'demo', '[{}]', {});",
                    c.meta.created_at.timestamp_millis(),
                    c.id.raw(),
                    c.peer.raw(),
                    q(&format!("created check-in {}", c.id))
                ),
            )?;
        }
        match page.last() {
            Some(l) if page.len() == 1000 => after = Some(l.id),
            _ => break,
        }
    }
    w(&mut out, "COMMIT;".into())?;
    w(&mut out, INDEXES.to_string())?;
    w(&mut out, "ANALYZE;".into())?;
    out.flush().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sqlite_dump: {e}");
            ExitCode::FAILURE
        }
    }
}
