-- How each issuer's documents of a round are headed and signed (docs/reports.md, "Document
-- settings"): Sở Nội vụ (`snv`), the steering committee (`bcd`) or a team (`team:<id>`).
-- NULL fields take the issuer's defaults when a document is made; the number is often left
-- blank for the clerk to fill by hand. recipients is a JSON array of "Nơi nhận" lines.
CREATE TABLE document_settings (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    team_id TEXT REFERENCES teams (id) ON DELETE CASCADE,
    parent_body TEXT,
    issuer_name TEXT,
    number TEXT,
    issued_on DATE,
    place TEXT,
    signer_authority TEXT,
    signer_title TEXT,
    signer_name TEXT,
    recipients TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, issuer)
);
