-- Sync you can trust: scope entries beside scope exits, and idempotency keys that identify
-- their content.

-- A part of the working set entering one user's scope at `seq` (added to a team, a round
-- reopened or newly assigned to their team): their next pull re-sends every live row whose
-- head matches (team_id, round_id; NULL matches any) and that they may now see.
CREATE TABLE scope_entries (
    seq BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    team_id TEXT,
    round_id TEXT,
    id TEXT PRIMARY KEY NOT NULL
);
CREATE INDEX scope_entries_user ON scope_entries (user_id, seq);

-- SHA-256 of the mutation's canonical JSON: the same mutation_id with other content is
-- refused (`mutation_id_reused`), never acknowledged. NULL for mutations stored before.
ALTER TABLE sync_mutations ADD COLUMN content_hash TEXT;
