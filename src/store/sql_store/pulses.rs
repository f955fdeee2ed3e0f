//! Pulses: who responded kept apart from what was answered.

use chrono::{DateTime, NaiveDate, Utc};

use super::anon::{add_token, text_list, to_json, value_of};
use crate::domain::pulse::{
    Instrument, Pulse, PulseId, PulseResults, TrendPoint, check_close, check_closes,
    check_first_response, check_response, check_results_shown, check_threshold, check_usable,
    results, validate_title,
};
use crate::domain::{BoardId, DomainError};
use crate::sql_params as params;
use crate::store::claim::{PersonKey, shuffle};
use crate::store::sql::{Db, DbExt, Row};
use crate::store::{NewPulse, Result, StoreError};

/// A pulse's fields, its stored responses last: how many responded is the
/// length of that JSON list, counted in Rust.
const PULSE_FIELDS: &str = "p.id, p.title, p.instrument, p.opened_by, p.opened_day,
    p.closes_day, p.closed_day, p.min_responses, p.min_comments,
    (SELECT a.responses FROM pulse_answers a WHERE a.pulse_id = p.id), p.closes_at";

fn day(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

/// How many elements a stored JSON list has, whatever they are; a value
/// that is not a list counts none.
fn list_len(json: Option<String>) -> u32 {
    json.and_then(|j| serde_json::from_str::<Vec<serde::de::IgnoredAny>>(&j).ok())
        .map_or(0, |all| u32::try_from(all.len()).unwrap_or(u32::MAX))
}

fn pulse_from_row(r: &Row) -> Result<Pulse> {
    let instrument: String = r.get(2)?;
    let instrument: Instrument = serde_json::from_str(&instrument).unwrap_or_else(|_| Instrument {
        id: "unknown".into(),
        name: "Unknown instrument".into(),
        source: String::new(),
        scale: 7,
        labels: Vec::new(),
        items: Vec::new(),
        free_text: None,
    });
    Ok(Pulse {
        id: PulseId(r.get(0)?),
        title: r.get(1)?,
        instrument: instrument.checked(),
        closes_at: r.get::<Option<i64>>(10)?.map(super::from_ms),
        opened_by: r.get(3)?,
        opened: day(r.get(4)?).unwrap_or_default(),
        closes: day(r.get(5)?),
        closed: day(r.get(6)?),
        min_responses: r.get(7)?,
        min_comments: r.get(8)?,
        responses: list_len(r.get(9)?),
    })
}

pub(super) fn pulses(conn: &dyn Db, board: BoardId) -> Result<Vec<Pulse>> {
    conn.rows(
        &format!(
            "SELECT {PULSE_FIELDS} FROM pulses p WHERE p.board_id = ?1
             ORDER BY p.opened_day DESC, p.id DESC"
        ),
        params![board.0],
        pulse_from_row,
    )
}

pub(super) fn pulse(conn: &dyn Db, id: PulseId) -> Result<Pulse> {
    conn.row(
        &format!("SELECT {PULSE_FIELDS} FROM pulses p WHERE p.id = ?1"),
        params![id.0],
        pulse_from_row,
    )?
    .ok_or_else(|| StoreError::NotFound(format!("no pulse with id {}", id.0)))
}

/// The tokens of who has responded, sorted.
fn tokens(conn: &dyn Db, id: PulseId) -> Result<Vec<String>> {
    let mut tokens = text_list(value_of(
        conn,
        "pulse_respondents",
        "tokens",
        "pulse_id",
        id.0,
    )?);
    tokens.sort();
    tokens.dedup();
    Ok(tokens)
}

pub(super) fn has_responded(conn: &dyn Db, id: PulseId, key: &PersonKey) -> Result<bool> {
    Ok(tokens(conn, id)?
        .binary_search(&key.token("pulse", id.0))
        .is_ok())
}

/// The responses as stored: each the answers in item order. A response
/// that is not a list of whole numbers (a hand-edited file) is left out.
fn submissions(conn: &dyn Db, id: PulseId) -> Result<Vec<Vec<u32>>> {
    let json = value_of(conn, "pulse_answers", "responses", "pulse_id", id.0)?;
    let all: Vec<serde_json::Value> = json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    Ok(all
        .into_iter()
        .filter_map(|r| {
            r.as_array()?
                .iter()
                .map(|a| a.as_u64().and_then(|n| u32::try_from(n).ok()))
                .collect::<Option<Vec<u32>>>()
        })
        .collect())
}

fn comments(conn: &dyn Db, id: PulseId) -> Result<Vec<String>> {
    Ok(text_list(value_of(
        conn,
        "pulse_comments",
        "comments",
        "pulse_id",
        id.0,
    )?))
}

pub(super) fn results_of(conn: &dyn Db, id: PulseId, now: DateTime<Utc>) -> Result<PulseResults> {
    let p = pulse(conn, id)?;
    check_results_shown(&p, now)?;
    let r = results(
        &p.instrument,
        &submissions(conn, id)?,
        comments(conn, id)?,
        p.min_comments,
        id.0 as u64,
    );
    check_usable(&r, p.min_responses)?;
    Ok(r)
}

pub(super) fn trend(conn: &dyn Db, board: BoardId, now: DateTime<Utc>) -> Result<Vec<TrendPoint>> {
    let mut all = pulses(conn, board)?;
    all.reverse();
    let mut out = Vec::new();
    for p in all.into_iter().filter(|p| p.is_closed(now)) {
        let score = match p.results_refused(now) {
            None => {
                let r = results(
                    &p.instrument,
                    &submissions(conn, p.id)?,
                    Vec::new(),
                    u32::MAX,
                    0,
                );
                (r.responses >= p.min_responses).then_some(r.score)
            }
            Some(_) => None,
        };
        out.push(TrendPoint {
            pulse: p.id,
            title: p.title,
            opened: p.opened,
            responses: p.responses,
            score,
            scale: p.instrument.scale,
        });
    }
    Ok(out)
}

pub(super) fn open(
    tx: &dyn Db,
    board: BoardId,
    new: &NewPulse,
    today: NaiveDate,
    closes_at: Option<DateTime<Utc>>,
    actor: &str,
) -> Result<PulseId> {
    let title = validate_title(&new.title)?;
    let min_responses = check_threshold(new.min_responses)?;
    let min_comments = check_threshold(new.min_comments)?;
    check_closes(new.closes, today)?;
    let instrument = serde_json::to_string(&new.instrument)
        .map_err(|e| DomainError::Invalid(format!("the instrument cannot be saved: {e}")))?;
    Ok(PulseId(tx.one(
        "INSERT INTO pulses (board_id, title, instrument, opened_by, opened_day, closes_day,
                             min_responses, min_comments, closes_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         RETURNING id",
        params![
            board.0,
            title,
            instrument,
            actor,
            today.to_string(),
            new.closes.map(|d| d.to_string()),
            min_responses,
            min_comments,
            closes_at.map(super::ms)
        ],
    )?))
}

pub(super) fn respond(
    tx: &dyn Db,
    id: PulseId,
    answers: &[u32],
    comment: Option<&str>,
    now: DateTime<Utc>,
    key: &PersonKey,
) -> Result<()> {
    let p = pulse(tx, id)?;
    let comment = check_response(&p, now, answers, comment)?;
    // The respondent's token joins the others, unless it is there already.
    let mut who = tokens(tx, id)?;
    let again = !add_token(&mut who, key.token("pulse", id.0));
    check_first_response(&p, again)?;
    tx.execute(
        "INSERT INTO pulse_respondents (pulse_id, tokens) VALUES (?1, ?2)
         ON CONFLICT (pulse_id) DO UPDATE SET tokens = excluded.tokens",
        params![id.0, to_json(&who)],
    )?;
    // Every response, the new one among them, in a new random order.
    let mut all = submissions(tx, id)?;
    all.push(answers.to_vec());
    shuffle(&mut all);
    tx.execute(
        "INSERT INTO pulse_answers (pulse_id, responses) VALUES (?1, ?2)
         ON CONFLICT (pulse_id) DO UPDATE SET responses = excluded.responses",
        params![id.0, to_json(&all)],
    )?;
    if let Some(text) = comment {
        let mut all = comments(tx, id)?;
        all.push(text);
        shuffle(&mut all);
        tx.execute(
            "INSERT INTO pulse_comments (pulse_id, comments) VALUES (?1, ?2)
             ON CONFLICT (pulse_id) DO UPDATE SET comments = excluded.comments",
            params![id.0, to_json(&all)],
        )?;
    }
    Ok(())
}

pub(super) fn close(
    tx: &dyn Db,
    id: PulseId,
    now: DateTime<Utc>,
    today: NaiveDate,
    actor: &str,
) -> Result<()> {
    check_close(&pulse(tx, id)?, now, actor)?;
    tx.execute(
        "UPDATE pulses SET closed_day = ?2 WHERE id = ?1",
        params![id.0, today.to_string()],
    )?;
    Ok(())
}

/// Records the close of every pulse whose last day is over by `now`, on
/// the day it ended: from then on it is closed for every terminal, whatever
/// its clock. How many were recorded.
pub(super) fn record_due_closes(tx: &dyn Db, now: DateTime<Utc>) -> Result<usize> {
    let recorded = tx.execute(
        "UPDATE pulses SET closed_day = closes_day
         WHERE closed_day IS NULL AND closes_at IS NOT NULL AND closes_at <= ?1",
        params![super::ms(now)],
    )?;
    Ok(usize::try_from(recorded).unwrap_or(usize::MAX))
}

/// Whether a pulse's close is due and not yet recorded.
/// When the next close by date is due (the earliest last-day midnight of
/// a pulse still open), if any pulse has one.
pub(super) fn next_close(conn: &dyn Db) -> Result<Option<i64>> {
    conn.one(
        "SELECT min(closes_at) FROM pulses WHERE closed_day IS NULL AND closes_at IS NOT NULL",
        params![],
    )
}

#[cfg(test)]
mod tests;
