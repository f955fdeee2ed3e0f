//! The command line: the TUI by default, and subcommands for scripting that
//! go through the same store and domain rules as the TUI.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::Utc;
use clap::{Args, Parser, Subcommand};
use serde::Serialize;

/// Prints a line of output; see [`emit`].
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::emit(&format!("{}\n", format_args!($($arg)*)))
    };
}

mod board;
mod check;
mod forecast;
mod metrics;
pub mod mortem;
mod poker;
mod pulse;
mod retro;
mod server;
mod sprint;
pub mod transfer;
mod who;

/// Writes command output, on a terminal or into a pipe alike: text from the
/// database never reaches either with a control character or escape
/// sequence in it (they become visible stand-ins; JSON is already escaped).
pub(crate) fn emit(text: &str) {
    emit_raw(&crate::domain::text::sanitize_lines(text));
}

/// Output for `-o FILE`, or standard output (none, or `-`). A file is
/// written whole, made harmless like [`emit`], and never onto a database,
/// its side files, a link or a device (see `files::refuse_output`).
pub(crate) fn write_output(output: Option<&Path>, text: &str) -> Outcome {
    match output.filter(|p| p.as_os_str() != "-") {
        None => emit(text),
        Some(path) => {
            crate::files::write_atomically(path, &crate::domain::text::sanitize_lines(text))
                .map_err(|e| match e.kind() {
                    std::io::ErrorKind::InvalidInput => fail(format!("nothing was written: {e}")),
                    _ => fail(format!("cannot write {}: {e}", path.display())),
                })?;
            say!("Wrote {}", path.display());
        }
    }
    Ok(())
}

/// Something anonymous the person gives (a card, an answer, a vote): the
/// argument if they typed one, else a line read from standard input (a
/// prompt on a terminal). An argument can be seen by other users of the
/// host while the command runs (`ps`): on a terminal that is said once.
pub(crate) fn private_input(given: Option<&str>, prompt: &str) -> Result<String, Failure> {
    use std::io::IsTerminal;
    if let Some(v) = given {
        if std::io::stdin().is_terminal() {
            tell(
                "teamloop: note: other users of this host can see a command's arguments while it runs; leave it out to type it instead",
            );
        }
        return Ok(v.to_string());
    }
    let line = optional_input(prompt)?;
    if line.is_empty() {
        return Err(fail(format!("{prompt}: nothing was given")));
    }
    Ok(line)
}

/// One more line from standard input, which may be empty (or missing).
pub(crate) fn optional_input(prompt: &str) -> Result<String, Failure> {
    use std::io::{BufRead, IsTerminal, Write};
    if std::io::stdin().is_terminal() {
        eprint!("{prompt}: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| fail(format!("cannot read it: {e}")))?;
    Ok(line.trim().to_string())
}

/// A line for the person on standard error, made harmless like [`emit`].
pub(crate) fn tell(text: &str) {
    eprintln!("{}", crate::domain::text::sanitize_lines(text));
}

/// Writes output exactly as given (shell completions, whose text is ours).
/// A reader that went away (`teamloop metrics | head`) ends the command
/// quietly and successfully, as in other Unix tools; it is never a crash.
pub(crate) fn emit_raw(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("teamloop: cannot write the output: {e}");
        std::process::exit(1);
    }
}

use crate::domain::demo::{DemoSource, SCALE_MAX_CARDS, ScalePlan, demo_plan};

/// The most cards the six-week team demo makes; more make a scale board.
const SIX_WEEK_DEMO_MAX: usize = 200;

use crate::domain::{Board, CardId, SystemClock};
use crate::store::{self, OpenOptions, SqliteStore, Store, StoreError};
pub use board::{CardCmd, ColumnCmd};
use board::{card_command, column_command};

#[derive(Debug, Parser)]
#[command(
    name = "teamloop",
    version,
    about = "The rituals of an agile team in one terminal: a Kanban board with WIP limits, shared live over one SQLite file or the team's PostgreSQL server.",
    after_help = "Without a subcommand, teamloop opens the board in the terminal. Press ? there for every key."
)]
pub struct Cli {
    /// The board: a database file [default: teamloop.db in the platform data
    /// directory], or the team's server as postgres://USER@HOST/DATABASE
    #[arg(long, env = "TEAMLOOP_DB", global = true, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// Who is acting, recorded with every change [default: your login name]
    #[arg(long, env = "TEAMLOOP_USER", global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// Open without changing anything
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Open the board on a fresh demo database in a temporary file
    #[arg(long, conflicts_with = "db")]
    pub demo: bool,
    /// Plain, linear output for screen readers: new lines only, no drawing
    #[arg(long, env = "TEAMLOOP_PLAIN", global = true, value_parser = clap::builder::BoolishValueParser::new())]
    pub plain: bool,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create the database with a starter board (does nothing if it exists); on a server, make its tables, or move them to this version's
    Init,
    /// Write demo data (about 40 cards, six weeks of history) into an empty database
    Demo(DemoArgs),
    /// Add, move and list cards
    #[command(subcommand)]
    Card(CardCmd),
    /// Add columns and set WIP limits
    #[command(subcommand)]
    Column(ColumnCmd),
    /// Flow metrics: cycle and lead time, throughput, WIP, aging and blocked work
    Metrics(MetricsArgs),
    /// Monte Carlo forecasts from the board's throughput: when cards are done, how many by a date, and their track record
    #[command(subcommand)]
    Forecast(forecast::ForecastCmd),
    /// Plan, start, fill, show and close sprints
    #[command(subcommand)]
    Sprint(sprint::SprintCmd),
    /// Run a retrospective: cards, votes, action items, Markdown export
    #[command(subcommand)]
    Retro(retro::RetroCmd),
    /// The anonymous psychological-safety pulse
    #[command(subcommand)]
    Pulse(pulse::PulseCmd),
    /// Planning poker: estimate cards together, picks hidden until the reveal
    #[command(subcommand)]
    Poker(poker::PokerCmd),
    /// Write a blameless post-mortem: sections, timeline, action items
    #[command(subcommand)]
    Postmortem(mortem::PostmortemCmd),
    /// Run a pre-mortem: reasons it failed, written silently, rated, mitigated
    #[command(subcommand)]
    Premortem(mortem::PremortemCmd),
    /// List, show, export and lint pre- and post-mortems
    #[command(subcommand)]
    Mortem(mortem::MortemCmd),
    /// The whole database as versioned JSON (lossless), or a Markdown report
    Export(transfer::ExportArgs),
    /// A JSON export into a new or empty database, all or nothing
    Import(transfer::ImportArgs),
    /// A consistent copy of the live database, safe while others use it
    Backup(transfer::BackupArgs),
    /// Put a backup back as the database (the one it replaces is kept beside it)
    Restore(transfer::RestoreArgs),
    /// Who has the board open now, and on which tab (--json for JSON)
    Who(who::WhoArgs),
    /// Checks the database: "ok", or what is damaged (exit 1); a file's every page and reference, a server's tables, columns and references, and the figures kept from the history
    Check(CheckArgs),
    /// The settings file: where it is, a commented default, a check
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Shell completions: teamloop completions bash > ~/.local/share/bash-completion/completions/teamloop
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page: teamloop man > ~/.local/share/man/man1/teamloop.1
    Man,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Where the settings file is (TEAMLOOP_CONFIG, else the platform config folder)
    Path,
    /// A commented settings file with every default
    Default,
    /// Reads the settings file and names each line it cannot use (exit 1 if any)
    Check,
    /// The actions keys can be set to, with what each does
    Actions,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Build the figures kept from the history (live counts) again where they differ
    #[arg(long)]
    pub repair: bool,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// First day of the range (YYYY-MM-DD) [default: all history]
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// The last N weeks, ending today
    #[arg(long, value_name = "N", conflicts_with = "since")]
    pub weeks: Option<u32>,
    /// JSON output (field names are documented in the README)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many cards: up to 200, a team's last six weeks; more (up to 1000000), a
    /// year-long board for measuring, with 500 cards open and the rest finished or archived
    #[arg(long, default_value_t = 40)]
    pub cards: usize,
    /// Seed for the generator: the same seed gives the same board
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// A failure to report: a one-line message and an exit code.
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure {
            message: e.to_string(),
            code: 1,
        }
    }
}

impl From<crate::domain::DomainError> for Failure {
    fn from(e: crate::domain::DomainError) -> Self {
        Failure {
            message: e.to_string(),
            code: 1,
        }
    }
}

fn fail(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        code: 1,
    }
}

type Outcome = Result<(), Failure>;

/// The login name, for `--user`'s default.
fn login_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "someone".to_string())
}

pub fn default_db_path() -> Result<PathBuf, Failure> {
    let dirs = directories::ProjectDirs::from("", "", "teamloop")
        .ok_or_else(|| fail("cannot find a home directory for the database: use --db PATH"))?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir)
        .map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir.join("teamloop.db"))
}

/// The store, which must exist already: a mistyped path is refused, never
/// made into a new, empty board. Only `init`, `demo`, `import` and the first
/// start of the board on the default path make a database.
fn open_existing(cli: &Cli, path: &Path) -> Result<SqliteStore, Failure> {
    if !path.exists() {
        return Err(fail(format!(
            "{} does not exist (teamloop --db {} init makes a new board)",
            path.display(),
            path.display()
        )));
    }
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
        return Err(fail(format!(
            "{} is empty, not a board (teamloop --db {} init makes one in it)",
            path.display(),
            path.display()
        )));
    }
    open_store(cli, path)
}

/// Who is acting: `--user`, else the login name, as a name may be.
fn user_name(cli: &Cli) -> Result<String, Failure> {
    let user = cli.user.clone().unwrap_or_else(login_name);
    crate::domain::person::validate_name(&user).map_err(|e| fail(format!("--user: {e}")))
}

fn open_store(cli: &Cli, path: &Path) -> Result<SqliteStore, Failure> {
    let (store, warning) = open_keyed(cli, path)?;
    if let Some(w) = warning {
        tell(&format!("teamloop: warning: {w}"));
    }
    Ok(store)
}

/// The store with the person's own key to their anonymous cards and votes,
/// from their state folder (never stored in the database); and why that key
/// cannot be kept, if it cannot.
fn open_keyed(cli: &Cli, path: &Path) -> Result<(SqliteStore, Option<String>), Failure> {
    let user = user_name(cli)?;
    let (key, warning) = crate::state::person_key(&user);
    let mut options = OpenOptions::new(user)
        .with_clock(Arc::new(SystemClock))
        .with_key(key);
    options.read_only = cli.read_only;
    Ok((store::open(path, options)?, warning))
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            // One line, made harmless: messages may quote names from the database.
            eprintln!("teamloop: {}", crate::domain::text::sanitize(&f.message));
            ExitCode::from(f.code)
        }
    }
}

pub fn run(cli: Cli) -> Outcome {
    // What a killed teamloop left half-made (an import, a backup, an
    // export, a demo board) goes first.
    crate::files::sweep_listed();
    if cli.demo {
        return run_demo_tui(&cli);
    }
    if let Some(address) = server::address(&cli) {
        return server::run(&cli, &address);
    }
    let path = match &cli.db {
        Some(p) => p.clone(),
        None => default_db_path()?,
    };
    crate::files::sweep(&crate::files::folder_of(&path));
    match &cli.command {
        None => run_tui(&cli, &path, cli.db.is_none()),
        Some(Cmd::Init) => {
            let mut store = open_store(&cli, &path)?;
            apply_board_defaults(&mut store, &crate::config::load().0)?;
            let board = store.board()?;
            say!(
                "{} is ready: board \"{}\" with {} columns",
                path.display(),
                board.name,
                board.columns.len()
            );
            Ok(())
        }
        Some(Cmd::Demo(args)) => {
            let plan = demo_for(args)?;
            let mut store = open_store(&cli, &path)?;
            seed(&mut store, &*plan)?;
            say!("Wrote {} demo cards into {}", args.cards, path.display());
            Ok(())
        }
        Some(Cmd::Export(args)) => {
            let store = open_existing(&cli, &path)?;
            transfer::export(&store, args)
        }
        // Import builds its own file: the target is not opened (or made).
        Some(Cmd::Import(_) | Cmd::Restore(_)) if cli.read_only => Err(fail(
            "--read-only changes nothing: import and restore replace a database, so run them without it",
        )),
        Some(Cmd::Import(args)) => transfer::import(&path, args),
        // Restore opens no board: it refuses while one is open.
        Some(Cmd::Restore(args)) => transfer::restore(&path, args),
        Some(Cmd::Backup(args)) => {
            let store = open_existing(&cli, &path)?;
            transfer::backup(&store, args)
        }
        Some(cmd @ (Cmd::Config(_) | Cmd::Man | Cmd::Completions { .. })) => without_board(cmd),
        Some(Cmd::Check(args)) => {
            let mut store = open_existing(&cli, &path)?;
            let problems = store::check(&store)?;
            if problems.is_empty() {
                check::kept(&mut store, args, &path.display().to_string(), "ok")
            } else {
                for p in &problems {
                    say!("{p}");
                }
                Err(fail(format!(
                    "{} is damaged: restore it from a backup",
                    path.display()
                )))
            }
        }
        // Linting a text needs no database: without one, no names.
        Some(Cmd::Mortem(mortem::MortemCmd::Lint { source, causal })) if !path.exists() => {
            mortem::lint_text(source, *causal, &[])
        }
        Some(cmd) => {
            let mut store = open_existing(&cli, &path)?;
            board_command(&mut store, cmd)
        }
    }
}

/// The commands that need no board.
fn without_board(cmd: &Cmd) -> Outcome {
    match cmd {
        Cmd::Config(cmd) => config_command(cmd),
        Cmd::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut out)
                .map_err(|e| fail(format!("cannot write the manual page: {e}")))?;
            emit_raw(&String::from_utf8_lossy(&out));
            Ok(())
        }
        Cmd::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                *shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "teamloop",
                &mut out,
            );
            emit_raw(&String::from_utf8_lossy(&out));
            Ok(())
        }
        _ => Err(fail("this command needs a board")),
    }
}

/// The commands that work on an open board, on either engine.
fn board_command(store: &mut dyn Store, cmd: &Cmd) -> Outcome {
    match cmd {
        Cmd::Card(cmd) => card_command(store, cmd),
        Cmd::Column(cmd) => column_command(store, cmd),
        Cmd::Sprint(cmd) => sprint::run(store, cmd),
        Cmd::Retro(cmd) => retro::run(store, cmd),
        Cmd::Pulse(cmd) => pulse::run(store, cmd),
        Cmd::Poker(cmd) => poker::run(store, cmd),
        Cmd::Postmortem(cmd) => mortem::run_post(store, cmd),
        Cmd::Premortem(cmd) => mortem::run_pre(store, cmd),
        Cmd::Mortem(cmd) => mortem::run(store, cmd),
        Cmd::Who(args) => who::run(store, args),
        Cmd::Forecast(cmd) => forecast::run(store, cmd),
        Cmd::Metrics(args) => {
            let board = store.board()?;
            let clock = store.clock();
            let today = clock.zone().day_of(clock.now());
            let range = metrics::range(args.since.as_deref(), args.weeks, today)?;
            let report = store.flow_report(&board, range)?;
            if args.json {
                let doc = metrics::MetricsJson {
                    board: &board.name,
                    report: &report,
                };
                say!("{}", to_json(&doc)?);
            } else {
                emit(&metrics::text(&board.name, &report));
            }
            Ok(())
        }
        _ => Err(fail("this command does not work on an open board")),
    }
}

/// The demo `args` ask for, made before any database is opened: a bad
/// number is refused with nothing made.
fn demo_for(args: &DemoArgs) -> Result<Box<dyn DemoSource>, Failure> {
    if args.cards == 0 || args.cards > SCALE_MAX_CARDS {
        return Err(fail(format!(
            "--cards takes a number from 1 to {SCALE_MAX_CARDS}"
        )));
    }
    Ok(if args.cards <= SIX_WEEK_DEMO_MAX {
        Box::new(demo_plan(Utc::now(), args.seed, args.cards)?)
    } else {
        Box::new(ScalePlan::new(Utc::now(), args.seed, args.cards)?)
    })
}

fn seed(store: &mut dyn Store, plan: &dyn DemoSource) -> Outcome {
    store.seed_demo(plan)?;
    Ok(())
}

fn needs_terminal() -> Outcome {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Failure {
            message: "the board needs a terminal (stdin and stdout are not one); for scripts use the subcommands: teamloop --help".into(),
            code: 2,
        });
    }
    Ok(())
}

/// The board in the terminal. Its first start on the default path makes the
/// database; a path given with `--db` must exist.
fn run_tui(cli: &Cli, path: &Path, default_path: bool) -> Outcome {
    needs_terminal()?;
    if !default_path && !path.exists() {
        open_existing(cli, path)?;
    }
    let (mut store, warning) = open_keyed(cli, path)?;
    let (config, mut problems) = crate::config::load();
    problems.extend(warning);
    apply_board_defaults(&mut store, &config)?;
    run_app(cli, Box::new(store), &config, problems)
}

/// The full-screen app, or its plain, linear form.
fn run_app(
    cli: &Cli,
    store: Box<dyn crate::store::Store>,
    config: &crate::config::Config,
    problems: Vec<String>,
) -> Outcome {
    let run = if cli.plain {
        crate::ui::linear::run
    } else {
        crate::ui::run
    };
    run(store, config, problems).map_err(|e| fail(e.to_string()))
}

fn run_demo_tui(cli: &Cli) -> Outcome {
    needs_terminal()?;
    // A scratch file: removed when the board is closed, and by the next
    // teamloop if this one is killed. (`teamloop --db PATH demo` keeps one.)
    let scratch = crate::files::Scratch::beside(&std::env::temp_dir().join("demo.db"), "demo");
    let mut store = open_store(cli, &scratch.path)?;
    seed(&mut store, &*demo_for(&DemoArgs { cards: 40, seed: 1 })?)?;
    let (config, problems) = crate::config::load();
    run_app(cli, Box::new(store), &config, problems)?;
    tell("teamloop: the demo board is gone (teamloop --db PATH demo makes one to keep)");
    Ok(())
}

/// A positive id as typed, `12` or `#12`; `what` names it in the message.
fn number_id(text: &str, what: &str) -> Result<i64, Failure> {
    text.trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| fail(format!("'{text}' is not {what}")))
}

fn parse_id(text: &str) -> Result<CardId, Failure> {
    number_id(text, "a card id (a number like 12 or #12)").map(CardId)
}

fn column_named<'b>(board: &'b Board, name: &str) -> Result<&'b crate::domain::Column, Failure> {
    board.column_named(name).ok_or_else(|| {
        let names: Vec<&str> = board.columns.iter().map(|c| c.name.as_str()).collect();
        fail(format!(
            "no column named '{name}' (columns: {})",
            names.join(", ")
        ))
    })
}

/// JSON for output: every character a terminal could act on (C1 controls,
/// bidirectional overrides) escaped, the same JSON to any reader.
fn to_json<T: Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|j| crate::domain::text::json_for_terminal(&j).into_owned())
        .map_err(|e| fail(format!("cannot write JSON: {e}")))
}

fn config_command(cmd: &ConfigCmd) -> Outcome {
    match cmd {
        ConfigCmd::Path => match crate::config::path() {
            Some(p) => say!("{}", p.display()),
            None => {
                return Err(fail(
                    "this system has no config folder: set TEAMLOOP_CONFIG",
                ));
            }
        },
        ConfigCmd::Default => emit(crate::config::DEFAULT_FILE),
        ConfigCmd::Check => {
            let (config, mut problems) = crate::config::load();
            let (_, colours) = crate::ui::theme::Theme::from_config(&config, false);
            let (_, keys) = crate::ui::keymap::Keymap::from_settings(&config.keys);
            let file = crate::config::path().map_or(String::new(), |p| p.display().to_string());
            problems.extend(colours.into_iter().map(|p| format!("{file}: {p}")));
            problems.extend(keys.into_iter().map(|p| format!("{file}: {p}")));
            if problems.is_empty() {
                say!("{file}: every setting applies");
            } else {
                for p in &problems {
                    say!("{p}");
                }
                return Err(Failure {
                    message: format!(
                        "{} setting{} cannot be used (the rest apply)",
                        problems.len(),
                        if problems.len() == 1 { "" } else { "s" }
                    ),
                    code: 1,
                });
            }
        }
        ConfigCmd::Actions => {
            for (name, _, help) in crate::ui::keymap::actions() {
                say!("{name:<24} {help}");
            }
        }
    }
    Ok(())
}

/// A board that has never held a standup takes the settings' timebox.
fn apply_board_defaults(
    store: &mut dyn Store,
    config: &crate::config::Config,
) -> Result<(), Failure> {
    if store.is_read_only() {
        return Ok(());
    }
    let board = store.board()?;
    let mut settings = store.standup_settings(board.id)?;
    let default = crate::domain::standup::StandupSettings::default();
    if config.standup_minutes != settings.minutes
        && settings.minutes == default.minutes
        && store.past_standups(board.id, 1)?.is_empty()
    {
        settings.minutes = config.standup_minutes;
        store.set_standup_settings(board.id, settings)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every argument and option of every subcommand says what it is.
    #[test]
    fn every_argument_is_described() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                if a.is_global_set() || a.get_id() == "help" || a.get_id() == "version" {
                    continue;
                }
                if a.get_help().is_none() && a.get_long_help().is_none() {
                    missing.push(format!("{path} {}", a.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::Cli::command(), "teamloop", &mut missing);
        assert!(missing.is_empty(), "without a description: {missing:#?}");
    }
}
