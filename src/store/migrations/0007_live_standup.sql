-- teamloop schema, version 7: one shared, live standup per board. What a
-- standup is at this moment is kept with it, so every terminal on the board
-- (and every client of a server) shows the same timer, turn and format:
-- * the timer is how long it ran before its last start, and since when it
--   runs (nothing while paused); each terminal adds the time since then on
--   its own clock, so none of them advances a counter of its own;
-- * the turn is a place in the speaking order (round robin) or in the walk
--   (walk the board), with the card being walked, since the walk changes
--   as cards move; and the timer's reading when that turn began;
-- * every change of turn, format or order counts one step more: a change
--   names the step it moves from, and one that another terminal has moved
--   on from already is refused, so two people pressing "next" at once move
--   it once;
-- * at most one standup of a board is not ended on any day. Standups that
--   several terminals each started on one day are ended here, all but the
--   latest, with the time each had saved.
--
-- The standup's attendees and items are built anew after it, with every row
-- kept, so each table still comes after the tables it refers to.

CREATE TABLE standups_v7 (
    id               INTEGER PRIMARY KEY,
    board_id         INTEGER NOT NULL REFERENCES boards(id),
    sprint_id        INTEGER REFERENCES sprints(id),
    day              TEXT    NOT NULL CHECK (day IS date(day, '+0 days')),
    started_at       INTEGER NOT NULL
                     CHECK (started_at BETWEEN -62135596800000 AND 253402300799999),
    ended_at         INTEGER CHECK (ended_at IS NULL
                                    OR ended_at BETWEEN -62135596800000 AND 253402300799999),
    -- How long the timer ran before running_since (milliseconds): at the
    -- end, how long the standup took.
    elapsed_ms       INTEGER NOT NULL DEFAULT 0
                     CHECK (elapsed_ms BETWEEN 0 AND 4294967295000),
    -- Since when the timer runs; NULL while paused and once ended.
    running_since    INTEGER CHECK (running_since IS NULL
                                    OR running_since BETWEEN -62135596800000 AND 253402300799999),
    -- The format it runs in now (at the end: the one it ended in).
    format           TEXT    NOT NULL CHECK (format IN ('walk-the-board', 'round-robin')),
    -- Who starts, pauses and ends it.
    facilitator      TEXT    NOT NULL,
    -- Whose turn: a place in the attendees' order or in the walk, from 0.
    turn             INTEGER NOT NULL DEFAULT 0 CHECK (turn BETWEEN 0 AND 4294967295),
    -- The card being walked (walk the board), found again wherever the
    -- walk now puts it.
    walk_card        INTEGER REFERENCES cards(id),
    -- The timer's reading (elapsed milliseconds) when the turn began.
    turn_began_ms    INTEGER NOT NULL DEFAULT 0
                     CHECK (turn_began_ms BETWEEN 0 AND 4294967295000),
    -- Changes of turn, format and order so far.
    step             INTEGER NOT NULL DEFAULT 0 CHECK (step BETWEEN 0 AND 4294967295)
) STRICT;
INSERT INTO standups_v7 (id, board_id, sprint_id, day, started_at, ended_at, elapsed_ms,
                         format, facilitator)
    SELECT id, board_id, sprint_id, day, started_at, ended_at, elapsed_seconds * 1000,
           format, facilitator FROM standups;
DROP TABLE standups;
ALTER TABLE standups_v7 RENAME TO standups;
CREATE INDEX standups_by_board ON standups (board_id, started_at);
UPDATE standups SET ended_at = started_at + elapsed_ms
    WHERE ended_at IS NULL
      AND id <> (SELECT max(s.id) FROM standups s
                 WHERE s.board_id = standups.board_id AND s.day = standups.day
                   AND s.ended_at IS NULL);
CREATE UNIQUE INDEX standups_one_live ON standups (board_id, day) WHERE ended_at IS NULL;

CREATE TABLE standup_attendees_v7 (
    standup_id  INTEGER NOT NULL REFERENCES standups(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    yesterday   TEXT    NOT NULL DEFAULT '',
    today       TEXT    NOT NULL DEFAULT '',
    blockers    TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (standup_id, name)
) STRICT, WITHOUT ROWID;
INSERT INTO standup_attendees_v7 (standup_id, name, position, yesterday, today, blockers)
    SELECT standup_id, name, position, yesterday, today, blockers FROM standup_attendees;
DROP TABLE standup_attendees;
ALTER TABLE standup_attendees_v7 RENAME TO standup_attendees;

CREATE TABLE standup_items_v7 (
    id          INTEGER PRIMARY KEY,
    standup_id  INTEGER NOT NULL REFERENCES standups(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('impediment', 'parking')),
    text        TEXT    NOT NULL,
    card_id     INTEGER REFERENCES cards(id),
    at          INTEGER NOT NULL CHECK (at BETWEEN -62135596800000 AND 253402300799999)
) STRICT;
INSERT INTO standup_items_v7 (id, standup_id, kind, text, card_id, at)
    SELECT id, standup_id, kind, text, card_id, at FROM standup_items;
DROP TABLE standup_items;
ALTER TABLE standup_items_v7 RENAME TO standup_items;
CREATE INDEX standup_items_by_standup ON standup_items (standup_id, id);
