-- The team lead's compilation of a round for the committee's report. These rows stand beside
-- the inspectors' records and never change them: a report recommendation names the
-- inspectors' recommendations it stands for (`replaces`, a JSON array of ids).

CREATE TABLE report_conclusions (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    team_id TEXT NOT NULL REFERENCES teams (id),
    body TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, team_id)
);

CREATE TABLE report_recommendations (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    team_id TEXT NOT NULL REFERENCES teams (id),
    replaces TEXT NOT NULL,
    grouping TEXT,
    content TEXT NOT NULL,
    responsible_unit_id TEXT REFERENCES units (id),
    responsible TEXT,
    due_on DATE,
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX report_recommendations_round ON report_recommendations (round_id, team_id);
