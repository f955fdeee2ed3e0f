//! The built binary in a real pseudo-terminal, for tests and benchmarks:
//! start it, read what it draws, type at it, wait for it to end.

#![allow(dead_code)]

use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use nix::pty::{Winsize, openpty};
use nix::sys::termios::{LocalFlags, tcgetattr};

pub struct Pty {
    pub master: std::fs::File,
    slave: OwnedFd,
    output: mpsc::Receiver<Vec<u8>>,
    pub seen: Vec<u8>,
}

/// Starts `bin` on `db` in a `cols`×`rows` pseudo-terminal.
pub fn spawn_sized(
    bin: &str,
    db: &Path,
    envs: &[(&str, &str)],
    cols: u16,
    rows: u16,
) -> (Child, Pty) {
    spawn_args(bin, db, &[], envs, cols, rows)
}

/// The tests' state folder for people's keys, apart from the developer's.
pub fn state_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("teamloop-test-state-{}", std::process::id()))
}

/// `bin` on `db` outside a terminal, made first with `init` if missing.
pub fn command(bin: &str, db: &Path) -> Command {
    if !db.exists() {
        let made = Command::new(bin)
            .arg("--db")
            .arg(db)
            .args(["--user", "pty", "init"])
            .env_remove("TEAMLOOP_DB")
            .env("TEAMLOOP_STATE", state_dir())
            .output()
            .unwrap();
        assert!(made.status.success(), "{made:?}");
    }
    let mut cmd = Command::new(bin);
    cmd.arg("--db")
        .arg(db)
        .env_remove("TEAMLOOP_DB")
        .env("TEAMLOOP_STATE", state_dir());
    cmd
}

/// Starts `bin` on `db` with more arguments, in a pseudo-terminal.
pub fn spawn_args(
    bin: &str,
    db: &Path,
    args: &[&str],
    envs: &[(&str, &str)],
    cols: u16,
    rows: u16,
) -> (Child, Pty) {
    let size = Winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let state = state_dir();
    let demo = args.first() == Some(&"--demo");
    let mut cmd = Command::new(bin);
    // The board is made first, as a newcomer's `teamloop init` would (the
    // demo makes its own, in the temporary folder).
    if !demo {
        drop(command(bin, db));
        cmd.arg("--db").arg(db);
    }
    let pty = openpty(&size, None).unwrap();
    cmd.arg("--user")
        .arg("pty")
        .args(args)
        .env_remove("TEAMLOOP_DB")
        .env_remove("NO_COLOR")
        .env(
            "TEAMLOOP_CONFIG",
            "/nonexistent/teamloop-test-settings.toml",
        )
        .env("TERM", "xterm-256color")
        .env("TEAMLOOP_STATE", &state)
        // Files it writes (an export, a post-mortem's Markdown) go beside
        // the database, never into the source tree.
        .current_dir(db.parent().unwrap_or(Path::new(".")))
        .stdin(Stdio::from(pty.slave.try_clone().unwrap()))
        .stdout(Stdio::from(pty.slave.try_clone().unwrap()))
        .stderr(Stdio::from(pty.slave.try_clone().unwrap()));
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let child = cmd.spawn().unwrap();
    let master = std::fs::File::from(pty.master);
    let mut reader = master.try_clone().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    (
        child,
        Pty {
            master,
            slave: pty.slave,
            output: rx,
            seen: Vec::new(),
        },
    )
}

impl Pty {
    /// Reads output until `needle` appears, or fails after a few seconds.
    pub fn wait_for(&mut self, needle: &[u8]) {
        self.wait_for_after(0, needle);
    }

    /// Reads output until `needle` appears after the first `mark` bytes.
    pub fn wait_for_after(&mut self, mark: usize, needle: &[u8]) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.seen[mark.min(self.seen.len())..]
            .windows(needle.len())
            .any(|w| w == needle)
        {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(chunk) => self.seen.extend(chunk),
                Err(_) => panic!(
                    "no {:?} in the output:\n{}",
                    String::from_utf8_lossy(needle),
                    String::from_utf8_lossy(&self.seen)
                ),
            }
        }
    }

    /// Takes in whatever output has arrived, without waiting.
    pub fn drain(&mut self) {
        while let Ok(chunk) = self.output.try_recv() {
            self.seen.extend(chunk);
        }
    }

    pub fn raw_mode_off(&self) -> bool {
        let t = tcgetattr(self.slave.as_fd()).unwrap();
        t.local_flags.contains(LocalFlags::ICANON) && t.local_flags.contains(LocalFlags::ECHO)
    }
}

pub fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("teamloop did not exit");
        }
        thread::sleep(Duration::from_millis(20));
    }
}
