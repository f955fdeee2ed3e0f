-- teamloop schema, version 11: the flow figures kept as the history is
-- written (see migration 10 for what a kept figure is). A flow report then
-- reads what happened per time slot, and each card's place in its walk,
-- instead of replaying every event (domain::flow::kept). Built from the
-- events when this migration runs.

-- Each card's walk through the columns as of its last event: where it is
-- counted and since when, when it started, its entry into done, whether
-- it is archived, and the blocked spell it is in.
CREATE TABLE card_walks (
    card_id       INTEGER PRIMARY KEY REFERENCES cards(id),
    board_id      INTEGER NOT NULL REFERENCES boards(id),
    created       INTEGER NOT NULL,
    -- The time of the last event walked: one that comes with an earlier
    -- time walks the card again from its first event.
    last_at       INTEGER NOT NULL,
    column_id     INTEGER REFERENCES columns(id),
    column_kind   TEXT CHECK (column_kind IN ('backlog', 'active', 'done')),
    column_since  INTEGER,
    started       INTEGER,
    done_entry    INTEGER,
    archived      INTEGER NOT NULL CHECK (archived IN (0, 1)),
    blocked_since INTEGER
) STRICT;
-- Covering: a report lists the cards finished in its range.
CREATE INDEX card_walks_finished ON card_walks (board_id, done_entry, started, created)
    WHERE column_kind = 'done';
CREATE INDEX card_walks_by_created ON card_walks (board_id, created);
CREATE INDEX card_walks_in_progress ON card_walks (board_id)
    WHERE column_kind = 'active' AND archived = 0;
CREATE INDEX card_walks_blocked ON card_walks (board_id)
    WHERE blocked_since IS NOT NULL;

-- Per column and time slot: cards that began (+) and ended (-) being
-- counted in it, and the visits to it that ended (columns not done) with
-- their length in ms. `grain` 0 is a UTC day, 1 six hours, 2 an hour, 3 a
-- quarter hour; `part` is which of the day's slots of that grain. A slot
-- holds its end for the counts (in a column at a moment: entered by then)
-- and its start for visits and finishes (on the day that begins at their
-- midnight).
CREATE TABLE flow_counts (
    column_id INTEGER NOT NULL REFERENCES columns(id),
    grain     INTEGER NOT NULL CHECK (grain BETWEEN 0 AND 3),
    part      INTEGER NOT NULL CHECK (part BETWEEN 0 AND 95),
    day       INTEGER NOT NULL,
    net       INTEGER NOT NULL,
    visits    INTEGER NOT NULL,
    visit_ms  INTEGER NOT NULL,
    PRIMARY KEY (column_id, grain, part, day)
) STRICT, WITHOUT ROWID;

-- Per board and time slot: cards finished then that are still finished.
CREATE TABLE flow_finishes (
    board_id INTEGER NOT NULL REFERENCES boards(id),
    grain    INTEGER NOT NULL CHECK (grain BETWEEN 0 AND 3),
    part     INTEGER NOT NULL CHECK (part BETWEEN 0 AND 95),
    day      INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (board_id, grain, part, day)
) STRICT, WITHOUT ROWID;

-- Every blocked spell that has ended (one still going is the card's
-- `blocked_since`).
CREATE TABLE flow_spells (
    id       INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards(id),
    card_id  INTEGER NOT NULL REFERENCES cards(id),
    from_ms  INTEGER NOT NULL,
    until_ms INTEGER NOT NULL
) STRICT;
-- Covering: a report reads the spells that end in its range or later.
CREATE INDEX flow_spells_by_end ON flow_spells (board_id, until_ms, card_id, from_ms);
CREATE INDEX flow_spells_by_card ON flow_spells (card_id);
