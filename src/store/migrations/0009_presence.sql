-- teamloop schema, version 9: who has the board open, and where. Each
-- terminal that has the board open keeps one row here, written on a fixed
-- period (a heartbeat) and removed when it quits cleanly; a row not
-- written for a few periods is someone gone. A row holds the person, the
-- tab and when it was last written: nothing of what they do there.
--
-- Neither table is part of the team's data: an export leaves both out, an
-- import and a server's upgrade start them empty.

CREATE TABLE presence (
    -- One terminal: a random id it makes when it opens the board.
    session  TEXT    PRIMARY KEY CHECK (length(session) BETWEEN 1 AND 64),
    person   TEXT    NOT NULL,
    tab      TEXT    NOT NULL,
    seen_at  INTEGER NOT NULL CHECK (seen_at BETWEEN -62135596800000 AND 253402300799999)
) STRICT;
CREATE INDEX presence_by_time ON presence (seen_at);

-- On the file, every commit of another connection moves `data_version`,
-- a heartbeat's too. Every write of the team's data also sets this one
-- row's token to a new random number, so that a terminal that sees
-- `data_version` move can tell a heartbeat (token unchanged: only the
-- presence is read again) from a change to the board (read it all).
CREATE TABLE content_version (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    token  INTEGER NOT NULL
) STRICT;
INSERT INTO content_version (id, token) VALUES (1, 0);
