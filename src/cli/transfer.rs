//! `teamloop export`, `teamloop import` and `teamloop backup`: the team's
//! record in and out, whole and lossless, or as a report to read.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Outcome, emit, fail};
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
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Write to this file instead of standard output
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
pub struct BackupArgs {
    /// Where the copy goes (replaced if it exists)
    #[arg(value_name = "FILE")]
    pub target: PathBuf,
}

pub fn export(store: &SqliteStore, args: &ExportArgs) -> Outcome {
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
    match &args.output {
        Some(path) => {
            super::retro::write_atomically(path, &text)?;
            super::tell(&format!("teamloop: wrote {}", path.display()));
        }
        None => emit(&text),
    }
    Ok(())
}

pub fn import(target: &Path, args: &ImportArgs) -> Outcome {
    let text = if args.source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| fail(format!("cannot read standard input: {e}")))?;
        text
    } else {
        std::fs::read_to_string(&args.source)
            .map_err(|e| fail(format!("cannot read {}: {e}", args.source)))?
    };
    let done = store::import_json(target, &text)
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
