//! Queries: what the screens and the command line read.

use super::columns::{COLUMN_FIELDS, column_from_row};
use super::from_ms;
use crate::domain::{
    Board, BoardId, Breach, Card, CardEvent, CardFilter, CardId, CardSummary, ColumnId, EventKind,
};
use crate::sql_params as params;
use crate::store::sql::{Db, DbExt, Engine, Row, Value};
use crate::store::{ColumnPage, Result, StoreError, Window};

pub(super) fn board(conn: &dyn Db) -> Result<Board> {
    let (id, name): (i64, String) = conn
        .row(
            "SELECT id, name FROM boards ORDER BY id LIMIT 1",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .ok_or_else(|| StoreError::NotFound("the database has no board".into()))?;
    let columns = conn.rows(
        &format!(
            "SELECT {COLUMN_FIELDS} FROM columns
             WHERE board_id = ?1 AND deleted_at IS NULL ORDER BY position, id"
        ),
        params![id],
        column_from_row,
    )?;
    Ok(Board {
        id: BoardId(id),
        name,
        columns,
    })
}

pub(super) const SUMMARY_FIELDS: &str =
    "c.id, c.column_id, c.title, c.assignee, c.points, c.blocked,
    (SELECT string_agg(tag, ' ' ORDER BY tag) FROM card_tags t WHERE t.card_id = c.id)";

pub(super) fn summary_from_row(r: &Row) -> Result<CardSummary> {
    let tags: Option<String> = r.get(6)?;
    Ok(CardSummary {
        id: CardId(r.get(0)?),
        column: ColumnId(r.get(1)?),
        title: r.get(2)?,
        assignee: r.get(3)?,
        points: r.get(4)?,
        blocked: r.get(5)?,
        tags: tags
            .map(|t| t.split(' ').map(str::to_string).collect())
            .unwrap_or_default(),
    })
}

/// `LIKE` pattern for a substring, with the wildcards in it escaped.
fn contains(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The filter as a SQL condition on `c` and its parameters.
fn filter_sql(e: Engine, filter: &CardFilter) -> (String, Vec<String>) {
    let mut sql = String::new();
    let mut args = Vec::new();
    for w in &filter.words {
        let n = args.len();
        let a = format!("?{}", n + 1);
        sql.push_str(&format!(
            " AND ({} ESCAPE '\\' OR {} ESCAPE '\\'
              OR EXISTS (SELECT 1 FROM card_tags t WHERE t.card_id = c.id AND {} ESCAPE '\\')
              OR CAST(c.id AS TEXT) = ?{b})",
            e.like_any_case(&e.fold("c.title"), &a),
            e.like_any_case(&e.fold("coalesce(c.assignee, '')"), &a),
            e.like_any_case("t.tag", &a),
            b = n + 2
        ));
        args.push(contains(w));
        args.push(w.trim_start_matches('#').to_string());
    }
    for a in &filter.assignees {
        args.push(contains(a));
        sql.push_str(&format!(
            " AND {} ESCAPE '\\'",
            e.like_any_case(
                &e.fold("coalesce(c.assignee, '')"),
                &format!("?{}", args.len())
            )
        ));
    }
    for t in &filter.tags {
        args.push(t.clone());
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM card_tags t WHERE t.card_id = c.id AND t.tag = ?{})",
            args.len()
        ));
    }
    (sql, args)
}

pub(super) fn board_pages(
    conn: &dyn Db,
    board: &Board,
    filter: &CardFilter,
    windows: &[Window],
) -> Result<Vec<ColumnPage>> {
    // Live counts per column, what the WIP limits count: kept as cards
    // move, so reading them costs the same whatever the board holds.
    let mut counts = std::collections::HashMap::new();
    conn.each(
        "SELECT k.column_id, k.live FROM column_cards k JOIN columns c ON c.id = k.column_id
         WHERE c.board_id = ?1",
        params![board.id.0],
        &mut |r| {
            counts.insert(r.get::<i64>(0)?, r.get::<u32>(1)?);
            Ok(())
        },
    )?;
    let (cond, args) = filter_sql(conn.engine(), filter);
    // Filter arguments first, then the column, limit and offset: one cached
    // statement serves every column and every scroll position.
    let n = args.len();
    let count_sql = format!(
        "SELECT count(*) FROM cards c WHERE c.column_id = ?{} AND c.archived_at IS NULL{cond}",
        n + 1
    );
    let page_sql = format!(
        "SELECT {SUMMARY_FIELDS} FROM cards c
         WHERE c.column_id = ?{} AND c.archived_at IS NULL{cond}
         ORDER BY c.position, c.id LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2,
        n + 3
    );
    let mut pages = Vec::with_capacity(board.columns.len());
    for (i, column) in board.columns.iter().enumerate() {
        let count = counts.get(&column.id.0).copied().unwrap_or(0);
        let window = windows.get(i).copied().unwrap_or(Window {
            offset: 0,
            limit: 0,
        });
        let mut values: Vec<Value> = args.iter().cloned().map(Value::Text).collect();
        values.push(Value::Int(column.id.0));
        let matching = if filter.is_empty() {
            count
        } else {
            conn.one(&count_sql, &values)?
        };
        let cards = if window.limit == 0 || matching == 0 {
            Vec::new()
        } else {
            values.push(Value::from(window.limit));
            values.push(Value::from(window.offset));
            conn.rows(&page_sql, &values, summary_from_row)?
        };
        pages.push(ColumnPage {
            column: column.clone(),
            count,
            matching,
            offset: window.offset,
            cards,
        });
    }
    Ok(pages)
}

pub(super) fn list_cards(
    conn: &dyn Db,
    board: &Board,
    column: Option<ColumnId>,
) -> Result<Vec<CardSummary>> {
    let mut out = Vec::new();
    let sql = format!(
        "SELECT {SUMMARY_FIELDS} FROM cards c
         WHERE c.column_id = ?1 AND c.archived_at IS NULL ORDER BY c.position, c.id"
    );
    for col in &board.columns {
        if column.is_some_and(|c| c != col.id) {
            continue;
        }
        out.extend(conn.rows(&sql, params![col.id.0], summary_from_row)?);
    }
    Ok(out)
}

pub(super) fn card(conn: &dyn Db, id: CardId) -> Result<Card> {
    let mut card = conn
        .row(
            "SELECT id, column_id, title, description, assignee, points, blocked, blocked_reason,
                    created_at, updated_at, archived_at
             FROM cards WHERE id = ?1",
            params![id.0],
            |r| {
                let blocked: bool = r.get(6)?;
                let reason: Option<String> = r.get(7)?;
                Ok(Card {
                    id: CardId(r.get(0)?),
                    column: ColumnId(r.get(1)?),
                    title: r.get(2)?,
                    description: r.get(3)?,
                    assignee: r.get(4)?,
                    tags: Vec::new(),
                    points: r.get(5)?,
                    blocked: blocked.then(|| reason.unwrap_or_default()),
                    created_at: from_ms(r.get(8)?),
                    updated_at: from_ms(r.get(9)?),
                    archived: r.get::<Option<i64>>(10)?.is_some(),
                })
            },
        )?
        .ok_or_else(|| StoreError::NotFound(format!("no card {id}")))?;
    card.tags = conn.rows(
        "SELECT tag FROM card_tags WHERE card_id = ?1 ORDER BY tag",
        params![id.0],
        |r| r.get(0),
    )?;
    Ok(card)
}

pub(super) fn card_history(conn: &dyn Db, id: CardId) -> Result<Vec<CardEvent>> {
    conn.rows(
        "SELECT e.id, e.card_id, e.at, e.actor, e.kind, e.from_column, e.to_column,
                f.name, t.name, e.breach, e.reason, e.note, s.name, e.old_points, e.new_points
         FROM card_events e
         LEFT JOIN columns f ON f.id = e.from_column
         LEFT JOIN columns t ON t.id = e.to_column
         LEFT JOIN sprints s ON s.id = e.sprint_id
         WHERE e.card_id = ?1 ORDER BY e.id",
        params![id.0],
        |r| {
            let kind: String = r.get(4)?;
            let breach: Option<String> = r.get(9)?;
            let reason: Option<String> = r.get(10)?;
            Ok(CardEvent {
                id: r.get(0)?,
                card: CardId(r.get(1)?),
                at: from_ms(r.get(2)?),
                actor: r.get(3)?,
                kind: EventKind::parse(&kind).unwrap_or(EventKind::Moved),
                from_column: r.get::<Option<i64>>(5)?.map(ColumnId),
                to_column: r.get::<Option<i64>>(6)?.map(ColumnId),
                from_name: r.get(7)?,
                to_name: r.get(8)?,
                breach: match breach.as_deref() {
                    Some("forced") => Some(Breach::Forced {
                        reason: reason.unwrap_or_default(),
                    }),
                    Some("soft") => Some(Breach::Soft { reason }),
                    _ => None,
                },
                note: r.get(11)?,
                sprint: r.get(12)?,
                old_points: r.get(13)?,
                new_points: r.get(14)?,
            })
        },
    )
}
