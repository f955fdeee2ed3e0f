-- teamloop schema, version 2: sprints, daily standups, and card events for
-- re-estimates and sprint scope, so burndowns replay from history.

CREATE TABLE sprints (
    id          INTEGER PRIMARY KEY,
    board_id    INTEGER NOT NULL REFERENCES boards(id),
    name        TEXT    NOT NULL,
    goal        TEXT    NOT NULL DEFAULT '',
    -- Calendar days (YYYY-MM-DD), both included.
    start_day   TEXT    NOT NULL,
    end_day     TEXT    NOT NULL CHECK (end_day >= start_day),
    state       TEXT    NOT NULL CHECK (state IN ('planned', 'active', 'closed')),
    capacity    INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    created_at  INTEGER NOT NULL,
    started_at  INTEGER,
    closed_at   INTEGER,
    -- Recorded at closing: points forecast, and points done (the velocity).
    committed   INTEGER,
    velocity    INTEGER
);
-- One active sprint per board.
CREATE UNIQUE INDEX sprints_one_active ON sprints (board_id) WHERE state = 'active';

-- The cards of each sprint; a card is in at most one open sprint at a time.
CREATE TABLE sprint_cards (
    sprint_id  INTEGER NOT NULL REFERENCES sprints(id),
    card_id    INTEGER NOT NULL REFERENCES cards(id),
    added_at   INTEGER NOT NULL,
    -- Set when the sprint closes.
    outcome    TEXT CHECK (outcome IN ('done', 'returned', 'carried')),
    PRIMARY KEY (sprint_id, card_id)
) WITHOUT ROWID;
CREATE INDEX sprint_cards_by_card ON sprint_cards (card_id);

-- card_events gains three kinds: 'estimated' (the card's points changed,
-- from old_points to new_points), 'planned' and 'unplanned' (the card joined
-- or left sprint_id). SQLite cannot change a CHECK constraint in place, so
-- the table is rebuilt with every row and id kept.
CREATE TABLE card_events_v2 (
    id           INTEGER PRIMARY KEY,
    card_id      INTEGER NOT NULL REFERENCES cards(id),
    at           INTEGER NOT NULL,
    actor        TEXT    NOT NULL,
    kind         TEXT    NOT NULL
                 CHECK (kind IN ('created', 'moved', 'blocked', 'unblocked', 'archived',
                                 'estimated', 'planned', 'unplanned')),
    from_column  INTEGER REFERENCES columns(id),
    to_column    INTEGER REFERENCES columns(id),
    breach       TEXT CHECK (breach IN ('forced', 'soft')),
    reason       TEXT,
    note         TEXT,
    sprint_id    INTEGER REFERENCES sprints(id),
    old_points   INTEGER,
    new_points   INTEGER
);
INSERT INTO card_events_v2 (id, card_id, at, actor, kind, from_column, to_column, breach, reason, note)
    SELECT id, card_id, at, actor, kind, from_column, to_column, breach, reason, note
    FROM card_events ORDER BY id;
DROP TABLE card_events;
ALTER TABLE card_events_v2 RENAME TO card_events;
CREATE INDEX card_events_by_card ON card_events (card_id, id);
CREATE INDEX card_events_by_time ON card_events (at);
CREATE INDEX card_events_by_sprint ON card_events (sprint_id) WHERE sprint_id IS NOT NULL;

-- Each board's standup: its format and timeboxes.
ALTER TABLE boards ADD COLUMN standup_format TEXT NOT NULL DEFAULT 'walk-the-board'
    CHECK (standup_format IN ('walk-the-board', 'round-robin'));
ALTER TABLE boards ADD COLUMN standup_minutes INTEGER NOT NULL DEFAULT 15
    CHECK (standup_minutes > 0);
ALTER TABLE boards ADD COLUMN standup_turn_seconds INTEGER
    CHECK (standup_turn_seconds IS NULL OR standup_turn_seconds > 0);

CREATE TABLE standups (
    id               INTEGER PRIMARY KEY,
    board_id         INTEGER NOT NULL REFERENCES boards(id),
    sprint_id        INTEGER REFERENCES sprints(id),
    day              TEXT    NOT NULL,
    started_at       INTEGER NOT NULL,
    ended_at         INTEGER,
    -- How long the timer ran, saved at each pause and at the end.
    elapsed_seconds  INTEGER NOT NULL DEFAULT 0,
    format           TEXT    NOT NULL CHECK (format IN ('walk-the-board', 'round-robin')),
    facilitator      TEXT    NOT NULL
);
CREATE INDEX standups_by_board ON standups (board_id, started_at);

-- Who attended, in speaking order, with their optional notes.
CREATE TABLE standup_attendees (
    standup_id  INTEGER NOT NULL REFERENCES standups(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    yesterday   TEXT    NOT NULL DEFAULT '',
    today       TEXT    NOT NULL DEFAULT '',
    blockers    TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (standup_id, name)
) WITHOUT ROWID;

-- Impediments raised and parking-lot topics.
CREATE TABLE standup_items (
    id          INTEGER PRIMARY KEY,
    standup_id  INTEGER NOT NULL REFERENCES standups(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('impediment', 'parking')),
    text        TEXT    NOT NULL,
    card_id     INTEGER REFERENCES cards(id),
    at          INTEGER NOT NULL
);
CREATE INDEX standup_items_by_standup ON standup_items (standup_id, id);
