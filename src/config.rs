//! The user's configuration file, `$XDG_CONFIG_HOME/caseload/config.toml`.
//!
//! It is optional. Today it chooses the keymap (`keymap = "vim"` or a path
//! to a keymap file), may override single bindings in `[keys.<context>]`
//! tables, which the keymap loader reads from the same text, and sets how
//! long the screen may sit idle before it locks (`lock_after = "5m"`, read
//! by `ui::lock`). A broken file
//! never stops caseload: every problem is reported with file and line and
//! the defaults are used for what could not be read.

#![warn(missing_docs)]

use std::fmt;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

/// Top-level keys the config file may hold.
pub const KNOWN_KEYS: &[&str] = &["keymap", "keys", "lock_after"];

/// A value read from the config file, with the line it was on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the file, for messages about it.
    pub line: usize,
}

/// Something wrong in the config file, located for the user to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The file, as shown to the user.
    pub file: String,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file, l, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// What the config file says (everything optional).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where the file is (or would be).
    pub path: Option<PathBuf>,
    /// The file's text, when it could be read; the keymap loader reads the
    /// `[keys.*]` overrides from it.
    pub text: Option<String>,
    /// The chosen keymap: a built-in name or a path.
    pub keymap: Option<Setting<String>>,
    /// Idle time before the screen locks, as written (`"5m"`, `"off"`, or
    /// an integer such as `0`); `ui::lock` reads and checks it.
    pub lock_after: Option<Setting<String>>,
}

/// The default config location: `$XDG_CONFIG_HOME/caseload/config.toml`
/// (`~/.config/caseload/config.toml`), or the platform's equivalent.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "caseload").map(|d| d.config_dir().join("config.toml"))
}

/// 1-based line of a byte offset, for messages.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

impl Config {
    /// Reads the config at `path`, or at the default location when `None`.
    /// A missing default file is normal (no problems); a missing file that
    /// was asked for explicitly is reported.
    pub fn load(path: Option<&Path>) -> (Config, Vec<ConfigProblem>) {
        let (path, explicit) = match path {
            Some(p) => (Some(p.to_path_buf()), true),
            None => (default_path(), false),
        };
        let Some(path) = path else {
            return (Config::default(), Vec::new());
        };
        let label = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let (mut config, problems) = Config::parse(&label, &text);
                config.path = Some(path);
                (config, problems)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => (
                Config {
                    path: Some(path),
                    ..Config::default()
                },
                Vec::new(),
            ),
            Err(e) => (
                Config {
                    path: Some(path),
                    ..Config::default()
                },
                vec![ConfigProblem {
                    file: label,
                    line: None,
                    message: format!("cannot read the config file: {e}; using defaults"),
                }],
            ),
        }
    }

    /// Parses config text; `file` is its path, used in problems and to
    /// resolve relative keymap paths.
    pub fn parse(file: &str, text: &str) -> (Config, Vec<ConfigProblem>) {
        let mut problems = Vec::new();
        let problem = |line: Option<usize>, message: String| ConfigProblem {
            file: file.to_string(),
            line,
            message,
        };
        let (root, errors) = DeTable::parse_recoverable(text);
        for e in errors {
            let line = e.span().map(|s| line_of(text, s.start));
            problems.push(problem(
                line,
                format!("not valid TOML: {}", e.message().trim()),
            ));
        }
        let mut config = Config {
            path: Some(PathBuf::from(file)),
            text: Some(text.to_string()),
            keymap: None,
            lock_after: None,
        };
        for (key, value) in root.get_ref().iter() {
            let line = line_of(text, key.span().start);
            let name: &str = key.get_ref();
            match name {
                "keymap" => match value.get_ref() {
                    DeValue::String(s) if !s.trim().is_empty() => {
                        config.keymap = Some(Setting {
                            value: s.trim().to_string(),
                            line,
                        });
                    }
                    other => problems.push(problem(
                        Some(line),
                        format!(
                            "keymap must be a name (\"default\", \"vim\") or a path in quotes, not {}",
                            describe(other)
                        ),
                    )),
                },
                "lock_after" => match value.get_ref() {
                    DeValue::String(s) => {
                        config.lock_after = Some(Setting {
                            value: s.to_string(),
                            line,
                        });
                    }
                    DeValue::Integer(i) => {
                        config.lock_after = Some(Setting {
                            value: i.as_str().to_string(),
                            line,
                        });
                    }
                    other => problems.push(problem(
                        Some(line),
                        format!(
                            "lock_after must be an idle time in quotes like \"5m\" (or \"off\"), not {}",
                            describe(other)
                        ),
                    )),
                },
                "keys" => {
                    if !matches!(value.get_ref(), DeValue::Table(_)) {
                        problems.push(problem(
                            Some(line),
                            "keys must be tables like [keys.global]".to_string(),
                        ));
                    }
                }
                other => problems.push(problem(
                    Some(line),
                    format!(
                        "unknown setting '{}' (known: {})",
                        crate::text::escape_line(other),
                        KNOWN_KEYS.join(", ")
                    ),
                )),
            }
        }
        (config, problems)
    }

    /// A path written in the config, taken relative to the config's folder.
    pub fn resolve(&self, written: &str) -> PathBuf {
        let p = Path::new(written);
        match (p.is_relative(), self.path.as_ref().and_then(|c| c.parent())) {
            (true, Some(dir)) => dir.join(p),
            _ => p.to_path_buf(),
        }
    }

    /// The file as shown in messages.
    pub fn label(&self) -> String {
        self.path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config.toml".to_string())
    }
}

/// "an integer", "a table" — for messages about wrong value types.
pub fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) if s.trim().is_empty() => "an empty string".to_string(),
        other => format!("{} {}", article(other.type_str()), other.type_str()),
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keymap_choice_with_line() {
        let (c, p) = Config::parse("c.toml", "# mine\nkeymap = \"vim\"\n");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(
            c.keymap,
            Some(Setting {
                value: "vim".into(),
                line: 2
            })
        );
    }

    #[test]
    fn reports_every_problem_with_lines() {
        let text = "keymap = 3\ncolour = \"blue\"\nkeys = 1\n[oops\n";
        let (c, p) = Config::parse("c.toml", text);
        assert!(c.keymap.is_none());
        let shown: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert!(
            shown
                .iter()
                .any(|s| s.starts_with("c.toml:1: keymap must be")),
            "{shown:?}"
        );
        assert!(
            shown
                .iter()
                .any(|s| s.starts_with("c.toml:2: unknown setting 'colour'")),
            "{shown:?}"
        );
        assert!(
            shown
                .iter()
                .any(|s| s.starts_with("c.toml:3: keys must be")),
            "{shown:?}"
        );
        assert!(
            shown
                .iter()
                .any(|s| s.starts_with("c.toml:4: not valid TOML")),
            "{shown:?}"
        );
    }

    #[test]
    fn reads_lock_after_as_written_with_its_line() {
        let (c, p) = Config::parse("c.toml", "keymap = \"vim\"\nlock_after = \"30s\"\n");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(
            c.lock_after,
            Some(Setting {
                value: "30s".into(),
                line: 2
            })
        );
        let (c, p) = Config::parse("c.toml", "lock_after = 0\n");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(c.lock_after.map(|s| s.value), Some("0".to_string()));
        let (c, p) = Config::parse("c.toml", "\nlock_after = true\n");
        assert!(c.lock_after.is_none());
        assert!(
            p[0].to_string().starts_with("c.toml:2: lock_after must be"),
            "{p:?}"
        );
    }

    #[test]
    fn missing_default_file_is_fine_but_missing_explicit_file_is_reported() {
        let dir = std::env::temp_dir().join("caseload-config-test-missing");
        let (_, p) = Config::load(Some(&dir.join("nope.toml")));
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("cannot read"));
    }

    #[test]
    fn relative_paths_are_taken_from_the_config_folder() {
        let c = Config {
            path: Some(PathBuf::from("/home/a/.config/caseload/config.toml")),
            ..Config::default()
        };
        assert_eq!(
            c.resolve("my.toml"),
            PathBuf::from("/home/a/.config/caseload/my.toml")
        );
        assert_eq!(c.resolve("/etc/k.toml"), PathBuf::from("/etc/k.toml"));
    }
}
