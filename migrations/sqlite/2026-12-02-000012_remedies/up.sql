-- Khắc phục: what a unit did about a recommendation (kiến nghị) after the inspection was
-- approved, one row per note, each setting the recommendation's follow-up status. Rows are
-- never changed: the latest note is the recommendation's current state of follow-up.
CREATE TABLE remedies (
    id TEXT PRIMARY KEY NOT NULL,
    recommendation_id TEXT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    note TEXT NOT NULL,
    follow_up TEXT NOT NULL CHECK (follow_up IN ('open', 'in_progress', 'done')),
    created_by TEXT NOT NULL REFERENCES users (id),
    device_id TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX remedies_recommendation ON remedies (recommendation_id, created_at);
