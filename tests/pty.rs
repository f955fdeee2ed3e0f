//! The built binary in a real pseudo-terminal: it draws the board, and the
//! terminal is put back (raw mode off, main screen, mouse released) when the
//! user quits and when the app panics.

use std::io::Write;
use std::process::Child;

mod common;
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

/// What ends a frame: the terminal's synchronized update closes.
const END_OF_FRAME: &[u8] = b"\x1b[?2026l";

#[test]
fn escape_sequences_in_a_title_reach_the_terminal_as_harmless_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let title = "\x1b]0;pwned\x07 evil \x1b[2J \u{202E}rtl";
    let out = support::command(env!("CARGO_BIN_EXE_teamloop"), &db)
        .args(["card", "add", title])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (mut child, mut pty) = spawn(&db, &[]);
    pty.wait_for(END_OF_FRAME);
    // The title is kept and drawn without its control characters…
    pty.wait_for("]0;pwned evil [2J".as_bytes());
    // …and no sequence that sets the window title ever reaches the terminal,
    // nor the right-to-left override.
    assert!(!pty.seen.windows(4).any(|w| w == b"\x1b]0;"));
    assert!(!String::from_utf8_lossy(&pty.seen).contains('\u{202E}'));
    pty.master.write_all(b"q").unwrap();
    assert!(wait_exit(&mut child).success());
}

#[test]
fn a_tiny_terminal_shows_the_too_small_message() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, mut pty) = support::spawn_sized(
        env!("CARGO_BIN_EXE_teamloop"),
        &dir.path().join("t.db"),
        &[],
        20,
        6,
    );
    // Drawn word by word: the words of "Terminal too small: … 40×12."
    for word in ["Terminal", "small:", "40×12."] {
        pty.wait_for(word.as_bytes());
    }
    pty.master.write_all(b"q").unwrap();
    assert!(wait_exit(&mut child).success());
}

#[test]
fn pulse_answer_asks_one_item_at_a_time_in_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let bin = env!("CARGO_BIN_EXE_teamloop");
    let opened = support::command(bin, &db)
        .args(["--user", "ana", "pulse", "open", "November"])
        .env_remove("TEAMLOOP_DB")
        .output()
        .unwrap();
    let id = String::from_utf8(opened.stdout).unwrap().trim().to_string();
    let (mut child, mut pty) =
        support::spawn_args(bin, &db, &["pulse", "answer", &id], &[], 100, 30);
    pty.wait_for(b"Anonymous: your answers are stored without your name");
    pty.wait_for(b"1/7  If you make a mistake");
    pty.master.write_all(b"9\n").unwrap();
    pty.wait_for(b"a number from 1 to 7");
    for a in ["2", "6", "1", "5", "3", "6", "7"] {
        pty.master.write_all(format!("{a}\n").as_bytes()).unwrap();
    }
    pty.wait_for(b"Your answers:");
    pty.wait_for(b"Send them? [y/N]");
    pty.master.write_all(b"y\n").unwrap();
    pty.wait_for(b"Thank you");
    assert!(wait_exit(&mut child).success());
    let listed = support::command(bin, &db)
        .args(["pulse", "list"])
        .env_remove("TEAMLOOP_DB")
        .output()
        .unwrap();
    let text = String::from_utf8(listed.stdout).unwrap();
    assert!(text.contains("1 responses"), "{text}");
}

/// Whether the bytes hold an SGR sequence that sets a colour.
fn sets_a_colour(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    for seq in text.split("\x1b[").skip(1) {
        let Some(end) = seq.find(|c: char| c.is_ascii_alphabetic()) else {
            continue;
        };
        if &seq[end..=end] != "m" {
            continue;
        }
        for p in seq[..end].split(';') {
            if let Ok(n) = p.parse::<u32>()
                && ((30..=37).contains(&n)
                    || (40..=47).contains(&n)
                    || (90..=97).contains(&n)
                    || (100..=107).contains(&n)
                    || n == 38
                    || n == 48)
            {
                return Some(seq[..end].to_string());
            }
        }
    }
    None
}

#[test]
fn no_color_draws_without_a_colour_and_says_limits_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let (mut child, mut pty) = spawn(&db, &[]);
    pty.wait_for(END_OF_FRAME);
    assert!(
        sets_a_colour(&pty.seen).is_some(),
        "colour without NO_COLOR"
    );
    pty.master.write_all(b"q").unwrap();
    wait_exit(&mut child);

    let (mut child, mut pty) = spawn(&db, &[("NO_COLOR", "1")]);
    pty.wait_for(b"In Progress");
    pty.wait_for(END_OF_FRAME);
    assert_eq!(sets_a_colour(&pty.seen), None);
    pty.master.write_all(b"q").unwrap();
    assert!(wait_exit(&mut child).success());
}

#[test]
fn the_settings_file_remaps_keys_and_names_its_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let settings = dir.path().join("settings.toml");
    std::fs::write(
        &settings,
        "theme = \"light\"\nvotes = 4\n\n[keys]\nquit = \"ctrl-q\"\nshow_help = \"h\"\n",
    )
    .unwrap();
    let settings = settings.to_str().unwrap();
    let (mut child, mut pty) = spawn(&db, &[("TEAMLOOP_CONFIG", settings)]);
    // The first bad line on the status line; `h` is taken on the board.
    pty.wait_for(b"line 2: unknown setting");
    pty.master.write_all(b"q").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "q no longer quits");
    pty.master.write_all(b"\x11").unwrap(); // Ctrl-Q
    assert!(wait_exit(&mut child).success());
    // `config check` lists them all.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_teamloop"))
        .args(["config", "check"])
        .env("TEAMLOOP_CONFIG", settings)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("line 2: unknown setting \"votes\""), "{text}");
    assert!(
        text.contains("line 6: keys.show_help: h is ") && text.contains("on the same screen"),
        "{text}"
    );
}

/// What a person (or a cat on the keyboard) can send a terminal: keys the
/// app knows, tab switches, arrows and function keys, control keys, mouse
/// clicks and scrolls, pastes, stray bytes that are not UTF-8, and resizes
/// down to a terminal too small to draw in.
#[derive(Debug, Clone)]
enum Input {
    Bytes(Vec<u8>),
    Resize(u16, u16),
}

fn input_strategy() -> impl proptest::strategy::Strategy<Value = Input> {
    use proptest::prelude::*;
    const KEYS: &[u8] = b"hjklHJKL \t\r\x1b?:uUvVsSpPcCbBxXaAeEiImMfFtTnNrRdDgGoOwWzZqQ/-+=.,<>!@#";
    const SEQUENCES: &[&[u8]] = &[
        b"\x1b[A",
        b"\x1b[B",
        b"\x1b[C",
        b"\x1b[D",
        b"\x1b[Z",
        b"\x1b[5~",
        b"\x1b[6~",
        b"\x1b[H",
        b"\x1b[F",
        b"\x1b[3~",
        b"\x1bOP",
        b"\x1b[15~",
        b"\x1b[1;5C",
        b"\x1b[1;2A",
        b"\x12",
        b"\x15",
        b"\x17",
        b"\x04",
        b"\x01",
        b"\x05",
        b"\x0b",
        b"\x7f",
        b"\x08",
        b"\x1b[<0;12;6M",
        b"\x1b[M   ",
        b"\x1b[M !!",
        b"\x1b[<0;12;6m",
        b"\x1b[<64;30;10M",
        b"\x1b[<65;30;10M",
        b"\x1b[200~pasted \x1b]0;pwned\x07 line\nnext\x1b[201~",
        b"\x1b[200~",
        b"\x1b[",
        "é∑ ✓ 🙂".as_bytes(),
    ];
    prop_oneof![
        6 => prop::sample::select(KEYS).prop_map(|b| Input::Bytes(vec![b])),
        3 => (b'1'..=b'7').prop_map(|b| Input::Bytes(vec![b])),
        3 => prop::sample::select(SEQUENCES).prop_map(|s| Input::Bytes(s.to_vec())),
        1 => prop::collection::vec(any::<u8>(), 1..6).prop_map(Input::Bytes),
        1 => (8u16..140, 3u16..50).prop_map(|(w, h)| Input::Resize(w, h)),
    ]
}

/// The demo board (every tab with something on it), made once and copied.
fn demo_db() -> &'static std::path::Path {
    static DEMO: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = common::cli::at(&dir.path().join("demo.db"), "demo")
            .arg("demo")
            .output()
            .unwrap();
        assert!(out.status.success());
        dir
    });
    Box::leak(dir.path().join("demo.db").into_boxed_path())
}

fn resize(pty: &Pty, child: &Child, width: u16, height: u16) {
    use std::os::fd::AsRawFd;
    let size = nix::pty::Winsize {
        ws_row: height,
        ws_col: width,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ reads one Winsize from the pointer, which lives
    // across the call.
    let rc = unsafe { nix::libc::ioctl(pty.master.as_raw_fd(), nix::libc::TIOCSWINSZ, &size) };
    assert_eq!(rc, 0);
    // The child is not in the terminal's session: it is told as the kernel
    // would tell it.
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGWINCH,
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 8,
        max_shrink_iters: 48,
        ..Default::default()
    })]

    /// The real binary in a real terminal, fed random input on every tab:
    /// it never panics, it still answers afterwards (even inside a paste
    /// that was begun and not ended), a quit (Ctrl-C may be among the
    /// input) is a clean one, and the database it wrote stays whole and
    /// consistent.
    #[test]
    fn random_input_in_a_real_terminal_never_panics(
        inputs in proptest::collection::vec(input_strategy(), 20..160)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        std::fs::copy(demo_db(), &db).unwrap();
        let (mut child, mut pty) = spawn(&db, &[("RUST_BACKTRACE", "0")]);
        pty.wait_for(END_OF_FRAME);
        for (i, input) in inputs.iter().enumerate() {
            match input {
                Input::Bytes(b) => {
                    // A closed terminal (the app quit) ends the typing.
                    if pty.master.write_all(b).is_err() {
                        break;
                    }
                }
                Input::Resize(w, h) => resize(&pty, &child, *w, *h),
            }
            if i % 8 == 7 {
                std::thread::sleep(std::time::Duration::from_millis(15));
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        let exited = child.try_wait().unwrap();
        if exited.is_none() {
            // Still answering: a resize gets a new frame.
            pty.drain();
            let mark = pty.seen.len();
            resize(&pty, &child, 100, 30);
            pty.wait_for_after(mark, END_OF_FRAME);
            // A paste the input began and never ended takes every key
            // until its end marker, as a terminal would send it.
            let _ = pty.master.write_all(b"\x1b[201~");
            std::thread::sleep(std::time::Duration::from_millis(60));
            // So does a sequence the input began that only a terminal's
            // reply ends (`ESC [ ?` waits for `c` or `u`, a mouse report
            // `ESC [ <` for `M`): the terminal library reads every byte
            // into it until then. Ended as a reply would end it.
            let _ = pty.master.write_all(b"c");
            std::thread::sleep(std::time::Duration::from_millis(30));
            let _ = pty.master.write_all(b"M");
            std::thread::sleep(std::time::Duration::from_millis(60));
            // Ctrl-C closes what is open and then quits; where it asks
            // whether to drop unsaved text, y says so.
            for _ in 0..8 {
                let _ = pty.master.write_all(b"\x03");
                std::thread::sleep(std::time::Duration::from_millis(80));
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                let _ = pty.master.write_all(b"y");
                std::thread::sleep(std::time::Duration::from_millis(40));
            }
        }
        let status = match child.try_wait().unwrap() {
            Some(s) => s,
            None => {
                child.kill().unwrap();
                child.wait().unwrap()
            }
        };
        pty.drain();
        let seen = String::from_utf8_lossy(&pty.seen).into_owned();
        proptest::prop_assert!(!seen.contains("panicked"), "a panic: {}", seen);
        // Quit by the input or by Ctrl-C afterwards: a clean exit either way.
        let tail: String = seen.chars().rev().take(3000).collect::<Vec<_>>().into_iter().rev().collect();
        proptest::prop_assert!(status.success(), "it ended with {} ({:?}): TAIL {:?}", status, exited, tail);
        let c = rusqlite::Connection::open(&db).unwrap();
        let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        proptest::prop_assert_eq!(ok, "ok");
        proptest::prop_assert_eq!(common::cards_off_their_last_event(&c), 0);
    }
}

/// Bytes no command may send to a terminal: ESC, the one-byte CSI (U+009B
/// as UTF-8), BEL, and the right-to-left override.
fn escapes_in(bytes: &[u8]) -> Vec<&'static str> {
    let mut found = Vec::new();
    for (needle, name) in [
        (&b"\x1b"[..], "ESC"),
        (b"\xc2\x9b", "C1 CSI"),
        (b"\x07", "BEL"),
        ("\u{202E}".as_bytes(), "RLO"),
    ] {
        if bytes.windows(needle.len()).any(|w| w == needle) {
            found.push(name);
        }
    }
    found
}

#[test]
fn the_command_line_prints_planted_escapes_as_harmless_text_on_a_terminal_and_in_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let bin = env!("CARGO_BIN_EXE_teamloop");
    let evil = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07 \u{9b}2J \u{202E}txt";
    let run = |args: &[&str]| {
        let out = support::command(bin, &db).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    };
    run(&["column", "add", &format!("Col {evil}")]);
    run(&[
        "card",
        "add",
        &format!("Title {evil}"),
        "--column",
        &format!("Col {evil}"),
        "--assignee",
        &format!("who{evil}"),
        "--tag",
        "x\u{1b}[31m",
    ]);
    run(&["card", "block", "1", "--reason", &format!("because {evil}")]);
    let commands: [&[&str]; 6] = [
        &["card", "show", "1"],
        &["card", "list"],
        &["column", "list"],
        &["card", "show", "1", "--json"],
        &["card", "list", "--json"],
        &["export", "--format", "markdown"],
    ];
    for args in commands {
        // On a terminal…
        let (mut child, mut pty) = support::spawn_args(bin, &db, args, &[], 120, 40);
        assert!(wait_exit(&mut child).success(), "{args:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
        pty.drain();
        assert!(pty.seen.len() > 10, "{args:?} printed nothing");
        assert_eq!(
            escapes_in(&pty.seen),
            Vec::<&str>::new(),
            "{args:?} on a terminal"
        );
        // …and into a pipe.
        let out = support::command(bin, &db).args(args).output().unwrap();
        assert!(out.status.success());
        assert_eq!(
            escapes_in(&out.stdout),
            Vec::<&str>::new(),
            "{args:?} in a pipe"
        );
        if args.contains(&"--json") {
            // JSON says the same text with every such character escaped.
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert!(doc.to_string().contains("pwned"));
            let title = if doc.is_array() {
                &doc[0]["title"]
            } else {
                &doc["title"]
            };
            // The title as it was kept, controls made spaces, said whole.
            assert_eq!(
                title.as_str().unwrap(),
                teamloop::domain::text::one_line(&format!("Title {evil}")),
                "lossless"
            );
        }
    }
}

#[test]
fn the_demo_board_is_gone_once_it_is_closed_or_its_terminal_killed() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let tmp_s = tmp.to_str().unwrap();
    let bin = env!("CARGO_BIN_EXE_teamloop");
    let left = || std::fs::read_dir(&tmp).unwrap().count();
    let (mut child, mut pty) = support::spawn_args(
        bin,
        &dir.path().join("x"),
        &["--demo"],
        &[("TMPDIR", tmp_s)],
        100,
        30,
    );
    pty.wait_for(END_OF_FRAME);
    assert!(left() > 0, "the demo board is in the temporary folder");
    pty.master.write_all(b"q").unwrap();
    assert!(wait_exit(&mut child).success());
    assert_eq!(left(), 0, "closed: nothing is left");
    // Killed: the next teamloop removes it.
    let (mut child, mut pty) = support::spawn_args(
        bin,
        &dir.path().join("x"),
        &["--demo"],
        &[("TMPDIR", tmp_s)],
        100,
        30,
    );
    pty.wait_for(END_OF_FRAME);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(left() > 0);
    let out = support::command(bin, &dir.path().join("t.db"))
        .env("TMPDIR", tmp_s)
        .args(["card", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(left(), 0, "the next run swept it");
}

#[test]
fn plain_mode_says_new_lines_and_the_selection_without_drawing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let (mut child, mut pty) = spawn(&db, &[("TEAMLOOP_PLAIN", "1")]);
    pty.wait_for(b"\xe2\x80\x94 Board \xe2\x80\x94");
    pty.wait_for(b"In Progress");
    pty.master.write_all(b"n").unwrap();
    pty.wait_for(b"New card");
    pty.master.write_all(b"Read aloud\r").unwrap();
    pty.wait_for(b"Selected: #1 Read aloud");
    pty.master.write_all(b"q").unwrap();
    assert!(wait_exit(&mut child).success());
    let text = String::from_utf8_lossy(&pty.seen);
    for drawn in ["\x1b[?1049h", "\x1b[?1000h", "╭", "│", "█"] {
        assert!(!text.contains(drawn), "{drawn:?} in:\n{text}");
    }
    assert!(pty.raw_mode_off(), "raw mode is switched off again");
}
