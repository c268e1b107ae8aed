-- The failed-login throttle keys by client address and by (username, address), not by
-- username alone, so strangers' failures can no longer lock anyone out (docs/operations.md).
-- One row per key:
--   `p:<address>|<username>`  one address trying one username (backs off),
--   `a:<address>`             one address over every username (backs off),
--   `u:<username>`            one username from every address (only ever adds delay).
-- <address> is an IPv4 address or an IPv6 /64; <username> is normalized, real or not.
-- The old per-username counters are dropped: they expire within 15 minutes anyway.
DROP TABLE login_attempts;
CREATE TABLE login_attempts (
    throttle_key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    -- No attempt under this key is taken before this moment (NULL: no back-off).
    retry_at TIMESTAMP
);
-- For sweeping rows whose failures are forgotten.
CREATE INDEX login_attempts_last_failure ON login_attempts (last_failure_at);
