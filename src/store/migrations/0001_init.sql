-- teamloop schema, version 1: boards, columns, cards, tags and card events.
-- Times are milliseconds since the Unix epoch, UTC.

-- Marks the file as a teamloop database ('TLOP').
PRAGMA application_id = 1414287184;

CREATE TABLE boards (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE columns (
    id          INTEGER PRIMARY KEY,
    board_id    INTEGER NOT NULL REFERENCES boards(id),
    name        TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('backlog', 'active', 'done')),
    wip_limit   INTEGER CHECK (wip_limit IS NULL OR wip_limit > 0),
    wip_policy  TEXT    NOT NULL DEFAULT 'hard' CHECK (wip_policy IN ('hard', 'soft')),
    -- Columns are never removed, only retired, so history keeps its names.
    deleted_at  INTEGER
);
CREATE UNIQUE INDEX columns_live_name ON columns (board_id, name COLLATE NOCASE)
    WHERE deleted_at IS NULL;

CREATE TABLE cards (
    id              INTEGER PRIMARY KEY,
    board_id        INTEGER NOT NULL REFERENCES boards(id),
    column_id       INTEGER NOT NULL REFERENCES columns(id),
    position        REAL    NOT NULL,
    title           TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    assignee        TEXT,
    points          INTEGER CHECK (points IS NULL OR points >= 0),
    blocked         INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    blocked_reason  TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    archived_at     INTEGER
);
CREATE INDEX cards_by_column ON cards (column_id, archived_at, position, id);
CREATE INDEX cards_by_board ON cards (board_id, archived_at);

CREATE TABLE card_tags (
    card_id  INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    tag      TEXT    NOT NULL,
    PRIMARY KEY (card_id, tag)
) WITHOUT ROWID;
CREATE INDEX card_tags_by_tag ON card_tags (tag);

-- Every change of a card's column is an event; so are creation, blocking and archiving.
CREATE TABLE card_events (
    id           INTEGER PRIMARY KEY,
    card_id      INTEGER NOT NULL REFERENCES cards(id),
    at           INTEGER NOT NULL,
    actor        TEXT    NOT NULL,
    kind         TEXT    NOT NULL
                 CHECK (kind IN ('created', 'moved', 'blocked', 'unblocked', 'archived')),
    from_column  INTEGER REFERENCES columns(id),
    to_column    INTEGER REFERENCES columns(id),
    -- Set when the card entered a column past its WIP limit.
    breach       TEXT CHECK (breach IN ('forced', 'soft')),
    reason       TEXT,
    -- The reason given when blocking.
    note         TEXT
);
CREATE INDEX card_events_by_card ON card_events (card_id, id);
CREATE INDEX card_events_by_time ON card_events (at);
