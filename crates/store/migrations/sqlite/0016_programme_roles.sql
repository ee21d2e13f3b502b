-- The programme around the subsidy brings two roles: 'advisor' (staff of the
-- テレワーク相談センター: consultations, consulting, seminars) and 'judge'
-- (a screener of 輝くテレワーク賞). SQLite cannot change a CHECK in place: the
-- users table is rebuilt with its rows, as in 0007 (foreign keys are off
-- while migrating; see db.rs).
-- (The same roles as migrations/postgres/0016_programme_roles.sql.)
CREATE TABLE new_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('employer', 'agent', 'officer', 'admin', 'advisor', 'judge')),
    organization_id BIGINT REFERENCES organizations (id),
    prefecture BIGINT CHECK (prefecture BETWEEN 1 AND 47),
    disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL,
    email TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254),
    registration_number TEXT CHECK (registration_number IS NULL OR (length(registration_number) BETWEEN 1 AND 10 AND registration_number NOT GLOB '*[^0-9]*')),
    office_name TEXT CHECK (office_name IS NULL OR length(office_name) BETWEEN 1 AND 100)
);
INSERT INTO new_users (id, username, display_name, password_hash, role, organization_id, prefecture, disabled, created_at, email, registration_number, office_name)
    SELECT id, username, display_name, password_hash, role, organization_id, prefecture, disabled, created_at, email, registration_number, office_name FROM users;
DELETE FROM sqlite_sequence WHERE name = 'new_users';
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_users', seq FROM sqlite_sequence WHERE name = 'users';
DROP TABLE users;
ALTER TABLE new_users RENAME TO users;
-- Every foreign key still holds (a violation fails the CHECK and rolls back).
CREATE TEMP TABLE foreign_key_violations (n BIGINT NOT NULL CHECK (n = 0));
INSERT INTO foreign_key_violations (n) SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE foreign_key_violations;
