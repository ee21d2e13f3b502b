-- Seminars and 個別相談会 of the テレワーク相談センター (events), the public's
-- registrations with their waiting list and attendance, and the materials
-- (事例集 and the like) offered for download. A registration keeps only the
-- SHA-256 of its cancellation link's token. An e-mail address registers once
-- per event while its registration stands (a partial unique index: a
-- cancelled one may register again).
-- (The same schema as migrations/postgres/0018_events.sql.)
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    kind TEXT NOT NULL CHECK (kind IN ('seminar', 'consultation')),
    audience TEXT NOT NULL CHECK (audience IN ('managers', 'workers')),
    prefecture BIGINT CHECK (prefecture BETWEEN 1 AND 47),
    format TEXT NOT NULL CHECK (format IN ('online', 'on_site')),
    venue TEXT CHECK (venue IS NULL OR length(venue) BETWEEN 1 AND 200),
    starts_at TEXT NOT NULL CHECK (length(starts_at) = 16),
    ends_at TEXT NOT NULL CHECK (length(ends_at) = 16 AND ends_at > starts_at),
    capacity BIGINT NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    description TEXT NOT NULL CHECK (length(description) <= 4000),
    registration_deadline TEXT NOT NULL CHECK (length(registration_deadline) = 10),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cancelled')),
    created_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX events_starts ON events (status, starts_at);

CREATE TABLE event_registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    company TEXT NOT NULL CHECK (length(company) <= 200),
    email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    email_key TEXT NOT NULL CHECK (length(email_key) BETWEEN 3 AND 254),
    prefecture BIGINT CHECK (prefecture BETWEEN 1 AND 47),
    status TEXT NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled', 'attended')),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX event_registrations_event ON event_registrations (event_id, status, id);
CREATE UNIQUE INDEX event_registrations_once ON event_registrations (event_id, email_key) WHERE status <> 'cancelled';

CREATE TABLE event_materials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events (id),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    filename TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size_bytes BIGINT NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    data BLOB NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    uploaded_at TEXT NOT NULL
);
CREATE INDEX event_materials_event ON event_materials (event_id, id);

-- The outbox carries the registrants' mails too (kind 'event_registration').
-- SQLite cannot change a CHECK in place: the table is rebuilt with its rows.
CREATE TABLE mail_outbox_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    to_address TEXT NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link_path TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('granted', 'denied', 'plan_certified', 'plan_returned', 'plan_rejected', 'message', 'reminder', 'password_reset', 'event_registration')),
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    attempts BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at_ms BIGINT NOT NULL DEFAULT 0,
    last_error TEXT
);
INSERT INTO mail_outbox_new (id, to_address, subject, body, link_path, kind, dedupe_key, created_at, sent_at, attempts, next_attempt_at_ms, last_error)
    SELECT id, to_address, subject, body, link_path, kind, dedupe_key, created_at, sent_at, attempts, next_attempt_at_ms, last_error FROM mail_outbox;
DELETE FROM sqlite_sequence WHERE name = 'mail_outbox_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'mail_outbox_new', seq FROM sqlite_sequence WHERE name = 'mail_outbox';
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, next_attempt_at_ms);

-- audit_log: events are audited too (entity 'event'; the list keeps 0017's
-- 'consultation' and 'consulting'). The copy is an
-- INSERT, which the append-only triggers allow; they go with the old table
-- and are made again on the new one, unchanged (as in 0007).
CREATE TABLE new_audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('user', 'organization', 'case', 'setting', 'consultation', 'consulting', 'event')),
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
INSERT INTO new_audit_log (id, at, user_id, action, entity, entity_id, before_json, after_json)
    SELECT id, at, user_id, action, entity, entity_id, before_json, after_json FROM audit_log;
DELETE FROM sqlite_sequence WHERE name = 'new_audit_log';
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_audit_log', seq FROM sqlite_sequence WHERE name = 'audit_log';
DROP TABLE audit_log;
ALTER TABLE new_audit_log RENAME TO audit_log;
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
