-- teamloop schema, version 3: retrospectives.
--
-- Anonymity is in what is stored: a card has no author and no time; votes
-- are totals per item, with a ballot that holds only how many votes each
-- person used; poll answers have no identity, and who answered is kept
-- apart with no link to the answer. Cards, items and answers get random
-- ids, so not even their order tells who wrote when.

CREATE TABLE retros (
    id               INTEGER PRIMARY KEY,
    board_id         INTEGER NOT NULL REFERENCES boards(id),
    title            TEXT    NOT NULL,
    -- The format as it was when the retro started (JSON: id, name, prompts).
    format           TEXT    NOT NULL,
    phase            TEXT    NOT NULL CHECK (phase IN ('stage', 'review', 'facts', 'gather',
                         'group', 'vote', 'discuss', 'decide', 'close', 'closed')),
    facilitator      TEXT    NOT NULL,
    votes            INTEGER NOT NULL CHECK (votes BETWEEN 1 AND 20),
    safety_kind      TEXT    NOT NULL CHECK (safety_kind IN ('esvp', 'scale')),
    safety_closed    INTEGER NOT NULL DEFAULT 0,
    roti_closed      INTEGER NOT NULL DEFAULT 0,
    revealed         INTEGER NOT NULL DEFAULT 0,
    sprint_id        INTEGER REFERENCES sprints(id),
    -- The period the facts cover, both days included.
    from_day         TEXT    NOT NULL,
    to_day           TEXT    NOT NULL,
    started_at       INTEGER NOT NULL,
    closed_at        INTEGER,
    discussing       INTEGER,
    discuss_started  INTEGER,
    discuss_minutes  INTEGER NOT NULL DEFAULT 5 CHECK (discuss_minutes > 0)
);
CREATE INDEX retros_by_board ON retros (board_id, started_at);

-- What people vote on: one card, or a theme of several.
CREATE TABLE retro_items (
    id        INTEGER PRIMARY KEY,
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    title     TEXT,
    votes     INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0),
    notes     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX retro_items_by_retro ON retro_items (retro_id);

CREATE TABLE retro_cards (
    id        INTEGER PRIMARY KEY,
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    item_id   INTEGER NOT NULL REFERENCES retro_items(id),
    prompt    INTEGER NOT NULL CHECK (prompt >= 0),
    text      TEXT    NOT NULL
);
CREATE INDEX retro_cards_by_item ON retro_cards (item_id);
CREATE INDEX retro_cards_by_retro ON retro_cards (retro_id);

-- How many of their votes each person has used: what the limit needs.
CREATE TABLE retro_ballots (
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    voter     TEXT    NOT NULL,
    used      INTEGER NOT NULL CHECK (used >= 0),
    PRIMARY KEY (retro_id, voter)
) WITHOUT ROWID;

-- Each person's dots while voting is open, so that they can take back their
-- own and nobody else's; reduced to the totals above and deleted when
-- voting closes.
CREATE TABLE retro_vote_marks (
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    voter     TEXT    NOT NULL,
    item_id   INTEGER NOT NULL,
    count     INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (retro_id, voter, item_id)
) WITHOUT ROWID;

-- Anonymous answers to the safety check and the ROTI.
CREATE TABLE retro_answers (
    id        INTEGER PRIMARY KEY,
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    poll      TEXT    NOT NULL CHECK (poll IN ('safety', 'roti')),
    value     INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5)
);
CREATE INDEX retro_answers_by_retro ON retro_answers (retro_id, poll);

-- Who answered: one answer each, no link to which.
CREATE TABLE retro_answered (
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    poll      TEXT    NOT NULL CHECK (poll IN ('safety', 'roti')),
    voter     TEXT    NOT NULL,
    PRIMARY KEY (retro_id, poll, voter)
) WITHOUT ROWID;

-- Action items: cards on the board, with a due date.
CREATE TABLE retro_actions (
    card_id   INTEGER PRIMARY KEY REFERENCES cards(id),
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    due_day   TEXT
);
CREATE INDEX retro_actions_by_retro ON retro_actions (retro_id);

-- WIP limits passed, by time: what a retro's facts list.
CREATE INDEX card_events_breaches ON card_events (at) WHERE breach IS NOT NULL;

-- Earlier action items as a later retro's review marked them.
CREATE TABLE retro_reviews (
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    card_id   INTEGER NOT NULL REFERENCES cards(id),
    status    TEXT    NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    PRIMARY KEY (retro_id, card_id)
) WITHOUT ROWID;
