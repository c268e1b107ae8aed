-- Documents kept outside inspections (docs/attachments.md): the bytes live in the blob store
-- under their SHA-256, this row says whose they are. `owner_kind` names the owning area
-- (`unit_report` first); it has no CHECK so a new kind needs no table rebuild on SQLite: the
-- API's enum is the gate.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY NOT NULL,
    owner_kind TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner_kind, owner_id);

-- The year's due date of each kind of unit report (docs/unit-reports.md); absent rows fall
-- back to the documented defaults.
CREATE TABLE report_due_dates (
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('programme', 'half_year', 'year', 'dan_van_article')),
    due_on DATE NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (year, kind)
);

-- One unit's own due date for a kind and year, over the year's.
CREATE TABLE report_due_overrides (
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('programme', 'half_year', 'year', 'dan_van_article')),
    unit_id TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    due_on DATE NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (year, kind, unit_id)
);

-- Every document a unit sent for an obligation, kept (a resubmission adds a row): the latest
-- is the document, the first decides whether it came on time. Its file is the attachment of
-- the same id (owner_kind 'unit_report', owner_id = this id).
CREATE TABLE unit_reports (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('programme', 'half_year', 'year', 'dan_van_article')),
    submitted_by TEXT NOT NULL REFERENCES users (id),
    submitted_at TIMESTAMP NOT NULL
);
CREATE INDEX unit_reports_obligation ON unit_reports (unit_id, year, kind);
