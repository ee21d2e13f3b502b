-- テレワーク相談センター: consultations (counter, phone, e-mail) and consulting
-- by テレワークマネージャー (requests, assignment, visits). The audit log
-- gains two entities: 'consultation' and 'consulting' (a request).
-- (The same schema as migrations/postgres/0017_consultations.sql.)

-- consultations: one enquiry at the counter, by phone or by e-mail; an
-- existing organisation or a free-text enquirer (enquirer_name), the
-- answer, the follow-up and the partner it was referred to; case_id is the
-- application it led to.
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_on TEXT NOT NULL CHECK (length(received_on) = 10),
    channel TEXT NOT NULL CHECK (channel IN ('counter', 'phone', 'email')),
    organization_id BIGINT REFERENCES organizations (id),
    enquirer_name TEXT CHECK (enquirer_name IS NULL OR length(enquirer_name) BETWEEN 1 AND 100),
    enquirer_contact TEXT CHECK (enquirer_contact IS NULL OR length(enquirer_contact) <= 200),
    prefecture BIGINT CHECK (prefecture IS NULL OR prefecture BETWEEN 1 AND 47),
    industry TEXT CHECK (industry IS NULL OR industry IN ('retail', 'service', 'wholesale', 'other')),
    special_zone BIGINT NOT NULL DEFAULT 0 CHECK (special_zone IN (0, 1)),
    question TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 4000),
    answer TEXT NOT NULL DEFAULT '' CHECK (length(answer) <= 4000),
    follow_up_on TEXT CHECK (follow_up_on IS NULL OR length(follow_up_on) = 10),
    followed_up_on TEXT CHECK (followed_up_on IS NULL OR length(followed_up_on) = 10),
    follow_up_note TEXT NOT NULL DEFAULT '' CHECK (length(follow_up_note) <= 2000),
    referral TEXT CHECK (referral IS NULL OR referral IN ('labour_bureau', 'work_style_centre', 'municipality', 'chamber_of_commerce', 'sharoushi_association')),
    case_id BIGINT REFERENCES cases (id),
    advisor_id BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (organization_id IS NOT NULL OR enquirer_name IS NOT NULL)
);
CREATE INDEX consultations_follow_up ON consultations (follow_up_on);
CREATE INDEX consultations_organization ON consultations (organization_id);

-- The topics of a consultation (one row each).
CREATE TABLE consultation_topics (
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    topic TEXT NOT NULL CHECK (topic IN ('labour_management', 'ict', 'subsidy', 'security', 'work_rules', 'other')),
    PRIMARY KEY (consultation_id, topic)
);

-- consulting_requests: an employer asks for a テレワークマネージャー
-- (manager_id: an advisor account); 受付 → 担当決定 → 訪問済み → 完了.
CREATE TABLE consulting_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    request TEXT NOT NULL CHECK (length(request) BETWEEN 1 AND 2000),
    preferred_mode TEXT CHECK (preferred_mode IS NULL OR preferred_mode IN ('online', 'on_site')),
    status TEXT NOT NULL CHECK (status IN ('received', 'assigned', 'visited', 'completed')),
    manager_id BIGINT REFERENCES users (id),
    requested_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX consulting_requests_organization ON consulting_requests (organization_id);

-- A visit of the manager (online or on site), its report and outcome.
CREATE TABLE consulting_visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES consulting_requests (id),
    visited_on TEXT NOT NULL CHECK (length(visited_on) = 10),
    mode TEXT NOT NULL CHECK (mode IN ('online', 'on_site')),
    report TEXT NOT NULL CHECK (length(report) BETWEEN 1 AND 4000),
    outcome TEXT NOT NULL DEFAULT '' CHECK (length(outcome) <= 2000),
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX consulting_visits_request ON consulting_visits (request_id);

-- audit_log: the entity CHECK gains 'consultation' and 'consulting'. SQLite
-- cannot change a CHECK in place: the table is rebuilt as in 0007 (the copy
-- is an INSERT, which the append-only triggers allow; they are made again).
CREATE TABLE new_audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('user', 'organization', 'case', 'setting', 'consultation', 'consulting')),
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
