-- teamloop schema, version 12: planning poker. A round puts one card or a
-- queue of cards to the team; each person who joined picks a value from
-- the round's deck for the card being estimated. Picks carry their
-- person's name (poker is not anonymous: names show with the values once
-- revealed); until the reveal no read of the store gives another person's
-- value, and an export leaves the unrevealed picks out.

CREATE TABLE poker_rounds (
    id            INTEGER PRIMARY KEY,
    board_id      INTEGER NOT NULL REFERENCES boards(id),
    facilitator   TEXT    NOT NULL CHECK (length(facilitator) > 0),
    -- The deck as it was when the round started (JSON: id, name, values
    -- with their labels and points), so a deck file changed later does
    -- not change a round.
    deck          TEXT    NOT NULL CHECK (json_valid(deck) AND json_type(deck, '$.id') IS 'text'),
    -- Seconds each card's vote may take; none: no timebox.
    timebox_secs  INTEGER CHECK (timebox_secs BETWEEN 1 AND 3600),
    started_at    INTEGER NOT NULL CHECK (started_at BETWEEN -62135596800000 AND 253402300799999),
    closed_at     INTEGER CHECK (closed_at BETWEEN -62135596800000 AND 253402300799999)
) STRICT;
CREATE INDEX poker_rounds_by_board ON poker_rounds (board_id, started_at);

-- The queue: each card once, in order. One card at a time is `voting`;
-- `vote` counts its votes (a re-vote adds one), `revealed` says whether
-- this vote's picks are shown, `since` when this vote began (a timebox
-- counts from it). An accepted card keeps the value accepted and the
-- points written onto it (an `estimated` card event, as any re-estimate).
CREATE TABLE poker_cards (
    round_id  INTEGER NOT NULL REFERENCES poker_rounds(id),
    position  INTEGER NOT NULL CHECK (position >= 0),
    card_id   INTEGER NOT NULL REFERENCES cards(id),
    state     TEXT    NOT NULL CHECK (state IN ('waiting', 'voting', 'accepted')),
    vote      INTEGER NOT NULL DEFAULT 1 CHECK (vote >= 1),
    revealed  INTEGER NOT NULL DEFAULT 0 CHECK (revealed IN (0, 1)),
    since     INTEGER CHECK (since BETWEEN -62135596800000 AND 253402300799999),
    accepted  TEXT,
    points    INTEGER CHECK (points >= 0),
    PRIMARY KEY (round_id, card_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX poker_cards_in_order ON poker_cards (round_id, position);

-- Who joined the round: "everyone" is who joined and has the board open.
CREATE TABLE poker_joined (
    round_id  INTEGER NOT NULL REFERENCES poker_rounds(id),
    person    TEXT    NOT NULL CHECK (length(person) > 0),
    PRIMARY KEY (round_id, person)
) STRICT, WITHOUT ROWID;

-- One pick per person per vote on a card; earlier votes are kept (the
-- round's record shows how the estimate converged).
CREATE TABLE poker_picks (
    round_id  INTEGER NOT NULL REFERENCES poker_rounds(id),
    card_id   INTEGER NOT NULL REFERENCES cards(id),
    vote      INTEGER NOT NULL CHECK (vote >= 1),
    person    TEXT    NOT NULL CHECK (length(person) > 0),
    value     TEXT    NOT NULL CHECK (length(value) BETWEEN 1 AND 8),
    at        INTEGER NOT NULL CHECK (at BETWEEN -62135596800000 AND 253402300799999),
    PRIMARY KEY (round_id, card_id, vote, person)
) STRICT, WITHOUT ROWID;

-- The round's facilitation taken over (when the facilitator's terminal is
-- gone), as the other rituals' are in `handovers`.
CREATE TABLE poker_handovers (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL REFERENCES poker_rounds(id),
    from_name  TEXT    NOT NULL,
    to_name    TEXT    NOT NULL,
    at         INTEGER NOT NULL CHECK (at BETWEEN -62135596800000 AND 253402300799999)
) STRICT;
CREATE INDEX poker_handovers_by_round ON poker_handovers (round_id, id);
