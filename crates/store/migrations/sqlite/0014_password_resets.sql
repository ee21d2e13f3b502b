-- Password resets by e-mail: an administrator (or the creation of an account
-- without a password) sends a user a one-time link. Only the SHA-256 of the
-- link's token is kept; a reset lives 24 hours and is spent by its first use
-- (used_at). Issuing a new one for the user ends the ones before it.
-- (The same schema as migrations/postgres/0014_password_resets.sql.)
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- The outbox carries the reset mail too (kind 'password_reset'). SQLite
-- cannot change a CHECK in place: the table is rebuilt with its rows.
CREATE TABLE mail_outbox_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    to_address TEXT NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link_path TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('granted', 'denied', 'plan_certified', 'plan_returned', 'plan_rejected', 'message', 'reminder', 'password_reset')),
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    attempts BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at_ms BIGINT NOT NULL DEFAULT 0,
    last_error TEXT
);
INSERT INTO mail_outbox_new (id, to_address, subject, body, link_path, kind, dedupe_key, created_at, sent_at, attempts, next_attempt_at_ms, last_error)
    SELECT id, to_address, subject, body, link_path, kind, dedupe_key, created_at, sent_at, attempts, next_attempt_at_ms, last_error FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, next_attempt_at_ms);
