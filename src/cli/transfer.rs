//! `teamloop export`, `teamloop import` and `teamloop backup`: the team's
//! record in and out, whole and lossless, or as a report to read.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Outcome, fail};
use crate::store::{self, SqliteStore, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Every table, lossless, versioned (docs/FORMAT.md): what import reads
    Json,
    /// A report to read: the board, the sprint, the latest retro and post-mortem
    Markdown,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// json (lossless, for import) or markdown (a report to read)
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Write to this file instead of standard output (- is standard output)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A JSON export, or - for standard input
    #[arg(value_name = "FILE|-")]
    pub source: String,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A copy `teamloop backup` made
    #[arg(value_name = "BACKUP")]
    pub backup: PathBuf,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where the copy goes (new, or an earlier backup, which it replaces)
    #[arg(value_name = "FILE")]
    pub target: PathBuf,
}

pub fn export(store: &dyn Store, args: &ExportArgs) -> Outcome {
    let text = match args.format {
        Format::Json => {
            let export = store::export_json(store)?;
            for w in &export.withheld {
                super::tell(&format!("teamloop: left out while open: {w}"));
            }
            export.text
        }
        // A report to read: nothing in it acts on a terminal, even in a file.
        Format::Markdown => {
            crate::domain::text::sanitize_lines(&store::markdown_report(store as &dyn Store)?)
                .into_owned()
        }
    };
    super::write_output(args.output.as_deref(), &text)
}

pub fn import(target: &Path, args: &ImportArgs) -> Outcome {
    // Read as a stream: a large export is never held whole in memory.
    let done = if args.source == "-" {
        store::import_from(target, std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(&args.source)
            .map_err(|e| fail(format!("cannot read {}: {e}", args.source)))?;
        store::import_from(target, file)
    }
    .map_err(|e| fail(format!("nothing was imported: {e}")))?;
    let rows: usize = done.rows.iter().map(|(_, n)| n).sum();
    let tables = done.rows.iter().filter(|(_, n)| *n > 0).count();
    say!(
        "Imported {rows} rows into {tables} tables of {} (schema {}{})",
        target.display(),
        done.schema,
        if done.from_schema == done.schema {
            String::new()
        } else {
            format!(", upgraded from {}", done.from_schema)
        }
    );
    Ok(())
}

pub fn backup(store: &SqliteStore, args: &BackupArgs) -> Outcome {
    store::backup(store, &args.target)?;
    say!("Backed up to {}", args.target.display());
    Ok(())
}

pub fn restore(db: &Path, args: &RestoreArgs) -> Outcome {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let kept = store::restore(db, &args.backup, &stamp)
        .map_err(|e| fail(format!("nothing was restored: {e}")))?;
    match kept {
        Some(k) => say!(
            "Restored {} from {}; the board it replaced is kept as {}",
            db.display(),
            args.backup.display(),
            k.display()
        ),
        None => say!("Restored {} from {}", db.display(), args.backup.display()),
    }
    Ok(())
}
