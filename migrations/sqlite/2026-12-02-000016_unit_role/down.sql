PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE self_answers;
DROP TABLE self_assessments;
DELETE FROM users WHERE role = 'unit';
CREATE TABLE users_old (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'inspector', 'viewer')),
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    email TEXT
);
INSERT INTO users_old SELECT id, username, full_name, role, password_hash, disabled, version,
    created_at, updated_at, email FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
COMMIT;
PRAGMA foreign_keys = ON;
