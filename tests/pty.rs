//! The built binary in a real pseudo-terminal: it draws the board, and the
//! terminal is put back (raw mode off, main screen, mouse released) when the
//! user quits and when the app panics.

use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use nix::pty::{Winsize, openpty};
use nix::sys::termios::{LocalFlags, tcgetattr};

struct Pty {
    master: std::fs::File,
    slave: OwnedFd,
    output: mpsc::Receiver<Vec<u8>>,
    seen: Vec<u8>,
}

fn spawn(db: &std::path::Path, envs: &[(&str, &str)]) -> (Child, Pty) {
    let size = Winsize {
        ws_row: 30,
        ws_col: 100,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let pty = openpty(&size, None).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_teamloop"));
    cmd.arg("--db")
        .arg(db)
        .arg("--user")
        .arg("pty")
        .env_remove("TEAMLOOP_DB")
        .env("TERM", "xterm-256color")
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
    fn wait_for(&mut self, needle: &[u8]) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.seen.windows(needle.len()).any(|w| w == needle) {
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

    fn raw_mode_off(&self) -> bool {
        let t = tcgetattr(self.slave.as_fd()).unwrap();
        t.local_flags.contains(LocalFlags::ICANON) && t.local_flags.contains(LocalFlags::ECHO)
    }
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
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

const LEAVE_ALT_SCREEN: &[u8] = b"\x1b[?1049l";
const MOUSE_OFF: &[u8] = b"\x1b[?1000l";

#[test]
fn quitting_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, mut pty) = spawn(&dir.path().join("t.db"), &[]);
    pty.wait_for("In Progress".as_bytes());
    assert!(!pty.raw_mode_off(), "the board runs in raw mode");
    pty.master.write_all(b"q").unwrap();
    let status = wait_exit(&mut child);
    assert!(status.success(), "{status}");
    pty.wait_for(LEAVE_ALT_SCREEN);
    pty.wait_for(MOUSE_OFF);
    assert!(pty.raw_mode_off(), "raw mode is switched off again");
}

#[test]
fn a_panic_restores_the_terminal_and_says_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, mut pty) = spawn(
        &dir.path().join("t.db"),
        &[("TEAMLOOP_PANIC_AFTER_DRAW", "1"), ("RUST_BACKTRACE", "0")],
    );
    let status = wait_exit(&mut child);
    assert!(!status.success());
    pty.wait_for(LEAVE_ALT_SCREEN);
    pty.wait_for(b"panic requested");
    assert!(pty.raw_mode_off(), "raw mode is switched off after a panic");
    // The message comes after the terminal was restored, so it is readable.
    let text = &pty.seen;
    let leave = text.windows(8).position(|w| w == LEAVE_ALT_SCREEN).unwrap();
    let msg = text
        .windows(15)
        .position(|w| w == b"panic requested")
        .unwrap();
    assert!(leave < msg);
}
