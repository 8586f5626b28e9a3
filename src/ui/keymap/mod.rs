//! Keymaps as data: keys and short sequences mapped to named actions per
//! context, layered built-in defaults → chosen file → user overrides.
//!
//! Resolution walks a *chain* of contexts from the most specific (the focused
//! field or list) to `global`. In a text field, printable keys are looked up
//! only in the chain's first context (`input`) and otherwise type text, so a
//! global `q` never swallows a "q" typed into a note.
//!
//! Problems never panic and never drop a whole file: each is reported with
//! file and line, the entry is skipped, and the layers below keep that key.

pub mod key;
pub mod parse;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::config::{Config, ConfigProblem};
use crate::ui::action::Action;

pub use key::{parse_sequence, sequence_label, Key};
use parse::{parse_layer, Entry};

/// The built-in default keymap (arrows and mnemonic letters).
pub const DEFAULT_TOML: &str = include_str!("../../../keymaps/default.toml");
/// The built-in vim-flavoured keymap (hjkl, `/`, `:`), layered on the default.
pub const VIM_TOML: &str = include_str!("../../../keymaps/vim.toml");
/// Names of the built-in keymaps, for `keymap = "…"` and `--keymap`.
pub const BUILTIN: &[&str] = &["default", "vim"];

/// Where a binding applies. Its names (keymap table names) come from
/// strum, so the table cannot drift from the enum.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "kebab-case", ascii_case_insensitive)]
pub enum Context {
    /// Everywhere, unless a more specific context binds the key.
    Global,
    /// Any list: Today, Peers, the peer picker, the help overlay.
    List,
    /// The Today list.
    Today,
    /// The peer roster.
    Peers,
    /// Text fields: printable keys type text unless bound here.
    Input,
    /// Forms (check-in, goal, review, group…), whichever field has focus.
    Form,
    /// Choice fields in forms (mode, support kinds, goals).
    Choice,
    /// Yes/no questions.
    Confirm,
    /// The possible-duplicate question ("… already exists: use her?"),
    /// over `Confirm`: its no adds a new peer, so Esc must not mean no.
    Duplicate,
    /// The peer page, whichever tab is in front.
    #[strum(serialize = "peer")]
    PeerPage,
    /// The peer page's recovery-plan tab.
    Plan,
    /// The peer page's goal-timeline tab.
    Timeline,
    /// The peer page's wellness-plan tab.
    Wellness,
    /// The Groups screen.
    Groups,
    /// A group session's attendance list (`session` in keymap files,
    /// the name they have always used).
    #[strum(serialize = "session")]
    Attendance,
    /// The Reports screen.
    Reports,
    /// The Resources screen (the community resource directory).
    Resources,
    /// The peer page's Referrals tab.
    Referrals,
    /// The peer page's consents tab.
    Consents,
    /// The Credentials screen.
    Credentials,
    /// Taking an assessment (one item a screen, numbers answer).
    Assess,
    /// The Staff screen.
    Staff,
    /// A peer's check-in list (correct, void, read in full).
    #[strum(serialize = "checkins")]
    CheckIns,
}

impl Context {
    /// Every context, in help order.
    pub const ALL: &'static [Context] = <Context as strum::VariantArray>::VARIANTS;

    /// The table name in keymap files (strum: the variant in kebab case,
    /// `peer` for the peer page).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// A heading for the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "Lists",
            Context::Today => "Today",
            Context::Peers => "Peers",
            Context::Input => "Text fields",
            Context::Form => "Forms",
            Context::Choice => "Choice fields",
            Context::Confirm => "Questions",
            Context::Duplicate => "Possible duplicate",
            Context::PeerPage => "Peer page (all tabs)",
            Context::Plan => "Recovery plan",
            Context::Timeline => "Goal timeline",
            Context::Wellness => "Wellness plan",
            Context::Groups => "Groups",
            Context::Attendance => "Group session (attendance)",
            Context::Reports => "Reports",
            Context::Resources => "Resources",
            Context::Referrals => "Referrals",
            Context::Consents => "Consents",
            Context::Credentials => "Credentials",
            Context::Assess => "Taking an assessment",
            Context::Staff => "Staff",
            Context::CheckIns => "Check-in list (corrections)",
        }
    }

    /// The closest table name to a misspelt one, for "did you mean".
    pub fn suggest(name: &str) -> Option<Context> {
        let want = name.trim().to_ascii_lowercase();
        Context::ALL
            .iter()
            .copied()
            .map(|c| (strsim::levenshtein(c.name(), &want), c))
            .filter(|(d, _)| *d <= 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, c)| c)
    }

    /// Parses a table name (any case).
    pub fn from_name(name: &str) -> Option<Context> {
        name.trim().parse().ok()
    }
}

/// One problem with a keymap or config file: `FILE:LINE: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapProblem {
    /// The file as shown to the user.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong and what happens instead.
    pub message: String,
}

impl fmt::Display for KeymapProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file, l, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl From<ConfigProblem> for KeymapProblem {
    fn from(p: ConfigProblem) -> Self {
        KeymapProblem {
            file: p.file,
            line: p.line,
            message: p.message,
        }
    }
}

/// What a key (or the keys pressed so far) means in a chain of contexts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// A complete binding.
    Action(Action),
    /// The start of a sequence: wait for the next key.
    Pending,
    /// Nothing bound: a text field may type it.
    Unbound,
}

/// The active keymap, after layering.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    maps: BTreeMap<Context, BTreeMap<Vec<Key>, Action>>,
    /// Which layers were applied, for the help overlay.
    pub sources: Vec<String>,
    /// Every problem found while loading, in order.
    pub problems: Vec<KeymapProblem>,
}

impl Keymap {
    /// The built-in default keymap alone.
    pub fn builtin() -> Keymap {
        let mut k = Keymap::default();
        k.apply_text("keymaps/default.toml (built in)", DEFAULT_TOML, None, true);
        k
    }

    /// Layers the given texts in order on an empty keymap (tests, tools).
    pub fn from_layers(layers: &[(&str, &str)]) -> Keymap {
        let mut k = Keymap::default();
        for (name, text) in layers {
            k.apply_text(name, text, None, true);
        }
        k
    }

    /// The keymap to run with: built-in defaults, then the chosen keymap
    /// (`choice` from `--keymap`, else the config's `keymap`), then the
    /// config's `[keys.*]` overrides. `config_problems` are kept with the
    /// keymap's own so that one list shows everything.
    pub fn load(
        choice: Option<&str>,
        config: &Config,
        config_problems: Vec<ConfigProblem>,
    ) -> Keymap {
        let mut k = Keymap::builtin();
        k.problems
            .extend(config_problems.into_iter().map(KeymapProblem::from));
        let chosen = match choice {
            Some(c) => Some((
                c.to_string(),
                "--keymap".to_string(),
                None,
                std::path::PathBuf::from(c),
            )),
            None => config.keymap.as_ref().map(|s| {
                (
                    s.value.clone(),
                    config.label(),
                    Some(s.line),
                    config.resolve(&s.value),
                )
            }),
        };
        if let Some((name, origin, line, path)) = chosen {
            k.apply_choice(&name, &origin, line, &path);
        }
        if let Some(text) = &config.text {
            k.apply_text(&config.label(), text, Some("keys"), false);
        }
        k
    }

    fn apply_choice(&mut self, name: &str, origin: &str, line: Option<usize>, path: &Path) {
        let problem = |message: String| KeymapProblem {
            file: origin.to_string(),
            line,
            message,
        };
        match name.to_ascii_lowercase().as_str() {
            "default" => {}
            "vim" => self.apply_text("keymaps/vim.toml (built in)", VIM_TOML, None, true),
            _ => {
                let looks_like_path =
                    name.contains('/') || name.contains('\\') || name.ends_with(".toml");
                match std::fs::read_to_string(path) {
                    Ok(text) => self.apply_text(&path.display().to_string(), &text, None, true),
                    Err(e) if !looks_like_path && e.kind() == std::io::ErrorKind::NotFound => {
                        self.problems.push(problem(format!(
                            "unknown keymap '{}' (built in: {}; or give the path of a .toml file); using the default keymap",
                            crate::text::escape_line(name),
                            BUILTIN.join(", ")
                        )));
                    }
                    Err(e) => self.problems.push(problem(format!(
                        "cannot read keymap file {}: {e}; using the default keymap",
                        path.display()
                    ))),
                }
            }
        }
    }

    /// Parses one layer and applies it on top.
    pub fn apply_text(&mut self, file: &str, text: &str, under: Option<&str>, report_syntax: bool) {
        let (entries, problems) = parse_layer(file, text, under, report_syntax);
        self.problems.extend(problems);
        if !entries.is_empty() || under.is_none() {
            self.sources.push(file.to_string());
        }
        for e in entries {
            self.apply(e);
        }
    }

    /// A later layer wins: a binding replaces any binding of the same keys
    /// below it, and any below that it would make ambiguous (a lower `g`
    /// when this layer binds `g g`, or the reverse).
    fn apply(&mut self, e: Entry) {
        let map = self.maps.entry(e.context).or_default();
        map.retain(|k, _| !(k.starts_with(&e.keys) || e.keys.starts_with(k)));
        if let Some(a) = e.action {
            map.insert(e.keys, a);
        }
    }

    /// What `pressed` means in `chain` (most specific context first). When
    /// `typing`, a sequence starting with a printable key is looked up only
    /// in the first context.
    pub fn lookup(&self, chain: &[Context], typing: bool, pressed: &[Key]) -> Lookup {
        let Some(first) = pressed.first() else {
            return Lookup::Unbound;
        };
        for (i, ctx) in chain.iter().enumerate() {
            if typing && i > 0 && first.is_printable() {
                break;
            }
            let Some(map) = self.maps.get(ctx) else {
                continue;
            };
            if let Some(a) = map.get(pressed) {
                return Lookup::Action(*a);
            }
            if map
                .range(pressed.to_vec()..)
                .next()
                .is_some_and(|(k, _)| k.len() > pressed.len() && k.starts_with(pressed))
            {
                return Lookup::Pending;
            }
        }
        Lookup::Unbound
    }

    /// Every binding of one context, sorted by action then keys.
    pub fn bindings(&self, ctx: Context) -> Vec<(Vec<Key>, Action)> {
        let mut v: Vec<(Vec<Key>, Action)> = self
            .maps
            .get(&ctx)
            .map(|m| m.iter().map(|(k, a)| (k.clone(), *a)).collect())
            .unwrap_or_default();
        v.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    /// The first key sequence that triggers `action` through `chain`, as a
    /// label for hints ("Ctrl-s"); `None` when the action is unreachable.
    pub fn key_for(&self, chain: &[Context], typing: bool, action: Action) -> Option<String> {
        for ctx in chain {
            let mut found: Vec<&Vec<Key>> = self
                .maps
                .get(ctx)
                .map(|m| {
                    m.iter()
                        .filter(|(_, a)| **a == action)
                        .map(|(k, _)| k)
                        .collect()
                })
                .unwrap_or_default();
            found.sort_by_key(|k| (k.len(), sequence_label(k).len()));
            for keys in found {
                // Only offer keys that really reach the action from here.
                if self.lookup(chain, typing, keys) == Lookup::Action(action) {
                    return Some(sequence_label(keys));
                }
            }
        }
        None
    }
}

/// Checks a keymap or config file for `caseload keymap check [FILE]`.
///
/// With a path: a file with a top-level `keymap` or `keys` entry is checked
/// as a config file (including the keymap it chooses), anything else as a
/// keymap file. Without: the configured set-up (config file, its chosen
/// keymap, its overrides) and the built-in keymaps. Every problem is listed.
pub fn check_keymap_file(path: Option<&Path>) -> Vec<KeymapProblem> {
    match path {
        None => {
            let mut problems = Keymap::builtin().problems;
            problems
                .extend(Keymap::from_layers(&[("keymaps/vim.toml (built in)", VIM_TOML)]).problems);
            let (config, config_problems) = Config::load(None);
            problems.extend(Keymap::load(None, &config, config_problems).problems);
            problems
        }
        Some(p) => {
            let text = match std::fs::read_to_string(p) {
                Ok(t) => t,
                Err(e) => {
                    return vec![KeymapProblem {
                        file: p.display().to_string(),
                        line: None,
                        message: format!("cannot read: {e}"),
                    }]
                }
            };
            let is_config = toml::de::DeTable::parse_recoverable(&text)
                .0
                .get_ref()
                .iter()
                .any(|(k, _)| matches!(&**k.get_ref(), "keymap" | "keys"));
            if is_config {
                let (config, problems) = Config::load(Some(p));
                let mut k = Keymap::default();
                k.problems
                    .extend(problems.into_iter().map(KeymapProblem::from));
                // Only the chosen keymap and overrides: built-ins are checked without a path.
                let mut full = Keymap::load(None, &config, Vec::new());
                k.problems.append(&mut full.problems);
                k.problems
            } else {
                let mut k = Keymap::default();
                k.apply_text(&p.display().to_string(), &text, None, true);
                k.problems
            }
        }
    }
}
