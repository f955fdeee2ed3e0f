-- teamloop schema, version 5: pre-mortems and blameless post-mortems.
--
-- A pre-mortem's reasons are written with the retro's anonymous gather
-- mechanism: it owns a writing session, a row of `retros` of kind
-- 'premortem' that the Retro tab does not list. Its ratings are kept per
-- revealed item; both kinds' action items are cards on the board.

ALTER TABLE retros ADD COLUMN kind TEXT NOT NULL DEFAULT 'retro'
    CHECK (kind IN ('retro', 'premortem'));

-- card_events gains the kind 'restored': an archived card brought back (an
-- undo), into the column it left. The table is rebuilt, every row and id
-- kept, as SQLite cannot change a CHECK in place.
CREATE TABLE card_events_v5 (
    id           INTEGER PRIMARY KEY,
    card_id      INTEGER NOT NULL REFERENCES cards(id),
    at           INTEGER NOT NULL,
    actor        TEXT    NOT NULL,
    kind         TEXT    NOT NULL
                 CHECK (kind IN ('created', 'moved', 'blocked', 'unblocked', 'archived',
                                 'estimated', 'planned', 'unplanned', 'restored')),
    from_column  INTEGER REFERENCES columns(id),
    to_column    INTEGER REFERENCES columns(id),
    breach       TEXT CHECK (breach IN ('forced', 'soft')),
    reason       TEXT,
    note         TEXT,
    sprint_id    INTEGER REFERENCES sprints(id),
    old_points   INTEGER,
    new_points   INTEGER
);
INSERT INTO card_events_v5 SELECT * FROM card_events ORDER BY id;
DROP TABLE card_events;
ALTER TABLE card_events_v5 RENAME TO card_events;
CREATE INDEX card_events_by_card ON card_events (card_id, id);
CREATE INDEX card_events_by_time ON card_events (at);
CREATE INDEX card_events_by_sprint ON card_events (sprint_id) WHERE sprint_id IS NOT NULL;
CREATE INDEX card_events_breaches ON card_events (at) WHERE breach IS NOT NULL;

-- The team's names, for the blame lint: who acted on the board, who has
-- cards. Read distinct value by distinct value, through these indexes.
CREATE INDEX card_events_by_actor ON card_events (actor);
CREATE INDEX cards_by_assignee ON cards (assignee);

CREATE TABLE mortems (
    id          INTEGER PRIMARY KEY,
    board_id    INTEGER NOT NULL REFERENCES boards(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('pre', 'post')),
    title       TEXT    NOT NULL,
    -- Post-mortems: draft, in review, final.
    status      TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in-review', 'final')),
    -- The day of the incident, or of the pre-mortem.
    day         TEXT    NOT NULL,
    authors     TEXT    NOT NULL DEFAULT '',
    -- Pre-mortems: what it is about, a project or a card, and its session.
    subject     TEXT    NOT NULL DEFAULT '',
    card_id     INTEGER REFERENCES cards(id),
    session_id  INTEGER REFERENCES retros(id),
    created_at  INTEGER NOT NULL,
    created_by  TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK ((kind = 'pre') = (session_id IS NOT NULL))
);
CREATE INDEX mortems_by_board ON mortems (board_id, created_at);

-- A post-mortem's sections, by the template's keys.
CREATE TABLE mortem_sections (
    mortem_id  INTEGER NOT NULL REFERENCES mortems(id),
    key        TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    PRIMARY KEY (mortem_id, key)
) WITHOUT ROWID;

-- The incident's timeline: entries at an instant (UTC), in any order.
CREATE TABLE mortem_timeline (
    id         INTEGER PRIMARY KEY,
    mortem_id  INTEGER NOT NULL REFERENCES mortems(id),
    at         INTEGER NOT NULL,
    text       TEXT    NOT NULL
);
CREATE INDEX mortem_timeline_by_time ON mortem_timeline (mortem_id, at, id);

-- Action items (post) and mitigations (pre): each a card on the board.
CREATE TABLE mortem_actions (
    card_id    INTEGER PRIMARY KEY REFERENCES cards(id),
    mortem_id  INTEGER NOT NULL REFERENCES mortems(id),
    type       TEXT    CHECK (type IS NULL OR type IN ('prevent', 'mitigate', 'detect', 'process')),
    priority   TEXT    NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
    due_day    TEXT,
    -- Pre-mortems: the risk (a revealed item) it mitigates.
    risk_id    INTEGER REFERENCES retro_items(id)
);
CREATE INDEX mortem_actions_by_mortem ON mortem_actions (mortem_id);

-- A pre-mortem's reasons as risks: numbered R1, R2, … when revealed (in
-- the random order of their ids, so the numbers tell nothing of who wrote
-- when), and rated 1 to 5 each.
CREATE TABLE premortem_risks (
    item_id     INTEGER PRIMARY KEY REFERENCES retro_items(id),
    mortem_id   INTEGER NOT NULL REFERENCES mortems(id),
    number      INTEGER CHECK (number IS NULL OR number > 0),
    likelihood  INTEGER CHECK (likelihood IS NULL OR likelihood BETWEEN 1 AND 5),
    impact      INTEGER CHECK (impact IS NULL OR impact BETWEEN 1 AND 5),
    UNIQUE (mortem_id, number)
);
