//! The built binary in a real pseudo-terminal: it draws the board, and the
//! terminal is put back (raw mode off, main screen, mouse released) when the
//! user quits and when the app panics.

use std::io::Write;
use std::process::Child;

#[path = "support/pty.rs"]
mod support;

use support::{Pty, wait_exit};

fn spawn(db: &std::path::Path, envs: &[(&str, &str)]) -> (Child, Pty) {
    support::spawn_sized(env!("CARGO_BIN_EXE_teamloop"), db, envs, 100, 30)
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
