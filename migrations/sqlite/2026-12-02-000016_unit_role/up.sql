-- The unit role (a unit's representative, tự kiểm tra): users.role gains 'unit' and users
-- gain unit_id. SQLite cannot change a CHECK in place: the table is rebuilt (the procedure
-- of SQLite's "ALTER TABLE" page), with foreign keys off so that dropping the old table
-- neither cascades to devices nor trips the references of teams and the audit log.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'inspector', 'viewer', 'unit')),
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- From 000013 (notifications), kept through the rebuild.
    email TEXT,
    unit_id TEXT REFERENCES units (id),
    -- A unit's representative always has a unit; nobody else has one.
    CHECK ((role = 'unit') = (unit_id IS NOT NULL))
);
INSERT INTO users_new (id, username, full_name, role, password_hash, disabled, version,
                       created_at, updated_at, email)
    SELECT id, username, full_name, role, password_hash, disabled, version, created_at,
           updated_at, email FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_unit ON users (unit_id);

-- A unit's self-assessment (tự kiểm tra) for a round: the round's own checklist version,
-- filled by the unit's representative before the visit (docs/self-assessment.md). Kept apart
-- from `inspections`: every report, board, missing list and sync query reads an inspection
-- as a team's visit.
CREATE TABLE self_assessments (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES units (id),
    template_version_id TEXT NOT NULL REFERENCES template_versions (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    score DOUBLE PRECISION,
    band TEXT,
    submitted_at TIMESTAMP,
    submitted_by TEXT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, unit_id)
);
CREATE INDEX self_assessments_unit ON self_assessments (unit_id);

-- One answer per item, stored as the inspection's answers are (JSON value text, n/a flag).
CREATE TABLE self_answers (
    self_assessment_id TEXT NOT NULL REFERENCES self_assessments (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    value TEXT,
    na BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (self_assessment_id, item_id)
);
COMMIT;
PRAGMA foreign_keys = ON;
