-- Every enumerated column refuses values outside its list (the Rust enums
-- and fixed lists that write them are named beside each CHECK), and every
-- 0/1 flag refuses anything but 0 and 1. users.role, case_measures.kind and
-- the case_snapshots verdicts were checked from the start.
--
-- SQLite cannot add a CHECK to an existing column, so each table is rebuilt
-- as SQLite documents it (https://www.sqlite.org/lang_altertable.html#otheralter):
-- create new_X with the constraints, copy the rows, carry over the
-- AUTOINCREMENT high-water mark, drop X, rename new_X to X, then recreate
-- X's indexes and triggers. The migrating connection runs with foreign keys
-- off (see db.rs), as a rebuild needs: dropping `cases` must neither cascade
-- to nor orphan the rows that reference it. The last statements check every
-- foreign key, so that a violation rolls the whole migration back.
-- Any row already outside its list stops the migration (CHECK constraint
-- failed) and leaves the database as it was.

-- organizations: industry = josei_rules::model::Industry,
-- telework_status = josei_rules::model::TeleworkStatus.
CREATE TABLE new_organizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    prefecture BIGINT NOT NULL CHECK (prefecture BETWEEN 1 AND 47),
    industry TEXT NOT NULL CHECK (industry IN ('retail', 'service', 'wholesale', 'other')),
    capital_yen BIGINT,
    regular_employees BIGINT NOT NULL,
    employment_insurance BIGINT NOT NULL CHECK (employment_insurance IN (0, 1)),
    telework_status TEXT NOT NULL CHECK (telework_status IN ('none', 'trial_ongoing', 'trial_ended', 'established', 'expanding')),
    work_rules_have_telework BIGINT NOT NULL CHECK (work_rules_have_telework IN (0, 1)),
    received_telework_subsidy BIGINT NOT NULL CHECK (received_telework_subsidy IN (0, 1)),
    created_at TEXT NOT NULL
);
INSERT INTO new_organizations (id, name, prefecture, industry, capital_yen, regular_employees, employment_insurance, telework_status, work_rules_have_telework, received_telework_subsidy, created_at)
    SELECT id, name, prefecture, industry, capital_yen, regular_employees, employment_insurance, telework_status, work_rules_have_telework, received_telework_subsidy, created_at FROM organizations;
DELETE FROM sqlite_sequence WHERE name = 'new_organizations';
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_organizations', seq FROM sqlite_sequence WHERE name = 'organizations';
DROP TABLE organizations;
ALTER TABLE new_organizations RENAME TO organizations;
CREATE INDEX organizations_prefecture ON organizations (prefecture);

-- users: role = josei_store::Role (checked since version 1); prefecture is a
-- JIS X 0401 code, as for organizations.
CREATE TABLE new_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('employer', 'agent', 'officer', 'admin')),
    organization_id BIGINT REFERENCES organizations (id),
    prefecture BIGINT CHECK (prefecture BETWEEN 1 AND 47),
    disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL
);
INSERT INTO new_users (id, username, display_name, password_hash, role, organization_id, prefecture, disabled, created_at)
    SELECT id, username, display_name, password_hash, role, organization_id, prefecture, disabled, created_at FROM users;
DELETE FROM sqlite_sequence WHERE name = 'new_users';
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_users', seq FROM sqlite_sequence WHERE name = 'users';
DROP TABLE users;
ALTER TABLE new_users RENAME TO users;

-- login_attempts: success is a flag.
CREATE TABLE new_login_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    success BIGINT NOT NULL CHECK (success IN (0, 1))
);
INSERT INTO new_login_attempts (id, username, client, at_ms, success)
    SELECT id, username, client, at_ms, success FROM login_attempts;
DELETE FROM sqlite_sequence WHERE name = 'new_login_attempts';
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_login_attempts', seq FROM sqlite_sequence WHERE name = 'login_attempts';
DROP TABLE login_attempts;
ALTER TABLE new_login_attempts RENAME TO login_attempts;
CREATE INDEX login_attempts_user ON login_attempts (username, at_ms);

-- cases: status = josei_store::Status (workflow.rs).
CREATE TABLE new_cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'plan_submitted', 'plan_returned', 'plan_rejected', 'plan_certified', 'evaluation', 'equipment_filed', 'equipment_granted', 'equipment_denied', 'goal_tracking', 'goal_filed', 'goal_granted', 'goal_denied', 'closed', 'withdrawn')),
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
    updated_at TEXT NOT NULL,
    climate_top_message_on TEXT,
    climate_case_sharing_on TEXT,
    telework_before_count BIGINT CHECK (telework_before_count >= 0),
    wage_increase_json TEXT
);
INSERT INTO new_cases (id, organization_id, title, status, version, regime, submitted_on, certified_on, work_rules_established_on, evaluation_start, equipment_application_filed_on, goal_application_filed_on, productivity_json, employer_json, created_at, updated_at, climate_top_message_on, climate_case_sharing_on, telework_before_count, wage_increase_json)
    SELECT id, organization_id, title, status, version, regime, submitted_on, certified_on, work_rules_established_on, evaluation_start, equipment_application_filed_on, goal_application_filed_on, productivity_json, employer_json, created_at, updated_at, climate_top_message_on, climate_case_sharing_on, telework_before_count, wage_increase_json FROM cases;
DELETE FROM sqlite_sequence WHERE name = 'new_cases';
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_cases', seq FROM sqlite_sequence WHERE name = 'cases';
DROP TABLE cases;
ALTER TABLE new_cases RENAME TO cases;
CREATE INDEX cases_org ON cases (organization_id);
CREATE INDEX cases_org_status ON cases (organization_id, status);

-- case_target_workers: employment = josei_rules::model::Employment.
CREATE TABLE new_case_target_workers (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    worker_id TEXT NOT NULL,
    employment TEXT NOT NULL CHECK (employment IN ('direct', 'dispatched')),
    PRIMARY KEY (case_id, worker_id)
);
INSERT INTO new_case_target_workers (case_id, seq, worker_id, employment)
    SELECT case_id, seq, worker_id, employment FROM case_target_workers;
DROP TABLE case_target_workers;
ALTER TABLE new_case_target_workers RENAME TO case_target_workers;

-- case_telework: place = josei_rules::model::Place.
CREATE TABLE new_case_telework (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    worker_id TEXT NOT NULL,
    day TEXT NOT NULL,
    place TEXT NOT NULL CHECK (place IN ('home', 'satellite_office', 'mobile', 'office')),
    PRIMARY KEY (case_id, worker_id, day)
);
INSERT INTO new_case_telework (case_id, worker_id, day, place)
    SELECT case_id, worker_id, day, place FROM case_telework;
DROP TABLE case_telework;
ALTER TABLE new_case_telework RENAME TO case_telework;

-- case_roster: leave_reason = josei_rules::model::LeaveReason (NULL: still employed).
CREATE TABLE new_case_roster (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    worker_id TEXT NOT NULL,
    hired_on TEXT NOT NULL,
    left_on TEXT,
    leave_reason TEXT CHECK (leave_reason IN ('voluntary', 'dismissal', 'serious_misconduct_dismissal', 'mandatory_retirement', 'promoted_to_officer', 'contract_end', 'other')),
    PRIMARY KEY (case_id, seq)
);
INSERT INTO new_case_roster (case_id, seq, worker_id, hired_on, left_on, leave_reason)
    SELECT case_id, seq, worker_id, hired_on, left_on, leave_reason FROM case_roster;
DROP TABLE case_roster;
ALTER TABLE new_case_roster RENAME TO case_roster;

-- case_expenses: category = josei_rules::model::ExpenseCategory.
CREATE TABLE new_case_expenses (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    expense_id TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('network_equipment', 'server_equipment', 'nas_equipment', 'security_equipment', 'web_conference_equipment', 'satellite_office_fee', 'telework_service_initial', 'telework_service_fee', 'manager_training', 'worker_training', 'consulting', 'work_rules', 'travel', 'pc_tablet_smartphone', 'pc_rental_lease', 'other')),
    amount_yen BIGINT NOT NULL,
    delivered_on TEXT,
    paid_on TEXT,
    travel_for TEXT,
    description TEXT,
    funded_by_other_subsidy BIGINT NOT NULL DEFAULT 0 CHECK (funded_by_other_subsidy IN (0, 1)),
    months BIGINT CHECK (months >= 1),
    PRIMARY KEY (case_id, seq)
);
INSERT INTO new_case_expenses (case_id, seq, expense_id, category, amount_yen, delivered_on, paid_on, travel_for, description, funded_by_other_subsidy, months)
    SELECT case_id, seq, expense_id, category, amount_yen, delivered_on, paid_on, travel_for, description, funded_by_other_subsidy, months FROM case_expenses;
DROP TABLE case_expenses;
ALTER TABLE new_case_expenses RENAME TO case_expenses;

-- decisions: kind is the subsidy decided on, outcome the decision, and
-- engine_status = josei_rules::evaluate::SubsidyStatus (server: decide).
CREATE TABLE new_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('equipment', 'goal')),
    outcome TEXT NOT NULL CHECK (outcome IN ('granted', 'denied')),
    decided_by BIGINT NOT NULL REFERENCES users (id),
    decided_at TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    regime TEXT NOT NULL,
    engine_status TEXT NOT NULL CHECK (engine_status IN ('payable', 'not_payable', 'pending')),
    engine_amount_yen BIGINT NOT NULL,
    decided_amount_yen BIGINT NOT NULL,
    overrides_engine BIGINT NOT NULL CHECK (overrides_engine IN (0, 1)),
    reason TEXT,
    evaluation_json TEXT NOT NULL,
    assumptions_json TEXT,
    overlay_sha256 TEXT
);
INSERT INTO new_decisions (id, case_id, kind, outcome, decided_by, decided_at, engine_version, regime, engine_status, engine_amount_yen, decided_amount_yen, overrides_engine, reason, evaluation_json, assumptions_json, overlay_sha256)
    SELECT id, case_id, kind, outcome, decided_by, decided_at, engine_version, regime, engine_status, engine_amount_yen, decided_amount_yen, overrides_engine, reason, evaluation_json, assumptions_json, overlay_sha256 FROM decisions;
DELETE FROM sqlite_sequence WHERE name = 'new_decisions';
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_decisions', seq FROM sqlite_sequence WHERE name = 'decisions';
DROP TABLE decisions;
ALTER TABLE new_decisions RENAME TO decisions;

-- attachments: kind as the server accepts it (store_attachment).
CREATE TABLE new_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('work_rules', 'receipt', 'invoice', 'other')),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL
);
INSERT INTO new_attachments (id, case_id, kind, filename, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at)
    SELECT id, case_id, kind, filename, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at FROM attachments;
DELETE FROM sqlite_sequence WHERE name = 'new_attachments';
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_attachments', seq FROM sqlite_sequence WHERE name = 'attachments';
DROP TABLE attachments;
ALTER TABLE new_attachments RENAME TO attachments;

-- audit_log: entity is one of the kinds the store audits (audit.rs). The
-- copy is an INSERT, which the append-only triggers allow; they go with the
-- old table and are made again on the new one, unchanged.
CREATE TABLE new_audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('user', 'organization', 'case', 'setting')),
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

-- Every foreign key still holds (a violation fails the CHECK and rolls back).
CREATE TEMP TABLE foreign_key_violations (n BIGINT NOT NULL CHECK (n = 0));
INSERT INTO foreign_key_violations (n) SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE foreign_key_violations;
