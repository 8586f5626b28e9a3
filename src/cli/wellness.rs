//! `caseload wellness …`: a peer's wellness plan, entry by number (1 is
//! the first), through `ops::wellness` (the wellness tab's function).

use std::process::ExitCode;

use anyhow::{anyhow, Result};
use clap::{Subcommand, ValueEnum};

use crate::ops::lookup::resolve_peer;
use crate::ops::wellness::{change_wellness, EntryChange, WellnessSection};
use crate::store::Store;
use crate::text::escape_line;

/// The lists of a wellness plan, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Section {
    /// What they do every day to stay well.
    Daily,
    /// What can make them feel worse.
    Triggers,
    /// Signs that things are slipping.
    WarningSigns,
    /// What helps then.
    WhatHelps,
    /// Who they want called.
    WhoToCall,
}

impl Section {
    fn ops(self) -> WellnessSection {
        match self {
            Section::Daily => WellnessSection::DailyMaintenance,
            Section::Triggers => WellnessSection::Triggers,
            Section::WarningSigns => WellnessSection::EarlyWarningSigns,
            Section::WhatHelps => WellnessSection::WhatHelps,
            Section::WhoToCall => WellnessSection::WhoToCall,
        }
    }
}

/// `caseload wellness …`.
#[derive(Debug, Subcommand)]
pub enum WellnessCommand {
    /// Show a peer's wellness plan, every list numbered.
    List {
        /// The peer: an id (P12) or a name.
        peer: String,
    },
    /// Add an entry at the end of a list.
    Add {
        /// The peer: an id (P12) or a name.
        peer: String,
        /// Which list.
        #[arg(value_enum)]
        section: Section,
        /// The entry, in the peer's words.
        text: String,
    },
    /// Reword entry N of a list.
    Edit {
        /// The peer: an id (P12) or a name.
        peer: String,
        /// Which list.
        #[arg(value_enum)]
        section: Section,
        /// The entry's number (1 is the first).
        number: usize,
        /// The new wording.
        text: String,
    },
    /// Remove entry N of a list.
    Remove {
        /// The peer: an id (P12) or a name.
        peer: String,
        /// Which list.
        #[arg(value_enum)]
        section: Section,
        /// The entry's number (1 is the first).
        number: usize,
    },
}

/// Runs `caseload wellness …`.
pub fn run(store: &dyn Store, cmd: &WellnessCommand) -> Result<ExitCode> {
    let (peer, section, change) = match cmd {
        WellnessCommand::List { peer } => {
            let p = resolve_peer(store, peer)?;
            println!(
                "Wellness plan of {} ({})",
                escape_line(&p.display_name),
                p.id
            );
            for s in WellnessSection::ALL {
                let list = s.list(&p.wellness_plan);
                println!("{}:", s.title());
                for (i, e) in list.iter().enumerate() {
                    println!("  {}. {}", i + 1, escape_line(e));
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        WellnessCommand::Add {
            peer,
            section,
            text,
        } => (peer, section, EntryChange::Add(text.clone())),
        WellnessCommand::Edit {
            peer,
            section,
            number,
            text,
        } => {
            let (index, expect) = entry(store, peer, *section, *number)?;
            (
                peer,
                section,
                EntryChange::Edit {
                    index,
                    expect,
                    text: text.clone(),
                },
            )
        }
        WellnessCommand::Remove {
            peer,
            section,
            number,
        } => {
            let (index, expect) = entry(store, peer, *section, *number)?;
            (peer, section, EntryChange::Delete { index, expect })
        }
    };
    let p = resolve_peer(store, peer)?;
    let actor = super::actor(store, None);
    let saved = change_wellness(store, &actor, p.id, section.ops(), change)?;
    let n = section.ops().list(&saved.wellness_plan).len();
    println!(
        "saved '{}' of {} ({}): {}",
        section.ops().title(),
        escape_line(&saved.display_name),
        saved.id,
        super::checkin::plural(n, "entry", "entries")
    );
    Ok(ExitCode::SUCCESS)
}

fn entry(store: &dyn Store, peer: &str, section: Section, n: usize) -> Result<(usize, String)> {
    let p = resolve_peer(store, peer)?;
    let list = section.ops().list(&p.wellness_plan);
    match n
        .checked_sub(1)
        .and_then(|i| list.get(i).map(|e| (i, e.clone())))
    {
        Some(found) => Ok(found),
        None => Err(anyhow!(
            "entry: '{}' of {} has no entry {n} (it has {}; the first is 1)",
            section.ops().title(),
            p.id,
            super::checkin::plural(list.len(), "entry", "entries")
        )),
    }
}
