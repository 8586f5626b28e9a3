//! Reading one keymap layer from TOML text, with every problem located.
//!
//! A layer is a set of `[context]` tables mapping a key (or a sequence such
//! as `"g g"`) to an action name, or to `"none"` to remove a binding from
//! the layers below. Nothing here panics or gives up on the whole file: a
//! bad entry is reported with its line and skipped, so the layers below
//! keep their binding for that key.

use toml::de::{DeTable, DeValue};

use crate::config::{describe, line_of};
use crate::text::escape_line;

use super::key::{parse_sequence, sequence_label, Key};
use super::{Context, KeymapProblem};
use crate::ui::action::Action;

/// The word that removes a binding.
pub const UNBIND: &str = "none";

/// One binding read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The context it belongs to.
    pub context: Context,
    /// The key or key sequence.
    pub keys: Vec<Key>,
    /// The action, or `None` to unbind.
    pub action: Option<Action>,
    /// 1-based line in its file.
    pub line: usize,
}

/// Parses a layer. `under` names a table holding the contexts (`keys` in
/// the config file); `None` means the contexts are at the top level.
/// Syntax errors are reported only when `report_syntax` is set (the config
/// loader reports them once for the config file).
pub fn parse_layer(
    file: &str,
    text: &str,
    under: Option<&str>,
    report_syntax: bool,
) -> (Vec<Entry>, Vec<KeymapProblem>) {
    let mut problems = Vec::new();
    let at = |offset: usize, message: String| KeymapProblem {
        file: file.to_string(),
        line: Some(line_of(text, offset)),
        message,
    };
    let (root, errors) = DeTable::parse_recoverable(text);
    if report_syntax {
        for e in errors {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            problems.push(at(
                offset,
                format!("not valid TOML: {}", e.message().trim()),
            ));
        }
    }
    let contexts: Vec<(
        &toml::Spanned<std::borrow::Cow<'_, str>>,
        &toml::Spanned<DeValue<'_>>,
    )> = match under {
        None => root.get_ref().iter().collect(),
        Some(name) => match root.get_ref().iter().find(|(k, _)| k.get_ref() == name) {
            Some((_, v)) => match v.get_ref() {
                DeValue::Table(t) => t.iter().collect(),
                // The config loader reports a non-table `keys`.
                _ => Vec::new(),
            },
            None => Vec::new(),
        },
    };

    let mut contexts = contexts;
    contexts.sort_by_key(|(k, _)| k.span().start);
    let mut entries: Vec<Entry> = Vec::new();
    for (ctx_key, ctx_value) in contexts {
        let ctx_name: &str = ctx_key.get_ref();
        let shown = escape_line(ctx_name);
        let table = match ctx_value.get_ref() {
            DeValue::Table(t) => t,
            other => {
                if under.is_none() && Context::from_name(ctx_name).is_none() {
                    problems.push(at(
                        ctx_key.span().start,
                        format!(
                            "'{shown}' = {} is outside any [context] table; put bindings under [global] or another context",
                            describe(other)
                        ),
                    ));
                } else {
                    problems.push(at(
                        ctx_key.span().start,
                        format!(
                            "'{shown}' must be a table of bindings like [{shown}], not {}",
                            describe(other)
                        ),
                    ));
                }
                continue;
            }
        };
        let Some(context) = Context::from_name(ctx_name) else {
            problems.push(at(
                ctx_key.span().start,
                format!(
                    "unknown context [{shown}] ({}contexts: {}); its bindings are ignored",
                    Context::suggest(ctx_name)
                        .map(|c| format!("did you mean [{}]? ", c.name()))
                        .unwrap_or_default(),
                    Context::ALL
                        .iter()
                        .map(|c| c.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            continue;
        };
        let mut in_context: Vec<Entry> = Vec::new();
        let mut items: Vec<_> = table.iter().collect();
        items.sort_by_key(|(k, _)| k.span().start);
        for (key, value) in items {
            let key_text: &str = key.get_ref();
            let key_shown = escape_line(key_text);
            let line = line_of(text, key.span().start);
            let keys = match parse_sequence(key_text) {
                Ok(k) => k,
                Err(e) => {
                    problems.push(at(
                        key.span().start,
                        format!("[{}] '{key_shown}': {e}", context.name()),
                    ));
                    continue;
                }
            };
            let action = match value.get_ref() {
                DeValue::String(name) if name.trim().eq_ignore_ascii_case(UNBIND) => None,
                DeValue::String(name) => match Action::from_name(name) {
                    Some(a) => Some(a),
                    None => {
                        let hint = match Action::suggest(name) {
                            Some(a) => format!("did you mean '{a}'?"),
                            None => "see `caseload keymap check` or the help overlay (?) for action names".to_string(),
                        };
                        problems.push(at(
                            value.span().start,
                            format!(
                                "[{}] '{key_shown}': unknown action '{}' ({hint})",
                                context.name(),
                                escape_line(name)
                            ),
                        ));
                        continue;
                    }
                },
                other => {
                    problems.push(at(
                        value.span().start,
                        format!(
                            "[{}] '{key_shown}': the action must be a name in quotes like \"quit\" (or \"{UNBIND}\"), not {}",
                            context.name(),
                            describe(other)
                        ),
                    ));
                    continue;
                }
            };
            if let Some(first) = in_context.iter().find(|e| e.keys == keys) {
                problems.push(at(
                    key.span().start,
                    format!(
                        "[{}] '{key_shown}' is bound twice (first on line {}, as {}); the first binding is used",
                        context.name(),
                        first.line,
                        sequence_label(&first.keys)
                    ),
                ));
                continue;
            }
            if let Some(other) = in_context
                .iter()
                .find(|e| e.keys.starts_with(&keys) || keys.starts_with(&e.keys))
            {
                let (short, long) = if other.keys.len() < keys.len() {
                    (&other.keys, &keys)
                } else {
                    (&keys, &other.keys)
                };
                problems.push(at(
                    key.span().start,
                    format!(
                        "[{}] '{}' is both a binding and the start of the sequence '{}' (line {}); '{key_shown}' is ignored",
                        context.name(),
                        sequence_label(short),
                        sequence_label(long),
                        other.line
                    ),
                ));
                continue;
            }
            in_context.push(Entry {
                context,
                keys,
                action,
                line,
            });
        }
        entries.extend(in_context);
    }
    // Files list bindings in any order; keep them in line order for help.
    entries.sort_by_key(|e| e.line);
    (entries, problems)
}
