-- Data migrations that must go through the services (so the sync log and heads are stamped)
-- run after the schema migrations, once each: this table records which ran (api/db/data.rs).
CREATE TABLE data_migrations (
    name TEXT PRIMARY KEY NOT NULL,
    applied_at TIMESTAMP NOT NULL
);
