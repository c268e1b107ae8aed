-- Điểm sáng về dân vận chính quyền (plan-2026, quý I): each unit registers and builds its
-- bright spots; the committee evaluates them in rounds (docs/bright-spots.md). Evidence is
-- text (minh chứng: description, links) for now; files will attach through the attachments
-- area with owner id = bright_spots.id.
CREATE TABLE bright_spots (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    field TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    registered_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('registered', 'building', 'recognised', 'not_achieved')),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX bright_spots_unit ON bright_spots (unit_id, registered_on);

-- One evaluation of a bright spot in a round; its result set the bright spot's status.
-- Rows are never changed: a later review in the same round supersedes an earlier one.
CREATE TABLE bright_spot_reviews (
    id TEXT PRIMARY KEY NOT NULL,
    bright_spot_id TEXT NOT NULL REFERENCES bright_spots (id) ON DELETE CASCADE,
    round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    reviewer TEXT NOT NULL REFERENCES users (id),
    result TEXT NOT NULL CHECK (result IN ('building', 'recognised', 'not_achieved')),
    comment TEXT NOT NULL DEFAULT '',
    reviewed_at TIMESTAMP NOT NULL
);
CREATE INDEX bright_spot_reviews_spot ON bright_spot_reviews (bright_spot_id, reviewed_at);
CREATE INDEX bright_spot_reviews_round ON bright_spot_reviews (round_id);
