DROP TABLE notifications;
ALTER TABLE users DROP COLUMN email;
ALTER TABLE assignments DROP COLUMN due_on;
