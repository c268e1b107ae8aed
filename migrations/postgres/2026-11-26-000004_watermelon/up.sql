-- WatermelonDB clients send no base versions; the server remembers, per device, the change-log
-- position its local state was last reconciled at (first pull, then each successful push).
-- Edits it pushes to rows that others changed after that point are kept as conflicts.
ALTER TABLE devices ADD COLUMN wm_base BIGINT;
