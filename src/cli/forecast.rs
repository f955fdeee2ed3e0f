//! `teamloop forecast`: when cards are done and how many by a day, from the
//! board's own throughput, with the record of the same forecast in the past.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::{Failure, column_named, fail, parse_id, to_json};
use crate::domain::flow::FlowRange;
use crate::domain::forecast::run::{BACKTEST_DAYS, complete_days, day_after, read_from};
use crate::domain::forecast::{
    self, Ask, Backtest, CHECKED, DEFAULT_TRIALS, DEFAULT_WEEKS, Forecast, HORIZON_DAYS,
    MAX_TRIALS, PERCENTILES, Question, Refusal, Sample, Scope, Settings, Stability,
};
use crate::domain::rng::Rng;
use crate::domain::{Board, CardId, ColumnKind};
use crate::store::Store;
use crate::ui::strings::{FORECAST_ASSUMES, cards, forecast_day, forecast_record, forecast_sample};

#[derive(Debug, Subcommand)]
pub enum ForecastCmd {
    /// The dates by which N cards (or these cards, or what is left of a tag or a column) are done, at 50/70/85/95% likelihood
    When(WhenArgs),
    /// How many cards are done by the end of a date, at 50/70/85/95% likelihood (at 85%: at least this many)
    HowMany(HowManyArgs),
    /// Replays history: forecasts made on each past day from the data before it, checked against what happened
    Backtest(BacktestArgs),
}

#[derive(Debug, Args)]
pub struct Method {
    /// The sample window: the last W weeks of complete days [default: 12, or all history if shorter]
    #[arg(long, value_name = "W")]
    pub weeks: Option<u32>,
    /// How many trials to run [default: 10000; 1000 for each past forecast of a backtest]
    #[arg(long, value_name = "T")]
    pub trials: Option<u32>,
    /// Seed for the random draws: the same seed gives the same output [default: a new one, printed]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// JSON output: one object, its percentiles beside the inputs used
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["items", "cards", "tag", "column"]))]
pub struct WhenArgs {
    /// How many cards
    #[arg(value_name = "N")]
    pub items: Option<u32>,
    /// These cards (ids like 12 or #12): those not yet in a done column
    #[arg(long, num_args = 1.., value_name = "ID")]
    pub cards: Vec<String>,
    /// Every card with this tag not yet in a done column
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Everything left in this column
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    #[command(flatten)]
    pub method: Method,
}

#[derive(Debug, Args)]
pub struct HowManyArgs {
    /// The last day counted (YYYY-MM-DD), after today
    #[arg(long, value_name = "DATE")]
    pub by: String,
    #[command(flatten)]
    pub method: Method,
}

#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// Check "when are N cards done" forecasts
    #[arg(long, value_name = "N", conflicts_with = "days")]
    pub items: Option<u32>,
    /// Check "how many in the next D days" forecasts [default: 14]
    #[arg(long, value_name = "D")]
    pub days: Option<u32>,
    #[command(flatten)]
    pub method: Method,
}

pub fn run(store: &mut dyn Store, cmd: &ForecastCmd) -> Result<(), Failure> {
    match cmd {
        ForecastCmd::When(args) => {
            let board = store.board()?;
            let (items, scope) = items_of(store, &board, args)?;
            if items == 0 {
                return Err(fail(format!("nothing left to finish in {scope}")));
            }
            ask(store, &board, Ask::When(items), &scope, &args.method)
        }
        ForecastCmd::HowMany(args) => {
            let board = store.board()?;
            let today = today(store);
            let by = crate::domain::parse_date(&args.by)?;
            if by <= today {
                return Err(fail(format!("--by {by} is not after today ({today})")));
            }
            if (by - today).num_days() > i64::from(HORIZON_DAYS) {
                return Err(fail("--by is more than ten years ahead"));
            }
            ask(store, &board, Ask::HowMany(by), "", &args.method)
        }
        ForecastCmd::Backtest(args) => backtest(store, args),
    }
}

fn today(store: &dyn Store) -> NaiveDate {
    let clock = store.clock();
    clock.zone().day_of(clock.now())
}

/// How many cards `args` names, and what they are, in words.
fn items_of(store: &dyn Store, board: &Board, args: &WhenArgs) -> Result<(u32, String), Failure> {
    if let Some(n) = args.items {
        if n == 0 {
            return Err(fail("N is a number of cards from 1"));
        }
        if n > 100_000 {
            return Err(fail("N is at most 100000 cards"));
        }
        return Ok((n, cards(n)));
    }
    if !args.cards.is_empty() {
        let mut ids: Vec<CardId> = Vec::new();
        for text in &args.cards {
            let id = parse_id(text)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let mut left = 0u32;
        for id in &ids {
            let card = store
                .card(*id)
                .map_err(|_| fail(format!("no card {id} on this board")))?;
            let done = board
                .column(card.column)
                .is_some_and(|c| c.kind == ColumnKind::Done);
            if !done && !card.archived {
                left += 1;
            }
        }
        return Ok((left, format!("the {} given", cards(ids.len() as u64))));
    }
    let live = store.list_cards(board, None)?;
    let (scope, words) = if let Some(tag) = &args.tag {
        let tag = tag.trim().trim_start_matches('#').to_lowercase();
        if tag.is_empty() {
            return Err(fail("--tag takes a tag"));
        }
        let words = format!("the cards tagged #{tag}");
        (Scope::Tag(tag), words)
    } else if let Some(name) = &args.column {
        let col = column_named(board, name)?;
        if col.kind == ColumnKind::Done {
            return Err(fail(format!(
                "{} is a done column: nothing in it is left to finish",
                col.name
            )));
        }
        (Scope::Column(col.id), format!("the cards in {}", col.name))
    } else {
        return Err(fail("say what to forecast: N, --cards, --tag or --column"));
    };
    let left = forecast::remaining(board, &live, &scope).len() as u32;
    Ok((left, words))
}

fn settings(m: &Method, trials: u32) -> Result<Settings, Failure> {
    let weeks = m.weeks.unwrap_or(DEFAULT_WEEKS);
    if weeks == 0 || weeks > 520 {
        return Err(fail("--weeks takes a number of weeks from 1 to 520"));
    }
    let trials = m.trials.unwrap_or(trials);
    if trials == 0 || trials > MAX_TRIALS {
        return Err(fail(format!(
            "--trials takes a number from 1 to {MAX_TRIALS}"
        )));
    }
    let seed = m.seed.unwrap_or_else(|| {
        getrandom::u64().unwrap_or_else(|_| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        })
    });
    Ok(Settings {
        weeks,
        trials,
        seed,
    })
}

/// Little's law over the sample window, when it says the flow was not stable.
fn instability(
    store: &dyn Store,
    board: &Board,
    from: NaiveDate,
) -> Result<Option<Stability>, Failure> {
    let report = store.flow_report(board, FlowRange::Since(from))?;
    Ok(report
        .little
        .as_ref()
        .map(Stability::from_little)
        .filter(Stability::unstable))
}

/// The refusal as one line, with Little's law's gap when it was wide.
fn refusal(
    store: &dyn Store,
    board: &Board,
    r: &Refusal,
    sample: &Sample,
) -> Result<Failure, Failure> {
    let mut line = r.to_string();
    if !sample.daily.is_empty()
        && let Some(s) = instability(store, board, sample.from)?
    {
        let _ = write!(line, "; {s}");
    }
    Ok(fail(line))
}

#[derive(Serialize)]
struct SampleJson {
    from: NaiveDate,
    to: NaiveDate,
    days: usize,
    finished: u32,
    weeks: u32,
}

#[derive(Serialize)]
struct RecordJson<'a> {
    #[serde(flatten)]
    backtest: &'a Backtest,
    /// Share of past forecasts whose line held, per likelihood.
    hit_rate: BTreeMap<String, f64>,
    verdict: String,
}

fn record_json(b: &Backtest) -> RecordJson<'_> {
    RecordJson {
        backtest: b,
        hit_rate: PERCENTILES
            .iter()
            .filter_map(|p| {
                b.rate(*p)
                    .map(|r| (p.to_string(), (r * 1000.0).round() / 1000.0))
            })
            .collect(),
        verdict: b.verdict(),
    }
}

#[derive(Serialize)]
struct ForecastJson<'a> {
    board: &'a str,
    question: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<NaiveDate>,
    #[serde(skip_serializing_if = "str::is_empty")]
    of: &'a str,
    today: NaiveDate,
    sample: SampleJson,
    trials: u32,
    seed: u64,
    /// "50", "70", "85", "95": a date (null past ten years) for `when`,
    /// a count for `how-many`.
    percentiles: BTreeMap<String, serde_json::Value>,
    track_record: RecordJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    little_gap: Option<Stability>,
    assumes: &'static str,
}

fn ask(store: &dyn Store, board: &Board, ask: Ask, what: &str, m: &Method) -> Result<(), Failure> {
    let settings = settings(m, DEFAULT_TRIALS)?;
    let today = today(store);
    let days = store.finishes_per_day(board, Some(read_from(today, settings.weeks)))?;
    let f = match forecast::forecast(&days, today, ask, settings) {
        Ok(f) => f,
        Err(r) => {
            let sample = Sample::window(&days, today, settings.weeks);
            return Err(refusal(store, board, &r, &sample)?);
        }
    };
    let unstable = instability(store, board, f.sample.from)?;
    if m.json {
        let percentiles = f
            .lines()
            .into_iter()
            .map(|(p, v)| {
                let value = match ask {
                    Ask::When(_) => serde_json::json!(day_after(today, v)),
                    Ask::HowMany(_) => serde_json::json!(v),
                };
                (p.to_string(), value)
            })
            .collect();
        let doc = ForecastJson {
            board: &board.name,
            question: match ask {
                Ask::When(_) => "when",
                Ask::HowMany(_) => "how_many",
            },
            items: match ask {
                Ask::When(n) => Some(n),
                Ask::HowMany(_) => None,
            },
            by: match ask {
                Ask::HowMany(d) => Some(d),
                Ask::When(_) => None,
            },
            of: what,
            today,
            sample: SampleJson {
                from: f.sample.from,
                to: f.sample.to,
                days: f.sample.daily.len(),
                finished: f.sample.finished(),
                weeks: settings.weeks,
            },
            trials: settings.trials,
            seed: settings.seed,
            percentiles,
            track_record: record_json(&f.record),
            little_gap: unstable,
            assumes: FORECAST_ASSUMES,
        };
        say!("{}", to_json(&doc)?);
    } else {
        super::emit(&text(&f, what, unstable.as_ref()));
    }
    Ok(())
}

/// A forecast as plain text.
fn text(f: &Forecast, what: &str, unstable: Option<&Stability>) -> String {
    let mut out = String::new();
    match f.ask {
        Ask::When(n) => {
            let _ = writeln!(out, "When will {what} be done? ({} left)", cards(n));
            for p in PERCENTILES {
                let day = f
                    .date_at(p)
                    .map_or("not within ten years".into(), |d| forecast_day(d, f.today));
                let _ = writeln!(out, "  {p}%  by {day}");
            }
        }
        Ask::HowMany(by) => {
            let _ = writeln!(
                out,
                "How many cards will be done by the end of {}?",
                forecast_day(by, f.today)
            );
            for p in PERCENTILES {
                let _ = writeln!(out, "  {p}%  at least {}", cards(f.count_at(p)));
            }
        }
    }
    let _ = writeln!(out, "{}", forecast_record(&f.record));
    if let Some(s) = unstable {
        let _ = writeln!(out, "Caution: {s}");
    }
    let _ = writeln!(
        out,
        "{} trials {}, seed {}.",
        f.settings.trials,
        forecast_sample(
            f.sample.from,
            f.sample.to,
            f.sample.daily.len(),
            f.sample.finished()
        ),
        f.settings.seed
    );
    let _ = writeln!(out, "{FORECAST_ASSUMES}");
    out
}

#[derive(Serialize)]
struct BacktestJson<'a> {
    board: &'a str,
    today: NaiveDate,
    weeks: u32,
    trials: u32,
    seed: u64,
    span_days: u32,
    #[serde(flatten)]
    record: RecordJson<'a>,
}

fn backtest(store: &dyn Store, args: &BacktestArgs) -> Result<(), Failure> {
    let board = store.board()?;
    let settings = settings(&args.method, forecast::run::BACKTEST_TRIALS)?;
    let question = match (args.items, args.days) {
        (Some(0), _) => return Err(fail("--items takes a number of cards from 1")),
        (Some(n), _) if n > 100_000 => return Err(fail("--items is at most 100000 cards")),
        (Some(n), _) => Question::When { items: n },
        (None, Some(d)) if d == 0 || d > 365 => {
            return Err(fail("--days takes a number of days from 1 to 365"));
        }
        (None, d) => Question::HowMany {
            days: d.unwrap_or(14),
        },
    };
    let today = today(store);
    let days = store.finishes_per_day(&board, Some(read_from(today, settings.weeks)))?;
    let record = match complete_days(&days, today) {
        Some((first, history)) => forecast::backtest(
            &history,
            first,
            settings.weeks,
            question,
            BACKTEST_DAYS,
            settings.trials,
            &mut Rng::new(settings.seed),
        ),
        None => forecast::backtest(&[], today, settings.weeks, question, 0, 0, &mut Rng::new(1)),
    };
    if args.method.json {
        let doc = BacktestJson {
            board: &board.name,
            today,
            weeks: settings.weeks,
            trials: settings.trials,
            seed: settings.seed,
            span_days: BACKTEST_DAYS,
            record: record_json(&record),
        };
        say!("{}", to_json(&doc)?);
        return Ok(());
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Backtest: {}, asked on each past day of the last {BACKTEST_DAYS} with {} weeks of history before it",
        match question {
            Question::When { items } => format!("when will the next {} be done", cards(items)),
            Question::HowMany { days } => format!("how many cards in the next {days} days"),
        },
        settings.weeks
    );
    if let (Some(a), Some(b)) = (record.first, record.last) {
        let _ = writeln!(out, "{} past forecasts, made {a} – {b}", record.forecasts);
        for p in PERCENTILES {
            if let Some(r) = record.rate(p) {
                let mark = if p == CHECKED {
                    "  ← the line checked"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "  the {p}% line held {:>5.1}% of the time (it should: {p}%){mark}",
                    r * 100.0
                );
            }
        }
    }
    let _ = writeln!(out, "{}", record.verdict());
    let _ = writeln!(
        out,
        "{} trials each, seed {}.",
        settings.trials, settings.seed
    );
    super::emit(&out);
    Ok(())
}
