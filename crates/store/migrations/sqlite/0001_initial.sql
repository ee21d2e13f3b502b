-- josei schema, version 1 (SQLite). Keys are INTEGER PRIMARY KEY AUTOINCREMENT,
-- binary data BLOB; migrations/postgres/ holds the same schema for PostgreSQL.
-- Every integer is BIGINT so that both decode as i64; booleans are 0/1; dates
-- are ISO text (YYYY-MM-DD); instants are RFC 3339 text in UTC.

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    prefecture BIGINT NOT NULL CHECK (prefecture BETWEEN 1 AND 47),
    industry TEXT NOT NULL,
    capital_yen BIGINT,
    regular_employees BIGINT NOT NULL,
    employment_insurance BIGINT NOT NULL,
    telework_status TEXT NOT NULL,
    work_rules_have_telework BIGINT NOT NULL,
    received_telework_subsidy BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('employer', 'agent', 'officer', 'admin')),
    organization_id BIGINT REFERENCES organizations (id),
    prefecture BIGINT,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE delegations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    agent_user_id BIGINT NOT NULL REFERENCES users (id),
    granted_by BIGINT NOT NULL REFERENCES users (id),
    granted_at TEXT NOT NULL,
    revoked_by BIGINT REFERENCES users (id),
    revoked_at TEXT
);
CREATE INDEX delegations_agent ON delegations (agent_user_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    success BIGINT NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts (username, at_ms);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    regime TEXT,
    submitted_on TEXT,
    certified_on TEXT,
    work_rules_established_on TEXT,
    evaluation_start TEXT,
    equipment_application_filed_on TEXT,
    goal_application_filed_on TEXT,
    productivity_json TEXT,
    employer_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_org ON cases (organization_id);

CREATE TABLE case_target_workers (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    worker_id TEXT NOT NULL,
    employment TEXT NOT NULL,
    PRIMARY KEY (case_id, worker_id)
);

CREATE TABLE case_telework (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    worker_id TEXT NOT NULL,
    day TEXT NOT NULL,
    place TEXT NOT NULL,
    PRIMARY KEY (case_id, worker_id, day)
);

CREATE TABLE case_roster (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    worker_id TEXT NOT NULL,
    hired_on TEXT NOT NULL,
    left_on TEXT,
    leave_reason TEXT,
    PRIMARY KEY (case_id, seq)
);

CREATE TABLE case_expenses (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    expense_id TEXT NOT NULL,
    category TEXT NOT NULL,
    amount_yen BIGINT NOT NULL,
    delivered_on TEXT,
    paid_on TEXT,
    travel_for TEXT,
    description TEXT,
    PRIMARY KEY (case_id, seq)
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    decided_by BIGINT NOT NULL REFERENCES users (id),
    decided_at TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    regime TEXT NOT NULL,
    engine_status TEXT NOT NULL,
    engine_amount_yen BIGINT NOT NULL,
    decided_amount_yen BIGINT NOT NULL,
    overrides_engine BIGINT NOT NULL,
    reason TEXT,
    evaluation_json TEXT NOT NULL
);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
