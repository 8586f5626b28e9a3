//! The take-home card: a plain-text page a peer keeps, in their own words.
//!
//! It holds only what is the peer's own or public: their active goals and
//! the steps still ahead (their words), what helps from their wellness
//! plan, the next meetings of the groups they attend, and the crisis and
//! after-hours resources (so they have someone to call outside working
//! hours). It never holds a staff note: no check-in, goal, peer or
//! resource notes. Every line fits [`CARD_WIDTH`] columns for printing,
//! and control characters are escaped.

use chrono::{NaiveDate, NaiveTime};

use super::goal::Goal;
use super::referral::Resource;
use crate::text::{escape_line, width};

/// Columns a card line may take (a printed page).
pub const CARD_WIDTH: usize = 80;

/// A group the peer attends and its next meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardGroup {
    /// The group's name.
    pub name: String,
    /// The day it next meets.
    pub next: NaiveDate,
    /// When it starts.
    pub time: NaiveTime,
    /// Where.
    pub location: String,
}

/// Everything a card shows, gathered by the caller.
#[derive(Debug, Clone, Copy)]
pub struct CardInput<'a> {
    /// The organization's name, for the heading.
    pub organization: &'a str,
    /// The peer's display name.
    pub peer: &'a str,
    /// The day it is printed.
    pub date: NaiveDate,
    /// Their active goals.
    pub goals: &'a [Goal],
    /// "What helps" from their wellness plan.
    pub what_helps: &'a [String],
    /// The groups they attend, by next meeting.
    pub groups: &'a [CardGroup],
    /// Crisis and after-hours resources, in the order to show.
    pub resources: &'a [Resource],
}

/// Wraps escaped `text` into lines of at most `CARD_WIDTH` columns, the
/// first starting with `first`, the others with `rest` (same width).
fn wrap(out: &mut Vec<String>, first: &str, rest: &str, text: &str) {
    let text = escape_line(text);
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let sep = if empty { "" } else { " " };
        if width(&line) + width(sep) + width(word) <= CARD_WIDTH {
            line.push_str(sep);
            line.push_str(word);
            empty = false;
            continue;
        }
        if !empty {
            out.push(std::mem::replace(&mut line, rest.to_string()));
        }
        // A word longer than a whole line is cut into pieces.
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if width(&line) + width(&piece) > CARD_WIDTH {
                piece.pop();
                line.push_str(&piece);
                out.push(std::mem::replace(&mut line, rest.to_string()));
                piece = c.to_string();
            }
        }
        line.push_str(&piece);
        empty = false;
    }
    if !empty || first.trim().is_empty() {
        out.push(line);
    } else {
        out.push(line.trim_end().to_string());
    }
}

fn heading(out: &mut Vec<String>, title: &str) {
    out.push(String::new());
    out.push(title.to_string());
    out.push("-".repeat(width(title)));
}

/// The card as text, one line per `\n`, each at most [`CARD_WIDTH`]
/// columns.
pub fn render_card(input: &CardInput<'_>) -> String {
    let mut out = Vec::new();
    wrap(&mut out, "", "", input.organization);
    wrap(
        &mut out,
        "",
        "",
        &format!("For {} — {}", input.peer, input.date.format("%A %-d %B %Y")),
    );

    heading(&mut out, "My goals and next steps");
    if input.goals.is_empty() {
        out.push("  (none written down yet)".into());
    }
    for g in input.goals {
        wrap(&mut out, "  * ", "    ", &g.title);
        for step in g.steps.iter().filter(|s| s.done_on.is_none()) {
            wrap(&mut out, "      - ", "        ", &step.text);
        }
        if let Some(t) = g.target_date {
            wrap(&mut out, "      ", "      ", &format!("hoping for {t}"));
        }
    }

    heading(&mut out, "What helps me");
    if input.what_helps.is_empty() {
        out.push("  (nothing written down yet)".into());
    }
    for h in input.what_helps {
        wrap(&mut out, "  * ", "    ", h);
    }

    heading(&mut out, "My groups");
    if input.groups.is_empty() {
        out.push("  (none yet)".into());
    }
    for g in input.groups {
        let place = if g.location.trim().is_empty() {
            String::new()
        } else {
            format!(", {}", g.location)
        };
        wrap(
            &mut out,
            "  * ",
            "    ",
            &format!(
                "{}: next {} at {}{place}",
                g.name,
                g.next.format("%a %-d %b"),
                g.time.format("%H:%M")
            ),
        );
    }

    heading(
        &mut out,
        "When things are hard: crisis and after-hours help",
    );
    if input.resources.is_empty() {
        out.push("  (ask your peer specialist for numbers to call)".into());
    }
    for r in input.resources {
        let phone = if r.phone.trim().is_empty() {
            String::new()
        } else {
            format!(" — {}", r.phone)
        };
        wrap(&mut out, "  * ", "    ", &format!("{}{phone}", r.name));
        if !r.hours.trim().is_empty() {
            wrap(&mut out, "    ", "    ", &format!("hours: {}", r.hours));
        }
        if !r.address.trim().is_empty() {
            wrap(&mut out, "    ", "    ", &r.address);
        }
    }
    out.push(String::new());
    out.push("In an emergency call 911 (or 988, the suicide and crisis lifeline).".into());
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LifeDomain, PeerId, ResourceCategory, Step};

    #[test]
    fn long_words_and_lines_stay_inside_eighty_columns() {
        let day: NaiveDate = "2026-03-03".parse().unwrap();
        let mut g = Goal::new(PeerId::new(1), LifeDomain::Housing, "x".repeat(200), day);
        g.steps.push(Step {
            text: "call the landlord about the lease and ask about the deposit ".repeat(5),
            done_on: None,
        });
        g.reviews.push(crate::model::goal::Review {
            on: day,
            note: "STAFF ONLY".into(),
            by: None,
        });
        let mut line = Resource::new("Crisis line", ResourceCategory::Crisis);
        line.phone = "988".into();
        line.notes = "STAFF ONLY".into();
        let helps = vec!["walking\u{1b}[31m by the river".to_string()];
        let text = render_card(&CardInput {
            organization: "Center",
            peer: "Ana",
            date: day,
            goals: &[g],
            what_helps: &helps,
            groups: &[],
            resources: &[line],
        });
        for l in text.lines() {
            assert!(width(l) <= CARD_WIDTH, "{l:?}");
        }
        assert!(text.contains("Crisis line — 988"), "{text}");
        assert!(!text.contains("STAFF ONLY"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("landlord"));
    }
}
