-- The inspection domain: units, teams, checklist templates, rounds, inspections, audit.
-- Every row that devices sync carries a `version`, bumped on each change.

CREATE TABLE units (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- name without diacritics or case, for search (units::fold)
    name_folded TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('department', 'commune', 'ward', 'other')),
    parent_id TEXT REFERENCES units (id),
    address TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX units_name_folded ON units (name_folded);

CREATE TABLE teams (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    lead_id TEXT NOT NULL REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE templates (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A draft (at most one per template, editable) or a published version (never changes;
-- its content hash is recorded).
CREATE TABLE template_versions (
    id TEXT PRIMARY KEY NOT NULL,
    template_id TEXT NOT NULL REFERENCES templates (id),
    number INTEGER,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    content TEXT NOT NULL,
    content_hash TEXT,
    created_by TEXT NOT NULL REFERENCES users (id),
    published_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (template_id, number)
);

CREATE TABLE rounds (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('half_year', 'year', 'thematic')),
    template_version_id TEXT NOT NULL REFERENCES template_versions (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    due_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'open', 'closed')),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE assignments (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES units (id),
    team_id TEXT NOT NULL REFERENCES teams (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, unit_id)
);
CREATE INDEX assignments_team ON assignments (team_id);

CREATE TABLE inspections (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES rounds (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    team_id TEXT NOT NULL REFERENCES teams (id),
    template_version_id TEXT NOT NULL REFERENCES template_versions (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
    score DOUBLE PRECISION,
    band TEXT,
    strengths TEXT,
    shortcomings TEXT,
    causes TEXT,
    return_reason TEXT,
    created_by TEXT NOT NULL REFERENCES users (id),
    submitted_at TIMESTAMP,
    approved_at TIMESTAMP,
    approved_by TEXT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, unit_id)
);
CREATE INDEX inspections_team ON inspections (team_id);

-- One row per answered item: the unit of field-level merge for offline sync.
CREATE TABLE answers (
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    value TEXT,
    na BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_device TEXT,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (inspection_id, item_id)
);

CREATE TABLE recommendations (
    id TEXT PRIMARY KEY NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    responsible_unit_id TEXT REFERENCES units (id),
    responsible TEXT,
    due_on DATE,
    follow_up TEXT NOT NULL CHECK (follow_up IN ('open', 'in_progress', 'done')),
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX recommendations_inspection ON recommendations (inspection_id);

CREATE TABLE comments (
    id TEXT PRIMARY KEY NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    item_id TEXT,
    author_id TEXT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX comments_inspection ON comments (inspection_id);

-- Every review transition, with who and why.
CREATE TABLE inspection_events (
    id TEXT PRIMARY KEY NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    actor_id TEXT NOT NULL REFERENCES users (id),
    reason TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX inspection_events_inspection ON inspection_events (inspection_id);

-- Append-only, hash-chained: each entry's hash covers its content and the previous hash.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_id TEXT,
    device_id TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before TEXT,
    after TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
