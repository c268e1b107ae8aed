ALTER TABLE devices DROP COLUMN wm_base;
