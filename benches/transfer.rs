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

/// The peak resident memory of the children waited for so far, in MiB.
fn children_peak_mib() -> f64 {
    // SAFETY: getrusage fills the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
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
        eprintln!(
            "import of the {mib:.0} MiB export: peak memory of any import so far {:.0} MiB",
            children_peak_mib()
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(20));
    targets = import
}
criterion_main!(benches);
