//! Start to first drawn frame, end to end: the release binary started in a
//! real pseudo-terminal on a scale board (`teamloop demo --cards N`), timed
//! until the end of its first synchronized frame arrives on the terminal.
//!
//! Run with `cargo bench --bench startup`. The databases are made once, in a
//! temporary folder, with the binary's own `demo` command.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/support/pty.rs"]
mod support;

const BIN: &str = env!("CARGO_BIN_EXE_teamloop");
/// What ends a frame: the terminal's synchronized update closes.
const END_OF_FRAME: &[u8] = b"\x1b[?2026l";

fn make(db: &Path, cards: usize) {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(["demo", "--cards", &cards.to_string()])
        .output()
        .expect("teamloop demo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One start: spawn, wait for the first frame, quit. Returns the time to the frame.
fn start_to_frame(db: &Path) -> Duration {
    let started = Instant::now();
    let (mut child, mut pty) = support::spawn_sized(BIN, db, &[], 120, 40);
    pty.wait_for(END_OF_FRAME);
    let took = started.elapsed();
    pty.master.write_all(b"q").expect("type q");
    support::wait_exit(&mut child);
    took
}

fn startup(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    for cards in [1_000usize, 10_000, 200_000] {
        let db = dir.path().join(format!("scale-{cards}.db"));
        make(&db, cards);
        c.bench_function(&format!("start_to_first_frame_{}k", cards / 1000), |b| {
            b.iter_custom(|iters| (0..iters).map(|_| start_to_frame(&db)).sum())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(8));
    targets = startup
}
criterion_main!(benches);
