-- teamloop schema, version 6: every table STRICT, with checks, so no value
-- can be stored (by an import or a hand edit through teamloop's own
-- connection) that a later read fails on; and anonymous data kept in forms
-- that link no one to what they wrote.
--
-- Anonymity, in what is stored: no name of anyone who took part in an
-- anonymous ritual, no time, no order.
-- * Each person has a key of their own, kept in their state folder and
--   never here. From it come their tokens (one per poll or pulse they
--   answered: a digest of the key and the ritual, so each answers once)
--   and their claims (one per card or dot: a digest of the key and the
--   item's random id, so they alone find and take back their own). Without
--   the key, a token or claim is a random number, unlinked to any other.
-- * Who took part is one value per ritual, the tokens sorted; what was
--   answered is kept apart: a poll as counts per choice, a pulse's
--   responses and its comments each as one list in a random order, written
--   anew at every response.
--
-- Checks, in the same words throughout:
-- * times are milliseconds since 1970 (UTC), between the years 1 and 9999;
-- * days are 'YYYY-MM-DD' and real days (date(x, '+0 days') gives x back);
-- * counts read as 32-bit numbers lie in 0 to 4294967295.
--
-- SQLite cannot change a table's type or checks in place: each table is
-- built anew and its rows copied, every id kept. Foreign keys are off
-- while this runs (no cascade fires) and checked before it commits.

CREATE TABLE boards_v6 (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT    NOT NULL,
    created_at            INTEGER NOT NULL
                          CHECK (created_at BETWEEN -62135596800000 AND 253402300799999),
    standup_format        TEXT    NOT NULL DEFAULT 'walk-the-board'
                          CHECK (standup_format IN ('walk-the-board', 'round-robin')),
    standup_minutes       INTEGER NOT NULL DEFAULT 15
                          CHECK (standup_minutes BETWEEN 1 AND 4294967295),
    standup_turn_seconds  INTEGER
                          CHECK (standup_turn_seconds IS NULL
                                 OR standup_turn_seconds BETWEEN 1 AND 4294967295)
) STRICT;
INSERT INTO boards_v6 (id, name, created_at, standup_format, standup_minutes, standup_turn_seconds)
    SELECT id, name, created_at, standup_format, standup_minutes, standup_turn_seconds FROM boards;
DROP TABLE boards;
ALTER TABLE boards_v6 RENAME TO boards;

CREATE TABLE columns_v6 (
    id          INTEGER PRIMARY KEY,
    board_id    INTEGER NOT NULL REFERENCES boards(id),
    name        TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('backlog', 'active', 'done')),
    wip_limit   INTEGER CHECK (wip_limit IS NULL OR wip_limit BETWEEN 1 AND 4294967295),
    wip_policy  TEXT    NOT NULL DEFAULT 'hard' CHECK (wip_policy IN ('hard', 'soft')),
    -- Columns are never removed, only retired, so history keeps its names.
    deleted_at  INTEGER CHECK (deleted_at IS NULL
                               OR deleted_at BETWEEN -62135596800000 AND 253402300799999)
) STRICT;
INSERT INTO columns_v6 (id, board_id, name, position, kind, wip_limit, wip_policy, deleted_at)
    SELECT id, board_id, name, position, kind, wip_limit, wip_policy, deleted_at FROM columns;
DROP TABLE columns;
ALTER TABLE columns_v6 RENAME TO columns;
CREATE UNIQUE INDEX columns_live_name ON columns (board_id, name COLLATE NOCASE)
    WHERE deleted_at IS NULL;

CREATE TABLE cards_v6 (
    id              INTEGER PRIMARY KEY,
    board_id        INTEGER NOT NULL REFERENCES boards(id),
    column_id       INTEGER NOT NULL REFERENCES columns(id),
    -- A finite number (no infinity).
    position        REAL    NOT NULL CHECK (abs(position) <= 1.7976931348623157e308),
    title           TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    assignee        TEXT,
    points          INTEGER CHECK (points IS NULL OR points BETWEEN 0 AND 4294967295),
    blocked         INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    blocked_reason  TEXT,
    created_at      INTEGER NOT NULL
                    CHECK (created_at BETWEEN -62135596800000 AND 253402300799999),
    updated_at      INTEGER NOT NULL
                    CHECK (updated_at BETWEEN -62135596800000 AND 253402300799999),
    archived_at     INTEGER CHECK (archived_at IS NULL
                                   OR archived_at BETWEEN -62135596800000 AND 253402300799999)
) STRICT;
INSERT INTO cards_v6 (id, board_id, column_id, position, title, description, assignee, points,
                      blocked, blocked_reason, created_at, updated_at, archived_at)
    SELECT id, board_id, column_id, position, title, description, assignee, points,
           blocked, blocked_reason, created_at, updated_at, archived_at FROM cards;
DROP TABLE cards;
ALTER TABLE cards_v6 RENAME TO cards;
CREATE INDEX cards_by_column ON cards (column_id, archived_at, position, id);
CREATE INDEX cards_by_board ON cards (board_id, archived_at);
CREATE INDEX cards_by_assignee ON cards (assignee);

CREATE TABLE card_tags_v6 (
    card_id  INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    -- One word: the board lists a card's tags joined by spaces.
    tag      TEXT    NOT NULL CHECK (tag <> '' AND instr(tag, ' ') = 0),
    PRIMARY KEY (card_id, tag)
) STRICT, WITHOUT ROWID;
INSERT INTO card_tags_v6 (card_id, tag) SELECT card_id, tag FROM card_tags;
DROP TABLE card_tags;
ALTER TABLE card_tags_v6 RENAME TO card_tags;
CREATE INDEX card_tags_by_tag ON card_tags (tag);

CREATE TABLE sprints_v6 (
    id          INTEGER PRIMARY KEY,
    board_id    INTEGER NOT NULL REFERENCES boards(id),
    name        TEXT    NOT NULL,
    goal        TEXT    NOT NULL DEFAULT '',
    -- Calendar days, both included.
    start_day   TEXT    NOT NULL CHECK (start_day IS date(start_day, '+0 days')),
    -- At most a month long (the app's rule): every day of it is drawn.
    end_day     TEXT    NOT NULL CHECK (end_day IS date(end_day, '+0 days') AND end_day >= start_day
                                        AND julianday(end_day) - julianday(start_day) < 31),
    state       TEXT    NOT NULL CHECK (state IN ('planned', 'active', 'closed')),
    capacity    INTEGER CHECK (capacity IS NULL OR capacity BETWEEN 0 AND 4294967295),
    created_at  INTEGER NOT NULL
                CHECK (created_at BETWEEN -62135596800000 AND 253402300799999),
    started_at  INTEGER CHECK (started_at IS NULL
                               OR started_at BETWEEN -62135596800000 AND 253402300799999),
    closed_at   INTEGER CHECK (closed_at IS NULL
                               OR closed_at BETWEEN -62135596800000 AND 253402300799999),
    -- Recorded at closing: points forecast, and points done (the velocity).
    committed   INTEGER CHECK (committed IS NULL OR committed BETWEEN 0 AND 4294967295),
    velocity    INTEGER CHECK (velocity IS NULL OR velocity BETWEEN 0 AND 4294967295)
) STRICT;
INSERT INTO sprints_v6 (id, board_id, name, goal, start_day, end_day, state, capacity,
                        created_at, started_at, closed_at, committed, velocity)
    SELECT id, board_id, name, goal, start_day, end_day, state, capacity,
           created_at, started_at, closed_at, committed, velocity FROM sprints;
DROP TABLE sprints;
ALTER TABLE sprints_v6 RENAME TO sprints;
CREATE UNIQUE INDEX sprints_one_active ON sprints (board_id) WHERE state = 'active';

CREATE TABLE sprint_cards_v6 (
    sprint_id  INTEGER NOT NULL REFERENCES sprints(id),
    card_id    INTEGER NOT NULL REFERENCES cards(id),
    added_at   INTEGER NOT NULL
               CHECK (added_at BETWEEN -62135596800000 AND 253402300799999),
    -- Set when the sprint closes.
    outcome    TEXT CHECK (outcome IN ('done', 'returned', 'carried')),
    PRIMARY KEY (sprint_id, card_id)
) STRICT, WITHOUT ROWID;
INSERT INTO sprint_cards_v6 (sprint_id, card_id, added_at, outcome)
    SELECT sprint_id, card_id, added_at, outcome FROM sprint_cards;
DROP TABLE sprint_cards;
ALTER TABLE sprint_cards_v6 RENAME TO sprint_cards;
CREATE INDEX sprint_cards_by_card ON sprint_cards (card_id);

CREATE TABLE card_events_v6 (
    id           INTEGER PRIMARY KEY,
    card_id      INTEGER NOT NULL REFERENCES cards(id),
    at           INTEGER NOT NULL CHECK (at BETWEEN -62135596800000 AND 253402300799999),
    actor        TEXT    NOT NULL,
    kind         TEXT    NOT NULL
                 CHECK (kind IN ('created', 'moved', 'blocked', 'unblocked', 'archived',
                                 'estimated', 'planned', 'unplanned', 'restored')),
    from_column  INTEGER REFERENCES columns(id),
    to_column    INTEGER REFERENCES columns(id),
    -- Set when the card entered a column past its WIP limit.
    breach       TEXT CHECK (breach IN ('forced', 'soft')),
    reason       TEXT,
    -- The reason given when blocking.
    note         TEXT,
    sprint_id    INTEGER REFERENCES sprints(id),
    old_points   INTEGER CHECK (old_points IS NULL OR old_points BETWEEN 0 AND 4294967295),
    new_points   INTEGER CHECK (new_points IS NULL OR new_points BETWEEN 0 AND 4294967295)
) STRICT;
INSERT INTO card_events_v6 (id, card_id, at, actor, kind, from_column, to_column, breach,
                            reason, note, sprint_id, old_points, new_points)
    SELECT id, card_id, at, actor, kind, from_column, to_column, breach,
           reason, note, sprint_id, old_points, new_points FROM card_events;
DROP TABLE card_events;
ALTER TABLE card_events_v6 RENAME TO card_events;
CREATE INDEX card_events_by_card ON card_events (card_id, id);
CREATE INDEX card_events_by_time ON card_events (at);
CREATE INDEX card_events_by_sprint ON card_events (sprint_id) WHERE sprint_id IS NOT NULL;
CREATE INDEX card_events_breaches ON card_events (at) WHERE breach IS NOT NULL;
CREATE INDEX card_events_by_actor ON card_events (actor);

CREATE TABLE standups_v6 (
    id               INTEGER PRIMARY KEY,
    board_id         INTEGER NOT NULL REFERENCES boards(id),
    sprint_id        INTEGER REFERENCES sprints(id),
    day              TEXT    NOT NULL CHECK (day IS date(day, '+0 days')),
    started_at       INTEGER NOT NULL
                     CHECK (started_at BETWEEN -62135596800000 AND 253402300799999),
    ended_at         INTEGER CHECK (ended_at IS NULL
                                    OR ended_at BETWEEN -62135596800000 AND 253402300799999),
    -- How long the timer ran, saved at each pause and at the end.
    elapsed_seconds  INTEGER NOT NULL DEFAULT 0 CHECK (elapsed_seconds BETWEEN 0 AND 4294967295),
    format           TEXT    NOT NULL CHECK (format IN ('walk-the-board', 'round-robin')),
    facilitator      TEXT    NOT NULL
) STRICT;
INSERT INTO standups_v6 (id, board_id, sprint_id, day, started_at, ended_at, elapsed_seconds,
                         format, facilitator)
    SELECT id, board_id, sprint_id, day, started_at, ended_at, elapsed_seconds,
           format, facilitator FROM standups;
DROP TABLE standups;
ALTER TABLE standups_v6 RENAME TO standups;
CREATE INDEX standups_by_board ON standups (board_id, started_at);

CREATE TABLE standup_attendees_v6 (
    standup_id  INTEGER NOT NULL REFERENCES standups(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    yesterday   TEXT    NOT NULL DEFAULT '',
    today       TEXT    NOT NULL DEFAULT '',
    blockers    TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (standup_id, name)
) STRICT, WITHOUT ROWID;
INSERT INTO standup_attendees_v6 (standup_id, name, position, yesterday, today, blockers)
    SELECT standup_id, name, position, yesterday, today, blockers FROM standup_attendees;
DROP TABLE standup_attendees;
ALTER TABLE standup_attendees_v6 RENAME TO standup_attendees;

CREATE TABLE standup_items_v6 (
    id          INTEGER PRIMARY KEY,
    standup_id  INTEGER NOT NULL REFERENCES standups(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('impediment', 'parking')),
    text        TEXT    NOT NULL,
    card_id     INTEGER REFERENCES cards(id),
    at          INTEGER NOT NULL CHECK (at BETWEEN -62135596800000 AND 253402300799999)
) STRICT;
INSERT INTO standup_items_v6 (id, standup_id, kind, text, card_id, at)
    SELECT id, standup_id, kind, text, card_id, at FROM standup_items;
DROP TABLE standup_items;
ALTER TABLE standup_items_v6 RENAME TO standup_items;
CREATE INDEX standup_items_by_standup ON standup_items (standup_id, id);

CREATE TABLE retros_v6 (
    id               INTEGER PRIMARY KEY,
    board_id         INTEGER NOT NULL REFERENCES boards(id),
    -- A team retro, or the writing session a pre-mortem owns.
    kind             TEXT    NOT NULL DEFAULT 'retro' CHECK (kind IN ('retro', 'premortem')),
    title            TEXT    NOT NULL,
    -- The format as it was when the retro started (JSON: id, name, prompts).
    format           TEXT    NOT NULL
                     CHECK (json_valid(format) AND json_type(format, '$.id') IS 'text'
                            AND json_type(format, '$.name') IS 'text'
                            AND json_type(format, '$.prompts') IS 'array'),
    phase            TEXT    NOT NULL CHECK (phase IN ('stage', 'review', 'facts', 'gather',
                         'group', 'vote', 'discuss', 'decide', 'close', 'closed')),
    facilitator      TEXT    NOT NULL,
    votes            INTEGER NOT NULL CHECK (votes BETWEEN 1 AND 20),
    safety_kind      TEXT    NOT NULL CHECK (safety_kind IN ('esvp', 'scale')),
    safety_closed    INTEGER NOT NULL DEFAULT 0 CHECK (safety_closed IN (0, 1)),
    roti_closed      INTEGER NOT NULL DEFAULT 0 CHECK (roti_closed IN (0, 1)),
    revealed         INTEGER NOT NULL DEFAULT 0 CHECK (revealed IN (0, 1)),
    sprint_id        INTEGER REFERENCES sprints(id),
    -- The period the facts cover, both days included.
    from_day         TEXT    NOT NULL CHECK (from_day IS date(from_day, '+0 days')),
    to_day           TEXT    NOT NULL CHECK (to_day IS date(to_day, '+0 days') AND to_day >= from_day),
    started_at       INTEGER NOT NULL
                     CHECK (started_at BETWEEN -62135596800000 AND 253402300799999),
    closed_at        INTEGER CHECK (closed_at IS NULL
                                    OR closed_at BETWEEN -62135596800000 AND 253402300799999),
    discussing       INTEGER,
    discuss_started  INTEGER CHECK (discuss_started IS NULL
                                    OR discuss_started BETWEEN -62135596800000 AND 253402300799999),
    discuss_minutes  INTEGER NOT NULL DEFAULT 5 CHECK (discuss_minutes BETWEEN 1 AND 4294967295)
) STRICT;
INSERT INTO retros_v6 (id, board_id, kind, title, format, phase, facilitator, votes, safety_kind,
                       safety_closed, roti_closed, revealed, sprint_id, from_day, to_day,
                       started_at, closed_at, discussing, discuss_started, discuss_minutes)
    SELECT id, board_id, kind, title, format, phase, facilitator, votes, safety_kind,
           safety_closed <> 0, roti_closed <> 0, revealed <> 0, sprint_id, from_day, to_day,
           started_at, closed_at, discussing, discuss_started, discuss_minutes FROM retros;

-- What people vote on: one card, or a theme of several.
CREATE TABLE retro_items_v6 (
    id        INTEGER PRIMARY KEY,
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    title     TEXT,
    votes     INTEGER NOT NULL DEFAULT 0 CHECK (votes BETWEEN 0 AND 4294967295),
    notes     TEXT    NOT NULL DEFAULT ''
) STRICT;
INSERT INTO retro_items_v6 (id, retro_id, title, votes, notes)
    SELECT id, retro_id, title, votes, notes FROM retro_items;

CREATE TABLE retro_cards_v6 (
    id        INTEGER PRIMARY KEY,
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    item_id   INTEGER NOT NULL REFERENCES retro_items(id),
    prompt    INTEGER NOT NULL CHECK (prompt BETWEEN 0 AND 4294967295),
    text      TEXT    NOT NULL,
    -- Its writer's claim (see the top of this file); none for a card said
    -- in the open, or written before claims were kept.
    claim     BLOB CHECK (claim IS NULL OR length(claim) = 32)
) STRICT;
INSERT INTO retro_cards_v6 (id, retro_id, item_id, prompt, text)
    SELECT id, retro_id, item_id, prompt, text FROM retro_cards;

-- One row per dot while voting is open, with its voter's claim: how many
-- votes someone has used is how many dots carry their claims, and they
-- alone can take theirs back. The totals are on the items; the dots are
-- deleted when voting closes. (Dots put before this version carried their
-- voter's name: the names are dropped, the dots stay in the totals.)
CREATE TABLE retro_dots (
    id        INTEGER PRIMARY KEY,
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    item_id   INTEGER NOT NULL REFERENCES retro_items(id),
    claim     BLOB    NOT NULL CHECK (length(claim) = 32)
) STRICT;

-- A safety check or ROTI: how many chose each answer ([n1, n2, ...]), and
-- the tokens of who has answered (see the top), sorted, so each person
-- answers once. No name, no order, nothing that pairs a token with a
-- count. (Answers given before this version keep their counts; their
-- names are dropped.)
CREATE TABLE retro_polls (
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    poll      TEXT    NOT NULL CHECK (poll IN ('safety', 'roti')),
    counts    TEXT    NOT NULL CHECK (json_valid(counts) AND json_type(counts) IS 'array'),
    takers    TEXT    NOT NULL CHECK (json_valid(takers) AND json_type(takers) IS 'array'),
    PRIMARY KEY (retro_id, poll)
) STRICT, WITHOUT ROWID;
INSERT INTO retro_polls (retro_id, poll, counts, takers)
    SELECT k.retro_id, k.poll,
        (SELECT CASE WHEN k.poll = 'safety' AND r.safety_kind = 'esvp'
                THEN json_array(count(*) FILTER (WHERE a.value = 1),
                                count(*) FILTER (WHERE a.value = 2),
                                count(*) FILTER (WHERE a.value = 3),
                                count(*) FILTER (WHERE a.value = 4))
                ELSE json_array(count(*) FILTER (WHERE a.value = 1),
                                count(*) FILTER (WHERE a.value = 2),
                                count(*) FILTER (WHERE a.value = 3),
                                count(*) FILTER (WHERE a.value = 4),
                                count(*) FILTER (WHERE a.value = 5)) END
         FROM retro_answers a WHERE a.retro_id = k.retro_id AND a.poll = k.poll),
        '[]'
    FROM (SELECT DISTINCT retro_id, poll FROM retro_answers) k
    JOIN retros r ON r.id = k.retro_id;

CREATE TABLE retro_actions_v6 (
    card_id   INTEGER PRIMARY KEY REFERENCES cards(id),
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    due_day   TEXT CHECK (due_day IS date(due_day, '+0 days'))
) STRICT;
INSERT INTO retro_actions_v6 (card_id, retro_id, due_day)
    SELECT card_id, retro_id, due_day FROM retro_actions;

CREATE TABLE retro_reviews_v6 (
    retro_id  INTEGER NOT NULL REFERENCES retros(id),
    card_id   INTEGER NOT NULL REFERENCES cards(id),
    status    TEXT    NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    PRIMARY KEY (retro_id, card_id)
) STRICT, WITHOUT ROWID;
INSERT INTO retro_reviews_v6 (retro_id, card_id, status)
    SELECT retro_id, card_id, status FROM retro_reviews;

DROP TABLE retro_vote_marks;
DROP TABLE retro_answers;
DROP TABLE retro_answered;
DROP TABLE retro_ballots;
DROP TABLE retro_cards;
DROP TABLE retro_actions;
DROP TABLE retro_reviews;
DROP TABLE retro_items;
DROP TABLE retros;
ALTER TABLE retros_v6 RENAME TO retros;
ALTER TABLE retro_items_v6 RENAME TO retro_items;
ALTER TABLE retro_cards_v6 RENAME TO retro_cards;
ALTER TABLE retro_actions_v6 RENAME TO retro_actions;
ALTER TABLE retro_reviews_v6 RENAME TO retro_reviews;
CREATE INDEX retros_by_board ON retros (board_id, started_at);
CREATE INDEX retro_items_by_retro ON retro_items (retro_id);
CREATE INDEX retro_cards_by_item ON retro_cards (item_id);
CREATE INDEX retro_cards_by_retro ON retro_cards (retro_id);
CREATE INDEX retro_dots_by_retro ON retro_dots (retro_id, item_id);
CREATE INDEX retro_actions_by_retro ON retro_actions (retro_id);

CREATE TABLE pulses_v6 (
    id             INTEGER PRIMARY KEY,
    board_id       INTEGER NOT NULL REFERENCES boards(id),
    title          TEXT    NOT NULL,
    -- The instrument as it was when the pulse opened (JSON).
    instrument     TEXT    NOT NULL
                   CHECK (json_valid(instrument) AND json_type(instrument, '$.id') IS 'text'
                          AND json_type(instrument, '$.name') IS 'text'
                          AND json_type(instrument, '$.scale') IS 'integer'
                          AND json_type(instrument, '$.items') IS 'array'),
    opened_by      TEXT    NOT NULL,
    opened_day     TEXT    NOT NULL CHECK (opened_day IS date(opened_day, '+0 days')),
    -- It closes after this day, unless closed by hand before: at this
    -- instant (midnight after it, where it was opened), the same for every
    -- terminal whatever its time zone.
    closes_day     TEXT CHECK (closes_day IS date(closes_day, '+0 days')),
    closes_at      INTEGER CHECK (closes_at IS NULL
                                  OR closes_at BETWEEN -62135596800000 AND 253402300799999),
    closed_day     TEXT CHECK (closed_day IS date(closed_day, '+0 days')),
    min_responses  INTEGER NOT NULL DEFAULT 5 CHECK (min_responses BETWEEN 3 AND 1000),
    min_comments   INTEGER NOT NULL DEFAULT 5 CHECK (min_comments BETWEEN 3 AND 1000)
) STRICT;
INSERT INTO pulses_v6 (id, board_id, title, instrument, opened_by, opened_day, closes_day,
                       closes_at, closed_day, min_responses, min_comments)
    SELECT id, board_id, title, instrument, opened_by, opened_day, closes_day,
           closes_at, closed_day, min_responses, min_comments FROM pulses;

-- The tokens of who has responded (see the top), sorted: each person
-- responds once, and nothing here names them. (Responses given before this
-- version keep their answers; their names are dropped.)
CREATE TABLE pulse_respondents (
    pulse_id  INTEGER PRIMARY KEY REFERENCES pulses(id),
    tokens    TEXT    NOT NULL CHECK (json_valid(tokens) AND json_type(tokens) IS 'array')
) STRICT;

-- The responses, each the answers in item order ([[4, 5, 2, ...], ...]),
-- in a random order written anew at every response.
CREATE TABLE pulse_answers_v6 (
    pulse_id   INTEGER PRIMARY KEY REFERENCES pulses(id),
    responses  TEXT    NOT NULL CHECK (json_valid(responses) AND json_type(responses) IS 'array')
) STRICT;
INSERT INTO pulse_answers_v6 (pulse_id, responses)
    SELECT pulse_id, json_group_array(json('[' || answers || ']') ORDER BY random())
    FROM pulse_answers WHERE json_valid('[' || answers || ']')
    GROUP BY pulse_id;

-- Free-text answers, apart from the scores, likewise in a random order.
CREATE TABLE pulse_comments_v6 (
    pulse_id  INTEGER PRIMARY KEY REFERENCES pulses(id),
    comments  TEXT    NOT NULL CHECK (json_valid(comments) AND json_type(comments) IS 'array')
) STRICT;
INSERT INTO pulse_comments_v6 (pulse_id, comments)
    SELECT pulse_id, json_group_array(text ORDER BY random()) FROM pulse_comments
    GROUP BY pulse_id;

DROP TABLE pulse_responded;
DROP TABLE pulse_answers;
DROP TABLE pulse_comments;
DROP TABLE pulses;
ALTER TABLE pulses_v6 RENAME TO pulses;
ALTER TABLE pulse_answers_v6 RENAME TO pulse_answers;
ALTER TABLE pulse_comments_v6 RENAME TO pulse_comments;
CREATE INDEX pulses_by_board ON pulses (board_id, opened_day);

CREATE TABLE mortems_v6 (
    id          INTEGER PRIMARY KEY,
    board_id    INTEGER NOT NULL REFERENCES boards(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('pre', 'post')),
    title       TEXT    NOT NULL,
    -- Post-mortems: draft, in review, final.
    status      TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in-review', 'final')),
    -- The day of the incident, or of the pre-mortem.
    day         TEXT    NOT NULL CHECK (day IS date(day, '+0 days')),
    authors     TEXT    NOT NULL DEFAULT '',
    -- Pre-mortems: what it is about, a project or a card, and its session.
    subject     TEXT    NOT NULL DEFAULT '',
    card_id     INTEGER REFERENCES cards(id),
    session_id  INTEGER REFERENCES retros(id),
    created_at  INTEGER NOT NULL
                CHECK (created_at BETWEEN -62135596800000 AND 253402300799999),
    created_by  TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
                CHECK (updated_at BETWEEN -62135596800000 AND 253402300799999),
    CHECK ((kind = 'pre') = (session_id IS NOT NULL))
) STRICT;
INSERT INTO mortems_v6 (id, board_id, kind, title, status, day, authors, subject, card_id,
                        session_id, created_at, created_by, updated_at)
    SELECT id, board_id, kind, title, status, day, authors, subject, card_id,
           session_id, created_at, created_by, updated_at FROM mortems;

CREATE TABLE mortem_sections_v6 (
    mortem_id  INTEGER NOT NULL REFERENCES mortems(id),
    key        TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    PRIMARY KEY (mortem_id, key)
) STRICT, WITHOUT ROWID;
INSERT INTO mortem_sections_v6 (mortem_id, key, text)
    SELECT mortem_id, key, text FROM mortem_sections;

CREATE TABLE mortem_timeline_v6 (
    id         INTEGER PRIMARY KEY,
    mortem_id  INTEGER NOT NULL REFERENCES mortems(id),
    at         INTEGER NOT NULL CHECK (at BETWEEN -62135596800000 AND 253402300799999),
    text       TEXT    NOT NULL
) STRICT;
INSERT INTO mortem_timeline_v6 (id, mortem_id, at, text)
    SELECT id, mortem_id, at, text FROM mortem_timeline;

CREATE TABLE mortem_actions_v6 (
    card_id    INTEGER PRIMARY KEY REFERENCES cards(id),
    mortem_id  INTEGER NOT NULL REFERENCES mortems(id),
    type       TEXT    CHECK (type IS NULL OR type IN ('prevent', 'mitigate', 'detect', 'process')),
    priority   TEXT    NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
    due_day    TEXT CHECK (due_day IS date(due_day, '+0 days')),
    -- Pre-mortems: the risk (a revealed item) it mitigates.
    risk_id    INTEGER REFERENCES retro_items(id)
) STRICT;
INSERT INTO mortem_actions_v6 (card_id, mortem_id, type, priority, due_day, risk_id)
    SELECT card_id, mortem_id, type, priority, due_day, risk_id FROM mortem_actions;

-- A pre-mortem's reasons as risks: numbered R1, R2, … when revealed (in
-- the random order of their ids, so the numbers tell nothing of who wrote
-- when), and rated 1 to 5 each.
CREATE TABLE premortem_risks_v6 (
    item_id     INTEGER PRIMARY KEY REFERENCES retro_items(id),
    mortem_id   INTEGER NOT NULL REFERENCES mortems(id),
    number      INTEGER CHECK (number IS NULL OR number BETWEEN 1 AND 1000000),
    likelihood  INTEGER CHECK (likelihood IS NULL OR likelihood BETWEEN 1 AND 5),
    impact      INTEGER CHECK (impact IS NULL OR impact BETWEEN 1 AND 5),
    UNIQUE (mortem_id, number)
) STRICT;
INSERT INTO premortem_risks_v6 (item_id, mortem_id, number, likelihood, impact)
    SELECT item_id, mortem_id, number, likelihood, impact FROM premortem_risks;

DROP TABLE premortem_risks;
DROP TABLE mortem_actions;
DROP TABLE mortem_timeline;
DROP TABLE mortem_sections;
DROP TABLE mortems;
ALTER TABLE mortems_v6 RENAME TO mortems;
ALTER TABLE mortem_sections_v6 RENAME TO mortem_sections;
ALTER TABLE mortem_timeline_v6 RENAME TO mortem_timeline;
ALTER TABLE mortem_actions_v6 RENAME TO mortem_actions;
ALTER TABLE premortem_risks_v6 RENAME TO premortem_risks;
CREATE INDEX mortems_by_board ON mortems (board_id, created_at);
CREATE INDEX mortem_timeline_by_time ON mortem_timeline (mortem_id, at, id);
CREATE INDEX mortem_actions_by_mortem ON mortem_actions (mortem_id);
