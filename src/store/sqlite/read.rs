//! Queries: what the screens and the command line read.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

use super::columns::{COLUMN_FIELDS, column_from_row};
use super::from_ms;
use crate::domain::{
    Board, BoardId, Breach, Card, CardEvent, CardFilter, CardId, CardSummary, ColumnId, EventKind,
};
use crate::store::{ColumnPage, Result, StoreError, Window};

pub(super) fn board(conn: &Connection) -> Result<Board> {
    let (id, name): (i64, String) = conn
        .query_row("SELECT id, name FROM boards ORDER BY id LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound("the database has no board".into()))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMN_FIELDS} FROM columns
         WHERE board_id = ?1 AND deleted_at IS NULL ORDER BY position, id"
    ))?;
    let columns = stmt
        .query_map([id], column_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Board {
        id: BoardId(id),
        name,
        columns,
    })
}

pub(super) const SUMMARY_FIELDS: &str = "c.id, c.column_id, c.title, c.assignee, c.points, c.blocked,
    (SELECT group_concat(tag, ' ') FROM (SELECT tag FROM card_tags t WHERE t.card_id = c.id ORDER BY tag))";

pub(super) fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<CardSummary> {
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
fn filter_sql(filter: &CardFilter) -> (String, Vec<String>) {
    let mut sql = String::new();
    let mut args = Vec::new();
    for w in &filter.words {
        let n = args.len();
        sql.push_str(&format!(
            " AND (tl_fold(c.title) LIKE ?{a} ESCAPE '\\' OR tl_fold(coalesce(c.assignee, '')) LIKE ?{a} ESCAPE '\\'
              OR EXISTS (SELECT 1 FROM card_tags t WHERE t.card_id = c.id AND t.tag LIKE ?{a} ESCAPE '\\')
              OR CAST(c.id AS TEXT) = ?{b})",
            a = n + 1,
            b = n + 2
        ));
        args.push(contains(w));
        args.push(w.trim_start_matches('#').to_string());
    }
    for a in &filter.assignees {
        args.push(contains(a));
        sql.push_str(&format!(
            " AND tl_fold(coalesce(c.assignee, '')) LIKE ?{} ESCAPE '\\'",
            args.len()
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
    conn: &Connection,
    board: &Board,
    filter: &CardFilter,
    windows: &[Window],
) -> Result<Vec<ColumnPage>> {
    // Live counts per column: what the WIP limits count. One aggregate query.
    let mut counts = std::collections::HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT column_id, count(*) FROM cards
         WHERE board_id = ?1 AND archived_at IS NULL GROUP BY column_id",
    )?;
    for row in stmt.query_map([board.id.0], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (c, n) = row?;
        counts.insert(c, n);
    }
    let (cond, args) = filter_sql(filter);
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
        values.push(Value::Integer(column.id.0));
        let matching = if filter.is_empty() {
            count
        } else {
            conn.prepare_cached(&count_sql)?
                .query_row(params_from_iter(values.iter()), |r| r.get(0))?
        };
        let cards = if window.limit == 0 || matching == 0 {
            Vec::new()
        } else {
            values.push(Value::Integer(i64::from(window.limit)));
            values.push(Value::Integer(i64::from(window.offset)));
            let mut stmt = conn.prepare_cached(&page_sql)?;
            stmt.query_map(params_from_iter(values.iter()), summary_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
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
    conn: &Connection,
    board: &Board,
    column: Option<ColumnId>,
) -> Result<Vec<CardSummary>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_FIELDS} FROM cards c
         WHERE c.column_id = ?1 AND c.archived_at IS NULL ORDER BY c.position, c.id"
    ))?;
    for col in &board.columns {
        if column.is_some_and(|c| c != col.id) {
            continue;
        }
        for card in stmt.query_map([col.id.0], summary_from_row)? {
            out.push(card?);
        }
    }
    Ok(out)
}

pub(super) fn card(conn: &Connection, id: CardId) -> Result<Card> {
    let mut card = conn
        .query_row(
            "SELECT id, column_id, title, description, assignee, points, blocked, blocked_reason,
                    created_at, updated_at, archived_at
             FROM cards WHERE id = ?1",
            [id.0],
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
                    archived: r.get::<_, Option<i64>>(10)?.is_some(),
                })
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no card {id}")))?;
    let mut stmt =
        conn.prepare_cached("SELECT tag FROM card_tags WHERE card_id = ?1 ORDER BY tag")?;
    card.tags = stmt
        .query_map([id.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(card)
}

pub(super) fn card_history(conn: &Connection, id: CardId) -> Result<Vec<CardEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.card_id, e.at, e.actor, e.kind, e.from_column, e.to_column,
                f.name, t.name, e.breach, e.reason, e.note, s.name, e.old_points, e.new_points
         FROM card_events e
         LEFT JOIN columns f ON f.id = e.from_column
         LEFT JOIN columns t ON t.id = e.to_column
         LEFT JOIN sprints s ON s.id = e.sprint_id
         WHERE e.card_id = ?1 ORDER BY e.id",
    )?;
    let rows = stmt.query_map([id.0], |r| {
        let kind: String = r.get(4)?;
        let breach: Option<String> = r.get(9)?;
        let reason: Option<String> = r.get(10)?;
        Ok(CardEvent {
            id: r.get(0)?,
            card: CardId(r.get(1)?),
            at: from_ms(r.get(2)?),
            actor: r.get(3)?,
            kind: EventKind::parse(&kind).unwrap_or(EventKind::Moved),
            from_column: r.get::<_, Option<i64>>(5)?.map(ColumnId),
            to_column: r.get::<_, Option<i64>>(6)?.map(ColumnId),
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
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
