-- teamloop schema, version 10: figures kept as the history is written.
-- Each is derived from the other tables, written in the same transaction
-- as the change it counts, never exported (an import builds them again),
-- and `teamloop check` compares each with a count from scratch.

-- The live (not archived) cards of each column: what its WIP limit counts
-- and what the board's column headers show, without counting every card.
-- A column no card has entered has no row (it counts 0).
CREATE TABLE column_cards (
    column_id INTEGER PRIMARY KEY REFERENCES columns(id),
    live      INTEGER NOT NULL CHECK (live BETWEEN 0 AND 4294967295)
) STRICT;

INSERT INTO column_cards (column_id, live)
SELECT column_id, count(*) FROM cards WHERE archived_at IS NULL GROUP BY column_id;

-- The blocked cards, found without reading every card: a retro's facts
-- read the history of the cards of its period, which include every card
-- blocked now whenever its block began.
CREATE INDEX cards_blocked ON cards (board_id) WHERE blocked = 1;
