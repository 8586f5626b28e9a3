//! Keymap resolution, layering and every kind of keymap problem, with
//! file and line — no terminal involved.

use std::io::Write;

use caseload::config::Config;
use caseload::ui::action::Action;
use caseload::ui::keymap::{
    check_keymap_file, parse_sequence, Context, Key, Keymap, Lookup, DEFAULT_TOML, VIM_TOML,
};

const TODAY: &[Context] = &[Context::Today, Context::List, Context::Global];
const LIST: &[Context] = &[Context::List, Context::Global];
const NOTE: &[Context] = &[Context::Input, Context::Form, Context::Global];

fn keys(s: &str) -> Vec<Key> {
    parse_sequence(s).expect("valid keys")
}

fn look(k: &Keymap, chain: &[Context], typing: bool, s: &str) -> Lookup {
    k.lookup(chain, typing, &keys(s))
}

fn vim() -> Keymap {
    Keymap::from_layers(&[("default", DEFAULT_TOML), ("vim", VIM_TOML)])
}

fn shown(k: &Keymap) -> Vec<String> {
    k.problems.iter().map(ToString::to_string).collect()
}

#[test]
fn built_in_keymaps_have_no_problems() {
    assert!(
        Keymap::builtin().problems.is_empty(),
        "{:?}",
        shown(&Keymap::builtin())
    );
    assert!(vim().problems.is_empty(), "{:?}", shown(&vim()));
    assert!(check_keymap_file(Some(std::path::Path::new("keymaps/vim.toml"))).is_empty());
}

#[test]
fn default_bindings_resolve() {
    let k = Keymap::builtin();
    assert_eq!(look(&k, TODAY, false, "c"), Lookup::Action(Action::CheckIn));
    assert_eq!(look(&k, TODAY, false, "/"), Lookup::Action(Action::Search));
    assert_eq!(look(&k, TODAY, false, "?"), Lookup::Action(Action::Help));
    assert_eq!(look(&k, TODAY, false, "q"), Lookup::Action(Action::Quit));
    assert_eq!(
        look(&k, TODAY, false, "tab"),
        Lookup::Action(Action::NextPane)
    );
    assert_eq!(
        look(&k, TODAY, false, "shift-tab"),
        Lookup::Action(Action::PrevPane)
    );
    assert_eq!(
        look(&k, TODAY, false, "enter"),
        Lookup::Action(Action::Open)
    );
    assert_eq!(look(&k, TODAY, false, "esc"), Lookup::Action(Action::Back));
    assert_eq!(
        look(&k, TODAY, false, "ctrl-s"),
        Lookup::Action(Action::Save)
    );
    assert_eq!(look(&k, TODAY, false, "g"), Lookup::Action(Action::GoToday));
    assert_eq!(
        look(&k, TODAY, false, "m"),
        Lookup::Action(Action::ToggleMine)
    );
    // The more specific context wins: Tab in a form is the next field.
    let form = &[Context::Choice, Context::Form, Context::Global];
    assert_eq!(
        look(&k, form, false, "tab"),
        Lookup::Action(Action::NextField)
    );
}

#[test]
fn printable_keys_type_in_text_fields_but_control_keys_still_act() {
    let k = Keymap::builtin();
    for c in ["q", "c", "g", "/", "?", "space"] {
        assert_eq!(
            look(&k, NOTE, true, c),
            Lookup::Unbound,
            "{c} must type text"
        );
    }
    assert_eq!(look(&k, NOTE, true, "ctrl-s"), Lookup::Action(Action::Save));
    assert_eq!(look(&k, NOTE, true, "esc"), Lookup::Action(Action::Back));
    assert_eq!(
        look(&k, NOTE, true, "tab"),
        Lookup::Action(Action::NextField)
    );
    assert_eq!(
        look(&k, NOTE, true, "enter"),
        Lookup::Unbound,
        "Enter is a new line in the note"
    );
    // ...unless the text field's own context binds them.
    let k = Keymap::from_layers(&[("d", DEFAULT_TOML), ("mine", "[input]\n\"§\" = \"save\"\n")]);
    assert_eq!(look(&k, NOTE, true, "§"), Lookup::Action(Action::Save));
}

#[test]
fn sequences_wait_for_the_next_key() {
    let k = vim();
    assert_eq!(look(&k, LIST, false, "g"), Lookup::Pending);
    assert_eq!(look(&k, LIST, false, "g g"), Lookup::Action(Action::Top));
    assert_eq!(
        look(&k, LIST, false, "g t"),
        Lookup::Action(Action::GoToday)
    );
    assert_eq!(look(&k, LIST, false, "g x"), Lookup::Unbound);
    assert_eq!(look(&k, LIST, false, "G"), Lookup::Action(Action::Bottom));
    assert_eq!(look(&k, LIST, false, "j"), Lookup::Action(Action::Down));
    assert_eq!(look(&k, LIST, false, ":"), Lookup::Action(Action::Command));
    // Arrows from the default layer still work under vim.
    assert_eq!(look(&k, LIST, false, "down"), Lookup::Action(Action::Down));
}

#[test]
fn layers_override_unbind_and_replace_ambiguous_bindings() {
    let user = "[global]\n\"x\" = \"quit\"\n\"q\" = \"none\"\n\"c\" = \"help\"\n[list]\n\"g g\" = \"top\"\n";
    let k = Keymap::from_layers(&[("default", DEFAULT_TOML), ("user", user)]);
    assert!(k.problems.is_empty(), "{:?}", shown(&k));
    assert_eq!(look(&k, TODAY, false, "x"), Lookup::Action(Action::Quit));
    assert_eq!(look(&k, TODAY, false, "q"), Lookup::Unbound);
    assert_eq!(look(&k, TODAY, false, "c"), Lookup::Action(Action::Help));
    // In lists, "g" now starts "g g"; elsewhere global "g" still goes to Today.
    assert_eq!(look(&k, LIST, false, "g"), Lookup::Pending);
    assert_eq!(
        look(&k, &[Context::Global], false, "g"),
        Lookup::Action(Action::GoToday)
    );
    // A later layer binding "g" in global replaces the sequences it would hide.
    let k = Keymap::from_layers(&[
        ("default", DEFAULT_TOML),
        ("vim", VIM_TOML),
        ("user", "[global]\ng = \"help\"\n"),
    ]);
    assert_eq!(
        look(&k, &[Context::Global], false, "g"),
        Lookup::Action(Action::Help)
    );
}

#[test]
fn config_chooses_a_keymap_and_overrides_single_bindings() {
    let text = "keymap = \"vim\"\n\n[keys.global]\n\"F2\" = \"check-in\"\n";
    let (config, problems) = Config::parse("config.toml", text);
    let k = Keymap::load(None, &config, problems);
    assert!(k.problems.is_empty(), "{:?}", shown(&k));
    assert_eq!(look(&k, LIST, false, "j"), Lookup::Action(Action::Down));
    assert_eq!(
        look(&k, TODAY, false, "f2"),
        Lookup::Action(Action::CheckIn)
    );
    // --keymap wins over the config's choice; the overrides still apply.
    let k = Keymap::load(Some("default"), &config, Vec::new());
    assert_eq!(look(&k, LIST, false, "j"), Lookup::Unbound);
    assert_eq!(
        look(&k, TODAY, false, "f2"),
        Lookup::Action(Action::CheckIn)
    );
}

#[test]
fn every_kind_of_problem_is_reported_with_its_line_and_the_rest_still_loads() {
    let text = r#"# line 1
[global]
"x" = "chekin"
"ctrl-foo" = "save"
"ctrl-s" = "help"
"C-s" = "quit"
"z" = "top"
"z z" = "bottom"
"w" = 3
[lists]
"j" = "down"
[list]
"F3" = "top"
"#;
    let k = Keymap::from_layers(&[("default", DEFAULT_TOML), ("my.toml", text)]);
    let p = shown(&k);
    let expect = [
        "my.toml:3: [global] 'x': unknown action 'chekin' (did you mean 'check-in'?)",
        "my.toml:4: [global] 'ctrl-foo': unknown key name 'ctrl-foo'",
        "my.toml:6: [global] 'C-s' is bound twice (first on line 5, as Ctrl-s)",
        "my.toml:8: [global] 'z' is both a binding and the start of the sequence 'z z' (line 7)",
        "my.toml:9: [global] 'w': the action must be a name in quotes",
        "my.toml:10: unknown context [lists] (did you mean [list]?",
    ];
    for want in expect {
        assert!(
            p.iter().any(|s| s.starts_with(want)),
            "missing {want:?} in\n{}",
            p.join("\n")
        );
    }
    assert_eq!(p.len(), expect.len(), "{}", p.join("\n"));
    // Good entries of the same file apply; bad ones leave the defaults.
    assert_eq!(
        look(&k, TODAY, false, "ctrl-s"),
        Lookup::Action(Action::Help)
    );
    assert_eq!(look(&k, TODAY, false, "z"), Lookup::Action(Action::Top));
    assert_eq!(look(&k, LIST, false, "f3"), Lookup::Action(Action::Top));
    assert_eq!(look(&k, TODAY, false, "c"), Lookup::Action(Action::CheckIn));
}

#[test]
fn syntax_errors_and_stray_keys_do_not_drop_the_file() {
    let text = "\"c\" = \"quit\"\n[global]\n\"v\" = \"help\"\n\"v\" = \"quit\"\n[form\n";
    let k = Keymap::from_layers(&[("default", DEFAULT_TOML), ("bad.toml", text)]);
    let p = shown(&k);
    assert!(
        p.iter()
            .any(|s| s.starts_with("bad.toml:1: 'c' = a string is outside any [context] table")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|s| s.starts_with("bad.toml:4: not valid TOML")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|s| s.starts_with("bad.toml:5: not valid TOML")),
        "{p:?}"
    );
    assert_eq!(look(&k, TODAY, false, "v"), Lookup::Action(Action::Help));
    assert_eq!(look(&k, TODAY, false, "c"), Lookup::Action(Action::CheckIn));
}

#[test]
fn unknown_keymap_names_and_missing_files_fall_back_to_defaults() {
    let (config, problems) = Config::parse("/home/a/config.toml", "keymap = \"emacs\"\n");
    let k = Keymap::load(None, &config, problems);
    let p = shown(&k);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("/home/a/config.toml:1: unknown keymap 'emacs' (built in: default, vim"),
        "{p:?}"
    );
    assert_eq!(look(&k, TODAY, false, "c"), Lookup::Action(Action::CheckIn));
    let k = Keymap::load(
        Some("/nonexistent/keys.toml"),
        &Config::default(),
        Vec::new(),
    );
    assert!(
        shown(&k)[0].starts_with("--keymap: cannot read keymap file /nonexistent/keys.toml"),
        "{:?}",
        shown(&k)
    );
}

#[test]
fn check_keymap_file_lists_all_problems_as_file_line_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mine.toml");
    let mut f = std::fs::File::create(&path).expect("create");
    writeln!(f, "[global]\n\"x\" = \"nope\"\n\"y\" = \"also-nope\"").expect("write");
    let problems = check_keymap_file(Some(&path));
    let p: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p[0].starts_with(&format!("{}:2: ", path.display())),
        "{p:?}"
    );
    assert!(
        p[1].starts_with(&format!("{}:3: ", path.display())),
        "{p:?}"
    );

    // A config file is checked as one, including the keymap it chooses.
    let km = dir.path().join("keys.toml");
    std::fs::write(&km, "[global]\n\"k\" = \"bogus\"\n").expect("write");
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        "keymap = \"keys.toml\"\ncolour = 1\n[keys.global]\n\"F9\" = \"nothing\"\n",
    )
    .expect("write");
    let p: Vec<String> = check_keymap_file(Some(&cfg))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        p.iter()
            .any(|s| s.contains("config.toml:2: unknown setting 'colour'")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|s| s.contains("keys.toml:2: [global] 'k': unknown action 'bogus'")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|s| s.contains("config.toml:4: [global] 'F9': unknown action 'nothing'")),
        "{p:?}"
    );
}

#[test]
fn key_for_only_offers_keys_that_reach_the_action() {
    let k = Keymap::builtin();
    assert_eq!(
        k.key_for(NOTE, true, Action::Save).as_deref(),
        Some("Ctrl-s")
    );
    // In a text field, `?` types; F1 is the help key that works there.
    assert_eq!(k.key_for(NOTE, true, Action::Help).as_deref(), Some("F1"));
    assert_eq!(k.key_for(TODAY, false, Action::Help).as_deref(), Some("?"));
}

/// Actions a shipped keymap leaves unbound on purpose, and why.
const UNBOUND: &[(&str, Action, &str)] = &[(
    "default",
    Action::Command,
    "the command line is vim's `:`; the default keymap gives every action a key of its own",
)];

#[test]
fn every_action_is_bound_in_both_shipped_keymaps_or_listed_as_unbound() {
    use caseload::ui::keymap::Context;
    let shipped = [
        ("default", Keymap::builtin()),
        (
            "vim",
            Keymap::from_layers(&[("default", DEFAULT_TOML), ("vim", VIM_TOML)]),
        ),
    ];
    for (name, keymap) in &shipped {
        assert!(keymap.problems.is_empty(), "{name}: {:?}", keymap.problems);
        let bound: std::collections::BTreeSet<Action> = Context::ALL
            .iter()
            .flat_map(|c| keymap.bindings(*c))
            .map(|(_, a)| a)
            .collect();
        let missing: Vec<Action> = Action::ALL
            .iter()
            .copied()
            .filter(|a| !bound.contains(a) && !UNBOUND.iter().any(|(k, u, _)| k == name && u == a))
            .collect();
        assert!(missing.is_empty(), "{name} binds no key to {missing:?}");
        for (_, a, why) in UNBOUND.iter().filter(|(k, _, _)| k == name) {
            assert!(!why.is_empty());
            assert!(!bound.contains(a), "{name} binds {a}: take it off UNBOUND");
        }
    }
}
