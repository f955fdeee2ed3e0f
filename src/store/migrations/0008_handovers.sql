-- teamloop schema, version 8: facilitation handed over. Whoever runs a
-- retro, a standup, a pre-mortem or a pulse's close can be taken over from
-- another terminal (when the facilitator's is gone); each takeover is kept,
-- who from and who to, so the ritual's record says who ran it when.

CREATE TABLE handovers (
    id          INTEGER PRIMARY KEY,
    board_id    INTEGER NOT NULL REFERENCES boards(id),
    ritual      TEXT    NOT NULL CHECK (ritual IN ('retro', 'standup', 'premortem', 'pulse')),
    -- The retro's, standup's, mortem's or pulse's id.
    ritual_id   INTEGER NOT NULL,
    from_name   TEXT    NOT NULL,
    to_name     TEXT    NOT NULL,
    at          INTEGER NOT NULL CHECK (at BETWEEN -62135596800000 AND 253402300799999)
) STRICT;
CREATE INDEX handovers_by_ritual ON handovers (ritual, ritual_id, id);
