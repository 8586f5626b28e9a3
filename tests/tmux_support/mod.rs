//! A private tmux server for end-to-end tests in a real terminal: start a
//! program in a detached session, type into it, and poll the screen.
//! `tmux -L <socket>` keeps a user's own tmux untouched.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// True when tmux cannot be run here (the test then skips, saying so).
pub fn tmux_missing() -> bool {
    Command::new("tmux").arg("-V").output().is_err()
}

/// Starts `program` (an already quoted shell command) in session `T` of a
/// new private tmux server named after `name` and this process, 100×30,
/// with its config, state and data folders under `home` so nothing of the
/// user's is read. `env` adds variables (`USER=jr`).
pub fn launch(name: &str, home: &Path, env: &str, program: &str) -> Tmux {
    let tmux = Tmux {
        socket: format!("{name}-{}", std::process::id()),
    };
    let command = format!(
        "env {env} TERM=xterm-256color XDG_CONFIG_HOME={} XDG_STATE_HOME={} XDG_DATA_HOME={} {program}",
        quote(&home.join("config")),
        quote(&home.join("state")),
        quote(&home.join("data")),
    );
    let started = tmux.run(&[
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-x",
        "100",
        "-y",
        "30",
        "-s",
        "T",
        &command,
    ]);
    assert!(
        started.status.success(),
        "tmux: {}",
        String::from_utf8_lossy(&started.stderr)
    );
    tmux
}

/// A private tmux server with one session named `T`.
pub struct Tmux {
    /// The private server's socket name.
    pub socket: String,
}

impl Tmux {
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux")
    }

    pub fn capture(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "T"]).stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "T"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    pub fn text(&self, text: &str) {
        assert!(self
            .run(&["send-keys", "-t", "T", "-l", text])
            .status
            .success());
    }

    /// Polls the screen until `ok` holds, up to a deadline.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.capture();
            if ok(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn alive(&self) -> bool {
        self.run(&["has-session", "-t", "T"]).status.success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// Quotes a path for the shell command tmux runs.
pub fn quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

/// Runs the built `caseload` on the store in `dir` with `args` (and the
/// variables in `env`), as the tests' own setup and checks do beside the
/// terminal: without the caller's `CASELOAD_STAFF` or `CASELOAD_DATA_DIR`,
/// so the test decides who works and where. Fails the test, with what the
/// command said, unless it succeeded.
pub fn caseload_ok(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("CASELOAD_STAFF")
        .env_remove("CASELOAD_DATA_DIR")
        .envs(env.iter().copied())
        .output()
        .expect("run caseload");
    assert!(
        out.status.success(),
        "caseload {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// What a command printed on standard output, as text.
pub fn stdout_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}
