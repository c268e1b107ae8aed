DROP TABLE login_attempts;
DROP TABLE refresh_tokens;
DROP TABLE devices;
DROP TABLE users;
