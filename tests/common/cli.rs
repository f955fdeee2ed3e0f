//! Running the built binary as a user or a script would: one temporary
//! database per test, the host's teamloop settings removed.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_teamloop");

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(
            self.ok(),
            "expected success, got {:?}\nstdout: {}\nstderr: {}",
            self.code,
            self.stdout,
            self.stderr
        );
        self
    }

    /// A failure reported by teamloop itself: exit code 1 and one line on
    /// stderr, `teamloop: <message>`, containing `needle`.
    #[track_caller]
    pub fn assert_fails_with(&self, needle: &str) -> &Self {
        assert_eq!(
            self.code,
            Some(1),
            "expected exit code 1\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        assert!(
            self.stderr.starts_with("teamloop: "),
            "stderr: {}",
            self.stderr
        );
        assert_eq!(self.stderr.trim_end().lines().count(), 1, "{}", self.stderr);
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}: {}",
            self.stderr
        );
        assert!(self.stdout.is_empty(), "stdout: {}", self.stdout);
        self
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        self.assert_ok();
        match serde_json::from_str(&self.stdout) {
            Ok(v) => v,
            Err(e) => panic!("not JSON ({e}): {}", self.stdout),
        }
    }
}

/// A state folder for the tests' people, apart from the developer's own.
pub fn test_state_dir() -> PathBuf {
    std::env::temp_dir().join(format!("teamloop-test-state-{}", std::process::id()))
}

/// The binary with the host's teamloop settings removed.
pub fn bare() -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("TEAMLOOP_DB")
        .env_remove("TEAMLOOP_USER")
        .env_remove("NO_COLOR")
        // The developer's own settings do not reach the tests.
        .env(
            "TEAMLOOP_CONFIG",
            "/nonexistent/teamloop-test-settings.toml",
        )
        // Each person's key to their anonymous items: never the developer's.
        .env("TEAMLOOP_STATE", test_state_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

pub fn output(mut cmd: Command) -> Run {
    let out = cmd.output().expect("the teamloop binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The binary on `db` as `user`, settings removed; arguments to follow.
pub fn at(db: &Path, user: &str) -> Command {
    let mut cmd = bare();
    cmd.arg("--db").arg(db).args(["--user", user]);
    cmd
}

pub fn run_at(db: &Path, args: &[&str]) -> Run {
    let mut cmd = at(db, "tester");
    cmd.args(args);
    output(cmd)
}

pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Env {
    /// A new board, made as a newcomer would: `teamloop init`.
    pub fn new() -> Self {
        let env = Self::without_board();
        env.run(&["init"]).assert_ok();
        env
    }

    /// A folder where the database does not exist yet.
    pub fn without_board() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        Self { dir, db }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_at(&self.db, args)
    }

    /// Runs as `who` instead of the default user.
    pub fn run_as(&self, who: &str, args: &[&str]) -> Run {
        let mut cmd = bare();
        cmd.arg("--db")
            .arg(&self.db)
            .args(["--user", who])
            .args(args);
        output(cmd)
    }

    /// Runs as `who` with `input` on standard input (a pipe).
    pub fn run_piped(&self, who: &str, args: &[&str], input: &str) -> Run {
        use std::io::Write;
        let mut cmd = bare();
        cmd.arg("--db")
            .arg(&self.db)
            .args(["--user", who])
            .args(args)
            .stdin(Stdio::piped());
        let mut child = cmd.spawn().expect("the teamloop binary runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        Run {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// Adds a card and returns its id.
    pub fn add(&self, title: &str, column: &str) -> i64 {
        let r = self.run(&["card", "add", title, "--column", column]);
        r.assert_ok();
        r.stdout.trim().parse().unwrap()
    }

    pub fn cards(&self) -> Vec<Value> {
        match self.run(&["card", "list", "--json"]).json() {
            Value::Array(cards) => cards,
            other => panic!("card list --json gave {other}"),
        }
    }

    pub fn column_of(&self, id: i64) -> String {
        let cards = self.cards();
        let card = cards
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("card {id} is not listed"));
        card["column"].as_str().unwrap().to_string()
    }

    pub fn columns(&self) -> Vec<Value> {
        match self.run(&["column", "list", "--json"]).json() {
            Value::Array(columns) => columns,
            other => panic!("column list --json gave {other}"),
        }
    }

    pub fn column(&self, name: &str) -> Value {
        self.columns()
            .into_iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }
}
