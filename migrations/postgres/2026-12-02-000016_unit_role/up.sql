-- The unit role (a unit's representative, tự kiểm tra): users.role gains 'unit' and users
-- gain unit_id (required for that role, absent for the others).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'lead', 'inspector', 'viewer', 'unit'));
ALTER TABLE users ADD COLUMN unit_id TEXT REFERENCES units (id);
ALTER TABLE users ADD CONSTRAINT users_unit_check CHECK ((role = 'unit') = (unit_id IS NOT NULL));
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
