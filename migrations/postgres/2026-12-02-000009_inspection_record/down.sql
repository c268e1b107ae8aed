ALTER TABLE rounds DROP COLUMN plan_date;
ALTER TABLE rounds DROP COLUMN plan_number;
ALTER TABLE inspections DROP COLUMN attendees;
ALTER TABLE inspections DROP COLUMN members;
ALTER TABLE inspections DROP COLUMN held_at;
ALTER TABLE inspections DROP COLUMN place;
