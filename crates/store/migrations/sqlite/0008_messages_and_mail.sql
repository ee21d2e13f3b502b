-- Decisions reach the applicant side: users' e-mail addresses, the 連絡
-- thread of each case, in-app notifications and the outbox of e-mails.
-- (The same schema as migrations/postgres/0008_messages_and_mail.sql.)

-- One address (checked by josei_app::mail::validate_email), at most 254
-- characters (RFC 5321); NULL: in-app notifications only.
ALTER TABLE users ADD COLUMN email TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254);

-- The 連絡 thread: what the applicant side (employer, 社労士) and the labour
-- bureau write to each other about one case. Only ever added (each post is
-- audited on the case).
CREATE TABLE case_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    created_at TEXT NOT NULL
);
CREATE INDEX case_messages_case ON case_messages (case_id, id);

-- In-app notifications. kind = josei_store::NotificationKind. dedupe_key
-- (NULL for one-off events) makes a deadline reminder unique per case,
-- deadline, date, days before and user, across restarts and servers.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    case_id BIGINT REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('granted', 'denied', 'plan_certified', 'plan_returned', 'plan_rejected', 'message', 'reminder')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    dedupe_key TEXT UNIQUE
);
CREATE INDEX notifications_user ON notifications (user_id, read_at);

-- E-mails to send, written with their notification in one transaction.
-- dedupe_key is unique: a mail is queued once, whatever happens. A sender
-- claims a row by moving next_attempt_at_ms forward (several servers never
-- send the same row at once); sent_at is set once the relay accepted it.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    to_address TEXT NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link_path TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('granted', 'denied', 'plan_certified', 'plan_returned', 'plan_rejected', 'message', 'reminder')),
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    attempts BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at_ms BIGINT NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, next_attempt_at_ms);
