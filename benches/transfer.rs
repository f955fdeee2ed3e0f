//! Import of a large export, end to end: the release binary's own
//! `teamloop import` of the export of a board `teamloop demo --cards N`
//! made, timed as a whole process, with the peak memory it reached.
//! Target: a 100 MB export in under 15 s and under 200 MB.
//!
//! Run with `cargo bench --bench transfer`. The boards and their exports are
//! made once, in a temporary folder, with the binary's own commands.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

const BIN: &str = env!("CARGO_BIN_EXE_teamloop");

fn teamloop(db: &Path, args: &[&str], state: &Path) {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("TEAMLOOP_STATE", state)
        .output()
        .expect("teamloop runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `args` and returns the peak resident memory it reached, in MiB.
#[allow(clippy::zombie_processes)] // waited for by wait4, which std cannot see
fn peak_mib(db: &Path, args: &[&str], state: &Path) -> f64 {
    let child = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("TEAMLOOP_STATE", state)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("teamloop runs");
    let mut status = 0;
    // SAFETY: wait4 fills the status and the struct it is given, for this
    // child alone.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(status, 0, "teamloop {args:?} failed");
    usage.ru_maxrss as f64 / 1024.0
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state");
    for cards in [10_000usize, 110_000] {
        let db = dir.path().join(format!("scale-{cards}.db"));
        teamloop(&db, &["demo", "--cards", &cards.to_string()], &state);
        let export = dir.path().join(format!("scale-{cards}.json"));
        teamloop(&db, &["export", "-o", export.to_str().unwrap()], &state);
        let mib = std::fs::metadata(&export).unwrap().len() as f64 / 1_048_576.0;
        let mut n = 0;
        let target = |n: usize| -> PathBuf { dir.path().join(format!("imported-{cards}-{n}.db")) };
        c.bench_function(&format!("import_{:.0}_mib_export", mib), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    n += 1;
                    let to = target(n);
                    let started = Instant::now();
                    teamloop(&to, &["import", export.to_str().unwrap()], &state);
                    total += started.elapsed();
                    std::fs::remove_file(&to).unwrap();
                }
                total
            })
        });
        let to = target(0);
        let peak = peak_mib(&to, &["import", export.to_str().unwrap()], &state);
        eprintln!("import of the {mib:.0} MiB export: peak memory {peak:.0} MiB");
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(20));
    targets = import
}
criterion_main!(benches);
