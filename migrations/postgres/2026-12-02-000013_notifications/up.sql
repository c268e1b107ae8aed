-- Deadlines and reminders (docs/reminders.md). An assignment may carry its own due date; the
-- effective one is the assignment's, else the round's.
ALTER TABLE assignments ADD COLUMN due_on DATE;
-- Where a user's notifications are e-mailed, when SMTP is configured.
ALTER TABLE users ADD COLUMN email TEXT;
-- Notifications stored on the server: read on the web, pulled by devices, e-mailed from this
-- table as an outbox (emailed_at NULL and an address: still to send). dedupe_key is unique so
-- a reminder sent twice, or by two processes at once, is stored once.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    round_id TEXT REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id TEXT REFERENCES units (id) ON DELETE CASCADE,
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    emailed_at TIMESTAMP,
    email_attempts INTEGER NOT NULL DEFAULT 0,
    email_error TEXT,
    email_next_at TIMESTAMP,
    -- Position in the change log (sync_counter) of the last change, for pull: a device gets
    -- its own user's notifications only, so they are kept out of change_heads.
    seq BIGINT NOT NULL
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_user_seq ON notifications (user_id, seq);
CREATE INDEX notifications_outbox ON notifications (emailed_at, email_next_at);
