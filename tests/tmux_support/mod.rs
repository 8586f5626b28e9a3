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
