-- The biên bản kiểm tra (docs/reports.md) records when and where the team met the unit and
-- who sat on each side; these are the inspection's own fields, merged per field like the
-- findings (field_meta) and synced to devices. members and attendees are JSON arrays of
-- {"name": …, "title": …} objects, in the order they are printed.
ALTER TABLE inspections ADD COLUMN place TEXT;
ALTER TABLE inspections ADD COLUMN held_at TIMESTAMP;
ALTER TABLE inspections ADD COLUMN members TEXT;
ALTER TABLE inspections ADD COLUMN attendees TEXT;
-- The plan a round carries out, cited by every document's opening line
-- ("Thực hiện Kế hoạch số 125/KH-BCĐ ngày 05/3/2026 của Ban Chỉ đạo …").
ALTER TABLE rounds ADD COLUMN plan_number TEXT;
ALTER TABLE rounds ADD COLUMN plan_date DATE;
