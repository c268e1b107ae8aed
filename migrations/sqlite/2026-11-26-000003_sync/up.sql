-- Offline sync: a commit-ordered change log, per-user scope exits, idempotent mutations,
-- and conflicts kept for the lead.

-- One row: the last sequence number handed out. Incrementing it takes a row lock that is
-- held until commit, so on PostgreSQL transactions that write changes commit in seq order.
CREATE TABLE sync_counter (
    id INTEGER PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL
);
INSERT INTO sync_counter (id, seq) VALUES (1, 0);

-- The latest change of each syncable row ("latest state only"): a pull reads the heads after
-- its cursor. team_id / round_id say whose scope the row is in (NULL: everyone's).
CREATE TABLE change_heads (
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    team_id TEXT,
    round_id TEXT,
    PRIMARY KEY (entity, entity_id)
);
CREATE UNIQUE INDEX change_heads_seq ON change_heads (seq);

-- A row leaving one user's scope (moved to another team, round closed, removed from a team):
-- that user's next pull gets a tombstone for it.
CREATE TABLE scope_exits (
    seq BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (user_id, seq, entity, entity_id)
);

-- Every pushed mutation once, with the answer it got: a retry gets the same answer.
CREATE TABLE sync_mutations (
    mutation_id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    device_id TEXT,
    result TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE conflicts (
    id TEXT PRIMARY KEY NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    round_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field TEXT NOT NULL,
    -- 'concurrent' (both edited the field) or 'rejected' (the device's change was refused)
    kind TEXT NOT NULL,
    reason TEXT,
    base_value TEXT,
    server_value TEXT,
    device_value TEXT,
    server_author TEXT,
    server_device TEXT,
    server_hlc TEXT,
    device_author TEXT NOT NULL,
    device_device TEXT,
    device_hlc TEXT,
    -- which value is current: 'server' or 'device'
    winner TEXT NOT NULL,
    mutation_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    resolution TEXT,
    resolved_value TEXT,
    resolved_by TEXT,
    resolved_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX conflicts_inspection ON conflicts (inspection_id);

-- The hybrid-logical-clock time of the write that set each answer, and of each findings field.
ALTER TABLE answers ADD COLUMN hlc TEXT;
ALTER TABLE inspections ADD COLUMN field_meta TEXT;
