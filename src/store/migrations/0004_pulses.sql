-- teamloop schema, version 4: the psychological-safety pulse.
--
-- Who responded is kept apart from what was answered, with nothing that
-- links the two: answers carry no identity and no time, free text is kept
-- apart from the answers it came with, and both get random ids. When a
-- pulse closes its rows are written again in a random order, so not even
-- where they sit in the file tells who answered when.

CREATE TABLE pulses (
    id             INTEGER PRIMARY KEY,
    board_id       INTEGER NOT NULL REFERENCES boards(id),
    title          TEXT    NOT NULL,
    -- The instrument as it was when the pulse opened (JSON).
    instrument     TEXT    NOT NULL,
    opened_by      TEXT    NOT NULL,
    opened_day     TEXT    NOT NULL,
    -- It closes after this day, unless closed by hand before: at this
    -- instant (midnight after it, where it was opened), the same for every
    -- terminal whatever its time zone.
    closes_day     TEXT,
    closes_at      INTEGER,
    closed_day     TEXT,
    min_responses  INTEGER NOT NULL DEFAULT 5 CHECK (min_responses >= 3),
    min_comments   INTEGER NOT NULL DEFAULT 5 CHECK (min_comments >= 3)
);
CREATE INDEX pulses_by_board ON pulses (board_id, opened_day);

-- This person has responded: no answers, no link to them, no time.
CREATE TABLE pulse_responded (
    pulse_id  INTEGER NOT NULL REFERENCES pulses(id),
    person    TEXT    NOT NULL,
    PRIMARY KEY (pulse_id, person)
) WITHOUT ROWID;

-- One response: the answers in item order, nothing else.
CREATE TABLE pulse_answers (
    id        INTEGER PRIMARY KEY,
    pulse_id  INTEGER NOT NULL REFERENCES pulses(id),
    answers   TEXT    NOT NULL
);
CREATE INDEX pulse_answers_by_pulse ON pulse_answers (pulse_id);

-- Free-text answers, apart from the scores they came with.
CREATE TABLE pulse_comments (
    id        INTEGER PRIMARY KEY,
    pulse_id  INTEGER NOT NULL REFERENCES pulses(id),
    text      TEXT    NOT NULL
);
CREATE INDEX pulse_comments_by_pulse ON pulse_comments (pulse_id);
