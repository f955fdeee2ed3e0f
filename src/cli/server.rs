//! Every command on a board on the team's server (`--db postgres://…`):
//! the same board commands and the same TUI as on a file; what copies or
//! checks a SQLite file says what to use instead.

use std::sync::Arc;

use super::{
    Cli, Cmd, Outcome, apply_board_defaults, board_command, fail, needs_terminal, run_app,
    user_name,
};
use crate::domain::SystemClock;
use crate::store::server::{
    Setup, check_server, init_schema, init_server, open_server, parse, redact,
};
use crate::store::{OpenOptions, ServerStore, Store};

/// The `--db` value, if it names a server.
pub(super) fn address(cli: &Cli) -> Option<String> {
    let text = cli.db.as_ref()?.to_str()?;
    crate::store::server::is_server_address(text).then(|| text.to_string())
}

fn options(cli: &Cli) -> Result<OpenOptions, super::Failure> {
    let user = user_name(cli)?;
    // The person's key is theirs, not the database's: the same on a file
    // and on the server (it is never stored in either).
    let (key, warning) = crate::state::person_key(&user);
    if let Some(w) = warning {
        super::tell(&format!("teamloop: warning: {w}"));
    }
    let mut options = OpenOptions::new(user)
        .with_clock(Arc::new(SystemClock))
        .with_key(key);
    options.read_only = cli.read_only;
    Ok(options)
}

fn open(cli: &Cli, address: &str) -> Result<ServerStore, super::Failure> {
    Ok(open_server(address, options(cli)?)?)
}

pub(super) fn run(cli: &Cli, address: &str) -> Outcome {
    let shown = redact(address);
    match &cli.command {
        None => {
            needs_terminal()?;
            let mut store = open(cli, address)?;
            let (config, problems) = crate::config::load();
            apply_board_defaults(&mut store, &config)?;
            run_app(cli, Box::new(store), &config, problems)
        }
        Some(Cmd::Init) => {
            if cli.read_only {
                return Err(fail("--read-only changes nothing: run init without it"));
            }
            let (mut store, setup) = init_server(address, options(cli)?)?;
            apply_board_defaults(&mut store, &crate::config::load().0)?;
            let board = store.board()?;
            say!(
                "{shown} {}: board \"{}\" with {} columns",
                match setup {
                    Setup::Made => "is ready".to_string(),
                    Setup::Upgraded(from) => format!(
                        "was moved from schema {from} to {}",
                        crate::store::schema_version()
                    ),
                    Setup::Ready => "was ready already".to_string(),
                },
                board.name,
                board.columns.len()
            );
            Ok(())
        }
        Some(Cmd::Backup(_) | Cmd::Restore(_)) => Err(fail(
            "backup and restore copy a SQLite file; a server board is backed up by the server (pg_dump), or moved with teamloop export and import",
        )),
        Some(Cmd::Check(args)) => {
            let mut store = open(cli, address)?;
            let problems = check_server(&store)?;
            if problems.is_empty() {
                return super::check::kept(
                    &mut store,
                    args,
                    &shown,
                    "ok (tables, columns and references; the server checks its own pages)",
                );
            }
            for p in &problems {
                say!("{p}");
            }
            Err(fail(format!(
                "{shown} is damaged: {} problems",
                problems.len()
            )))
        }
        Some(Cmd::Export(args)) => super::transfer::export(&open(cli, address)?, args),
        // Like a new file, a database that is not a board yet is made one.
        Some(Cmd::Import(_) | Cmd::Demo(_)) if cli.read_only => Err(fail(
            "--read-only changes nothing: run import and demo without it",
        )),
        Some(Cmd::Import(args)) => {
            init_schema(&parse(address)?)?;
            let mut store = open(cli, address)?;
            let done = if args.source == "-" {
                store.import(std::io::stdin().lock())
            } else {
                let file = std::fs::File::open(&args.source)
                    .map_err(|e| fail(format!("cannot read {}: {e}", args.source)))?;
                store.import(file)
            }
            .map_err(|e| fail(format!("nothing was imported: {e}")))?;
            let rows: usize = done.rows.iter().map(|(_, n)| n).sum();
            say!("Imported {rows} rows into {shown}");
            Ok(())
        }
        Some(Cmd::Demo(args)) => {
            let plan = super::demo_for(args)?;
            init_schema(&parse(address)?)?;
            super::seed(&mut open(cli, address)?, &*plan)?;
            say!("Wrote {} demo cards into {shown}", args.cards);
            Ok(())
        }
        Some(cmd @ (Cmd::Config(_) | Cmd::Man | Cmd::Completions { .. })) => {
            super::without_board(cmd)
        }
        Some(cmd) => board_command(&mut open(cli, address)? as &mut dyn Store, cmd),
    }
}
