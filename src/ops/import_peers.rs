//! Importing a roster from a spreadsheet (CSV exported by Excel,
//! LibreOffice or Google Sheets) into the peer list.
//!
//! Two steps, so the command line and a screen can show what would happen
//! before anything is written: [`plan`] reads and checks every row (each
//! problem with its line and column, likely duplicates of peers already on
//! the roster or earlier in the file) and writes nothing; [`apply`] writes
//! a plan's rows through the store in batches of at most
//! [`MAX_BATCH`](crate::store::MAX_BATCH), only if every row was valid
//! unless told to skip the invalid ones.
//!
//! What the reader accepts: a UTF-8 byte-order mark, CRLF or LF, quoted
//! fields with commas and newlines, header names in any case with spaces,
//! `_` or `-`, empty rows (skipped), dates as `2026-11-23`, `11/23/2026`,
//! `23/11/2026` or `23.11.2026` (an ambiguous `03/04/2026` is a problem
//! of its row, never guessed), and any non-ASCII names.

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;

use crate::model::dates::{plausible, DateKind};
use crate::model::{
    Actor, Choice, ContactPreference, Entity, Peer, PeerId, PeerStatus, Record, StaffId,
};
use crate::store::{Store, MAX_BATCH};

use super::{OpsError, OpsResult};

/// A peer field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The name they want to be called (required).
    DisplayName,
    /// First name: joined with the last name when there is no display name.
    FirstName,
    /// Last name: joined with the first name.
    LastName,
    /// Legal name.
    LegalName,
    /// Pronouns.
    Pronouns,
    /// Phone number.
    Phone,
    /// E-mail address.
    Email,
    /// How they like to be reached.
    PreferredContact,
    /// First day with the organization (default: the day of the import).
    IntakeDate,
    /// Active, inactive or discharged.
    Status,
    /// Contact cadence in days.
    CadenceDays,
    /// Who to call in an emergency.
    EmergencyContact,
    /// Tags, separated by `;` or `,`.
    Tags,
    /// Free notes.
    Notes,
    /// A staff member's name, initials or id.
    AssignedStaff,
    /// A column to leave out.
    Ignore,
}

impl Field {
    /// Every field with its key (for `--map COLUMN=KEY`) and the header
    /// names it is recognised by (already folded: lower case, single
    /// spaces).
    const NAMES: &'static [(Field, &'static str, &'static [&'static str])] = &[
        (
            Field::DisplayName,
            "display-name",
            &[
                "display name",
                "name",
                "preferred name",
                "full name",
                "peer",
                "peer name",
            ],
        ),
        (
            Field::FirstName,
            "first-name",
            &["first name", "first", "given name", "forename"],
        ),
        (
            Field::LastName,
            "last-name",
            &["last name", "last", "surname", "family name"],
        ),
        (Field::LegalName, "legal-name", &["legal name"]),
        (Field::Pronouns, "pronouns", &["pronouns", "pronoun"]),
        (
            Field::Phone,
            "phone",
            &[
                "phone",
                "phone number",
                "telephone",
                "tel",
                "mobile",
                "cell",
                "cell phone",
            ],
        ),
        (
            Field::Email,
            "email",
            &["email", "e mail", "email address", "e mail address"],
        ),
        (
            Field::PreferredContact,
            "preferred-contact",
            &["preferred contact", "contact preference", "contact by"],
        ),
        (
            Field::IntakeDate,
            "intake-date",
            &[
                "intake date",
                "intake",
                "start date",
                "enrolled",
                "enrollment date",
                "joined",
            ],
        ),
        (Field::Status, "status", &["status"]),
        (
            Field::CadenceDays,
            "cadence-days",
            &["cadence days", "cadence", "check in every"],
        ),
        (
            Field::EmergencyContact,
            "emergency-contact",
            &["emergency contact", "emergency"],
        ),
        (Field::Tags, "tags", &["tags", "tag", "labels"]),
        (Field::Notes, "notes", &["notes", "note", "comments"]),
        (
            Field::AssignedStaff,
            "assigned-staff",
            &[
                "assigned staff",
                "staff",
                "assigned to",
                "peer specialist",
                "worker",
            ],
        ),
        (Field::Ignore, "ignore", &[]),
    ];

    /// The field a `--map` value names.
    pub fn from_key(key: &str) -> Option<Field> {
        let k = fold_header(key).replace(' ', "-");
        Self::NAMES
            .iter()
            .find(|(_, name, _)| *name == k)
            .map(|(f, _, _)| *f)
    }

    /// The key `--map` takes.
    pub fn key(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("ignore", |(_, k, _)| k)
    }

    /// Every key, for messages.
    pub fn keys() -> String {
        Self::NAMES
            .iter()
            .map(|(_, k, _)| *k)
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn from_header(h: &str) -> Option<Field> {
        Self::NAMES
            .iter()
            .find(|(_, _, names)| names.contains(&h))
            .map(|(f, _, _)| *f)
    }

    /// The name `Peer::validate` gives this field in its messages.
    fn validation_name(self) -> &'static str {
        match self {
            Field::DisplayName | Field::FirstName | Field::LastName => "display name",
            Field::LegalName => "legal name",
            Field::Pronouns => "pronouns",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::PreferredContact => "preferred contact",
            Field::IntakeDate => "intake date",
            Field::Status => "status",
            Field::CadenceDays => "cadence days",
            Field::EmergencyContact => "emergency contact",
            Field::Tags => "tags",
            Field::Notes => "notes",
            Field::AssignedStaff => "assigned staff",
            Field::Ignore => "",
        }
    }
}

/// A header as compared: lower case, `_`/`-`/`.` and runs of white space
/// made one space, trimmed.
pub fn fold_header(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .replace(['_', '-', '.'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name as compared for duplicates: accents and case folded
/// (`José` = `jose`), punctuation and spacing ignored.
pub fn fold_name(name: &str) -> String {
    deunicode::deunicode(name)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A phone number as compared: its digits.
pub fn fold_phone(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// True when two folded phone numbers are likely the same line: equal, or
/// one (of at least 7 digits) ends the other (a country or area code
/// written only once).
pub fn same_phone(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !short.is_empty() && (short == long || (short.len() >= 7 && long.ends_with(short)))
}

/// One thing wrong with the file or a row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The line of the file the row starts on (1 is the header).
    pub line: u64,
    /// The column (its header as written), if one is to blame.
    pub column: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            // Messages quote cells as typed: escaped, so no control
            // character from a file reaches a terminal.
            Some(c) => write!(
                f,
                "line {}, column '{}': {}",
                self.line,
                crate::text::escape_line(c),
                crate::text::escape_line(&self.message)
            ),
            None => write!(
                f,
                "line {}: {}",
                self.line,
                crate::text::escape_line(&self.message)
            ),
        }
    }
}

/// A row that looks like a peer already on the roster (or an earlier row).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Duplicate {
    /// The row's line.
    pub line: u64,
    /// The name in the row.
    pub name: String,
    /// The peer already on the roster, if it is one.
    pub existing: Option<PeerId>,
    /// The earlier row of the file, if it is one.
    pub earlier_line: Option<u64>,
    /// Why it looks the same ("same name and phone").
    pub why: String,
}

/// A valid row, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Its line.
    pub line: u64,
    /// The peer it makes.
    pub peer: Peer,
}

/// What an import would do: the dry-run report.
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    /// Where it was read from, for messages.
    pub source: String,
    /// Each column as written and the field it fills (`None`: not a peer
    /// field, left out).
    pub columns: Vec<(String, Option<Field>)>,
    /// Valid rows that are not duplicates: what would be created.
    pub rows: Vec<Row>,
    /// Likely duplicates, not created.
    pub duplicates: Vec<Duplicate>,
    /// Every problem, with its line and column.
    pub problems: Vec<Problem>,
    /// Lines of rows with problems.
    pub invalid_lines: Vec<u64>,
    /// Rows read (empty rows not counted).
    pub rows_read: u64,
}

impl ImportPlan {
    /// True when problems stop the import unless invalid rows are skipped.
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }
}

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The peers created.
    pub created: Vec<PeerId>,
    /// Lines left out because they had problems.
    pub skipped_lines: Vec<u64>,
    /// Rows left out as likely duplicates.
    pub duplicates: usize,
}

/// Reads a date as spreadsheets write it. An ambiguous day/month order is
/// refused, not guessed.
pub fn parse_sheet_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    let hint = "write it as 2026-11-23, 11/23/2026 or 23.11.2026";
    let nums = |sep: char| -> Option<(u32, u32, i32)> {
        let mut it = t.split(sep);
        let a = it.next()?.trim().parse().ok()?;
        let b = it.next()?.trim().parse().ok()?;
        let c = it.next()?.trim();
        if it.next().is_some() || c.len() != 4 {
            return None;
        }
        Some((a, b, c.parse().ok()?))
    };
    let bad = || format!("cannot read '{t}' as a date; {hint}");
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d);
    }
    if t.contains('/') {
        let (a, b, y) = nums('/').ok_or_else(bad)?;
        let (m, d) = match (a <= 12, b <= 12) {
            (true, true) if a != b => {
                return Err(format!(
                    "'{t}' is ambiguous: it could be month {a} day {b} or day {a} month {b}; write it as {y}-{a:02}-{b:02} or {y}-{b:02}-{a:02}"
                ))
            }
            (true, _) => (a, b),
            (false, true) => (b, a),
            (false, false) => return Err(bad()),
        };
        return NaiveDate::from_ymd_opt(y, m, d)
            .ok_or_else(|| format!("'{t}' is not a day of the calendar"));
    }
    if t.contains('.') {
        let (d, m, y) = nums('.').ok_or_else(bad)?;
        return NaiveDate::from_ymd_opt(y, m, d)
            .ok_or_else(|| format!("'{t}' is not a day of the calendar"));
    }
    Err(bad())
}

/// Parses `--map COLUMN=FIELD` values into folded header → field.
pub fn parse_maps(maps: &[String]) -> OpsResult<Vec<(String, Field)>> {
    maps.iter()
        .map(|m| {
            let (col, field) = m.split_once('=').ok_or_else(|| {
                OpsError::Refused(format!(
                    "--map '{}': write it as COLUMN=FIELD, for example --map 'Client Name=display-name'",
                    crate::text::escape_line(m)
                ))
            })?;
            let f = Field::from_key(field).ok_or_else(|| {
                OpsError::Refused(format!(
                    "--map '{}': '{}' is not a peer field; use one of {}",
                    crate::text::escape_line(m),
                    crate::text::escape_line(field),
                    Field::keys()
                ))
            })?;
            Ok((fold_header(col), f))
        })
        .collect()
}

struct Existing {
    by_name: HashMap<String, Vec<(PeerId, String)>>,
}

/// Reads and checks a roster without writing anything. `maps` are the
/// `--map` values; `today` is the default intake date and the end of the
/// plausible window.
pub fn plan(
    store: &dyn Store,
    mut input: impl Read,
    source: &str,
    maps: &[String],
    today: NaiveDate,
) -> OpsResult<ImportPlan> {
    let maps = parse_maps(maps)?;
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| OpsError::Io(format!("cannot read {source}: {e}")))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut records = reader.byte_records();
    let mut plan = ImportPlan {
        source: source.to_string(),
        ..ImportPlan::default()
    };
    let header = loop {
        match records.next() {
            None => {
                return Err(OpsError::Refused(format!(
                    "{source}: the file is empty; its first line should name the columns (name, phone, intake date, …)"
                )))
            }
            Some(Err(e)) => return Err(OpsError::Refused(format!("{source}: {e}"))),
            Some(Ok(r)) if r.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) => continue,
            Some(Ok(r)) => break r,
        }
    };
    // Lines counted from byte offsets: the reader's own line count lags
    // behind on CRLF files.
    let newlines: Vec<usize> = body
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |rec: &csv::ByteRecord| -> u64 {
        let mut at = rec.position().map_or(0, |p| p.byte() as usize);
        // On CRLF files a record can be placed at the line end before it.
        while matches!(body.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        newlines.partition_point(|&n| n < at) as u64 + 1
    };
    let header_line = line_of(&header);
    for (i, cell) in header.iter().enumerate() {
        let name = match std::str::from_utf8(cell) {
            Ok(s) => s.trim().to_string(),
            Err(_) => {
                return Err(OpsError::Refused(format!(
                    "{source}: line {header_line}, column {}: the header is not UTF-8 text; save the sheet as 'CSV UTF-8'",
                    i + 1
                )))
            }
        };
        let folded = fold_header(&name);
        let field = maps
            .iter()
            .find(|(c, _)| *c == folded)
            .map(|(_, f)| *f)
            .or_else(|| Field::from_header(&folded))
            .filter(|f| *f != Field::Ignore);
        plan.columns.push((name, field));
    }
    for (col, _) in &maps {
        if !plan.columns.iter().any(|(c, _)| fold_header(c) == *col) {
            return Err(OpsError::Refused(format!(
                "{source}: --map names the column '{}', but the header has no such column (it has: {})",
                crate::text::escape_line(col),
                plan.columns
                    .iter()
                    .map(|(c, _)| crate::text::escape_line(c).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let mut seen_fields: HashMap<Field, &str> = HashMap::new();
    for (name, field) in &plan.columns {
        if let Some(f) = field {
            if let Some(first) = seen_fields.insert(*f, name) {
                return Err(OpsError::Refused(format!(
                    "{source}: columns '{}' and '{}' both fill {}; leave one out with --map '{}=ignore'",
                    crate::text::escape_line(first),
                    crate::text::escape_line(name),
                    f.key(),
                    crate::text::escape_line(name)
                )));
            }
        }
    }
    let has = |f| plan.columns.iter().any(|(_, c)| *c == Some(f));
    if !has(Field::DisplayName) && !has(Field::FirstName) && !has(Field::LastName) {
        return Err(OpsError::Refused(format!(
            "{source}: no column holds the peer's name (looked for a header such as 'Name', 'Display name' or 'First name'); name it with --map 'YOUR COLUMN=display-name'"
        )));
    }

    let name_column = [Field::DisplayName, Field::FirstName, Field::LastName]
        .iter()
        .find_map(|f| plan.columns.iter().find(|(_, c)| *c == Some(*f)))
        .map_or_else(|| "name".to_string(), |(c, _)| c.clone());
    let staff = store.list_staff()?;
    let mut existing = Existing {
        by_name: HashMap::new(),
    };
    for p in store.list_peers()? {
        existing
            .by_name
            .entry(fold_name(&p.display_name))
            .or_default()
            .push((p.id, p.phone.as_deref().map(fold_phone).unwrap_or_default()));
    }
    let mut in_file: HashMap<String, Vec<(u64, String)>> = HashMap::new();

    for rec in records {
        let rec = rec.map_err(|e| OpsError::Refused(format!("{source}: {e}")))?;
        let line = line_of(&rec);
        if rec.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        plan.rows_read += 1;
        let mut problems = Vec::new();
        let mut cells: HashMap<Field, (String, String)> = HashMap::new();
        if rec.len() > plan.columns.len() {
            problems.push(Problem {
                line,
                column: None,
                message: format!(
                    "the row has {} cells but the header names {} columns (a comma outside quotes?)",
                    rec.len(),
                    plan.columns.len()
                ),
            });
        }
        for (i, cell) in rec.iter().enumerate() {
            let Some((name, Some(field))) = plan.columns.get(i) else {
                continue;
            };
            match std::str::from_utf8(cell) {
                Ok(s) => {
                    cells.insert(*field, (name.clone(), s.trim().to_string()));
                }
                Err(_) => problems.push(Problem {
                    line,
                    column: Some(name.clone()),
                    message: "not UTF-8 text; save the sheet as 'CSV UTF-8'".into(),
                }),
            }
        }
        let peer = row_peer(&cells, &name_column, line, today, &staff, &mut problems);
        if let Some(peer) = &peer {
            if let Err(e) = peer.validate() {
                for fe in e.problems {
                    let column = plan
                        .columns
                        .iter()
                        .find(|(_, f)| f.is_some_and(|f| f.validation_name() == fe.field))
                        .map(|(c, _)| c.clone());
                    problems.push(Problem {
                        line,
                        column,
                        message: format!("{}: {}", fe.field, fe.problem),
                    });
                }
            }
        }
        match peer {
            Some(peer) if problems.is_empty() => {
                let name = fold_name(&peer.display_name);
                let phone = peer.phone.as_deref().map(fold_phone).unwrap_or_default();
                let same = |other: &str| {
                    if phone.is_empty() && other.is_empty() {
                        Some("same name, and neither has a phone number")
                    } else if same_phone(&phone, other) {
                        Some("same name and phone")
                    } else {
                        None
                    }
                };
                let on_roster = existing.by_name.get(&name).and_then(|list| {
                    list.iter()
                        .find_map(|(id, p)| same(p).map(|why| (*id, why)))
                });
                let earlier = in_file
                    .get(&name)
                    .and_then(|list| list.iter().find_map(|(l, p)| same(p).map(|why| (*l, why))));
                if let Some((id, why)) = on_roster {
                    plan.duplicates.push(Duplicate {
                        line,
                        name: peer.display_name.clone(),
                        existing: Some(id),
                        earlier_line: None,
                        why: format!("{why} as {id}, already on the roster"),
                    });
                } else if let Some((l, why)) = earlier {
                    plan.duplicates.push(Duplicate {
                        line,
                        name: peer.display_name.clone(),
                        existing: None,
                        earlier_line: Some(l),
                        why: format!("{why} as line {l}"),
                    });
                } else {
                    in_file.entry(name).or_default().push((line, phone));
                    plan.rows.push(Row { line, peer });
                }
            }
            _ => {
                plan.invalid_lines.push(line);
                plan.problems.extend(problems);
            }
        }
    }
    if plan.rows_read == 0 {
        return Err(OpsError::Refused(format!(
            "{source}: the file has a header but no rows"
        )));
    }
    Ok(plan)
}

fn row_peer(
    cells: &HashMap<Field, (String, String)>,
    name_column: &str,
    line: u64,
    today: NaiveDate,
    staff: &[Record<crate::model::Staff>],
    problems: &mut Vec<Problem>,
) -> Option<Peer> {
    let get = |f: Field| cells.get(&f).filter(|(_, v)| !v.is_empty());
    let opt = |f: Field| get(f).map(|(_, v)| v.clone());
    let name = match opt(Field::DisplayName) {
        Some(n) => n,
        None => {
            let joined = [opt(Field::FirstName), opt(Field::LastName)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            if joined.is_empty() {
                let col = name_column.to_string();
                if !problems.iter().any(|p| p.column.as_ref() == Some(&col)) {
                    problems.push(Problem {
                        line,
                        column: Some(col),
                        message: "the name is empty; every peer needs one".into(),
                    });
                }
                return None;
            }
            joined
        }
    };
    let intake = match get(Field::IntakeDate) {
        Some((col, v)) => match parse_sheet_date(v)
            .and_then(|d| plausible(col, v, DateKind::Intake, d, today).map_err(|e| e.to_string()))
        {
            Ok(d) => d,
            Err(e) => {
                problems.push(Problem {
                    line,
                    column: Some(col.clone()),
                    message: e,
                });
                today
            }
        },
        None => today,
    };
    let mut problem = |col: &str, message: String| {
        problems.push(Problem {
            line,
            column: Some(col.to_string()),
            message,
        })
    };
    let mut peer = Peer::new(name, intake);
    peer.legal_name = opt(Field::LegalName);
    peer.pronouns = opt(Field::Pronouns);
    peer.phone = opt(Field::Phone);
    peer.email = opt(Field::Email);
    peer.emergency_contact = opt(Field::EmergencyContact);
    peer.notes = opt(Field::Notes).unwrap_or_default();
    if let Some((col, v)) = get(Field::PreferredContact) {
        match ContactPreference::parse_choice(v) {
            Ok(c) => peer.preferred_contact = Some(c),
            Err(e) => problem(col, e.to_string()),
        }
    }
    if let Some((col, v)) = get(Field::Status) {
        match PeerStatus::parse_choice(v) {
            Ok(s) => peer.status = s,
            Err(e) => problem(col, e.to_string()),
        }
    }
    if let Some((col, v)) = get(Field::CadenceDays) {
        match v.parse::<u16>() {
            Ok(n) => peer.cadence_days = Some(n),
            Err(_) => problem(col, format!("'{v}' is not a whole number of days")),
        }
    }
    if let Some((_, v)) = get(Field::Tags) {
        peer.tags = v
            .split([';', ','])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
    }
    if let Some((col, v)) = get(Field::AssignedStaff) {
        match find_staff(staff, v) {
            Some(id) => peer.assigned_staff = Some(id),
            None => problem(
                col,
                format!("no staff member is called '{v}' (give a name, initials or id)"),
            ),
        }
    }
    Some(peer)
}

fn find_staff(staff: &[Record<crate::model::Staff>], text: &str) -> Option<StaffId> {
    let folded = fold_name(text);
    staff
        .iter()
        .find(|s| {
            s.id.to_string().eq_ignore_ascii_case(text)
                || fold_name(&s.name) == folded
                || s.initials.eq_ignore_ascii_case(text)
        })
        .map(|s| s.id)
}

/// Writes a plan's rows through the store, at most
/// [`MAX_BATCH`](crate::store::MAX_BATCH) a request. Refused, writing
/// nothing, if the plan has problems and `skip_invalid` is false.
/// `progress` is told how many rows are written so far.
pub fn apply(
    store: &dyn Store,
    plan: &ImportPlan,
    actor: &Actor,
    skip_invalid: bool,
    progress: &mut dyn FnMut(usize),
) -> OpsResult<ImportOutcome> {
    if plan.has_problems() && !skip_invalid {
        return Err(OpsError::Refused(format!(
            "{}: {} row(s) have problems, so nothing was imported; fix them, or give --skip-invalid to import the {} valid row(s) and skip those",
            plan.source,
            plan.invalid_lines.len(),
            plan.rows.len()
        )));
    }
    let mut created = Vec::with_capacity(plan.rows.len());
    for chunk in plan.rows.chunks(MAX_BATCH) {
        let peers = chunk.iter().map(|r| r.peer.clone()).collect();
        let saved = store.create_peers(peers, actor)?;
        created.extend(saved.iter().map(|r| r.id));
        progress(created.len());
    }
    Ok(ImportOutcome {
        created,
        skipped_lines: plan.invalid_lines.clone(),
        duplicates: plan.duplicates.len(),
    })
}
