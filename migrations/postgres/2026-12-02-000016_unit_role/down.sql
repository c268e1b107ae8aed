DROP TABLE self_answers;
DROP TABLE self_assessments;
DELETE FROM users WHERE role = 'unit';
ALTER TABLE users DROP CONSTRAINT users_unit_check;
ALTER TABLE users DROP COLUMN unit_id;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'lead', 'inspector', 'viewer'));
