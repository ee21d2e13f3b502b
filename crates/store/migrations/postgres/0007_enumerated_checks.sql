-- Every enumerated column refuses values outside its list (the Rust enums
-- and fixed lists that write them are named beside each CHECK), and every
-- 0/1 flag refuses anything but 0 and 1. users.role, case_measures.kind and
-- the case_snapshots verdicts were checked from the start. Constraints are
-- named as PostgreSQL names a column's own CHECK (<table>_<column>_check).
-- Adding one checks the rows already there: any row outside its list stops
-- the migration and leaves the database as it was.

-- organizations: industry = josei_rules::model::Industry,
-- telework_status = josei_rules::model::TeleworkStatus.
ALTER TABLE organizations
    ADD CONSTRAINT organizations_industry_check CHECK (industry IN ('retail', 'service', 'wholesale', 'other')),
    ADD CONSTRAINT organizations_telework_status_check CHECK (telework_status IN ('none', 'trial_ongoing', 'trial_ended', 'established', 'expanding')),
    ADD CONSTRAINT organizations_employment_insurance_check CHECK (employment_insurance IN (0, 1)),
    ADD CONSTRAINT organizations_work_rules_have_telework_check CHECK (work_rules_have_telework IN (0, 1)),
    ADD CONSTRAINT organizations_received_telework_subsidy_check CHECK (received_telework_subsidy IN (0, 1));

-- users: role = josei_store::Role (checked since version 1); prefecture is a
-- JIS X 0401 code, as for organizations.
ALTER TABLE users
    ADD CONSTRAINT users_prefecture_check CHECK (prefecture BETWEEN 1 AND 47),
    ADD CONSTRAINT users_disabled_check CHECK (disabled IN (0, 1));

-- login_attempts: success is a flag.
ALTER TABLE login_attempts
    ADD CONSTRAINT login_attempts_success_check CHECK (success IN (0, 1));

-- cases: status = josei_store::Status (workflow.rs).
ALTER TABLE cases
    ADD CONSTRAINT cases_status_check CHECK (status IN ('draft', 'plan_submitted', 'plan_returned', 'plan_rejected', 'plan_certified', 'evaluation', 'equipment_filed', 'equipment_granted', 'equipment_denied', 'goal_tracking', 'goal_filed', 'goal_granted', 'goal_denied', 'closed', 'withdrawn'));

-- case_target_workers: employment = josei_rules::model::Employment.
ALTER TABLE case_target_workers
    ADD CONSTRAINT case_target_workers_employment_check CHECK (employment IN ('direct', 'dispatched'));

-- case_telework: place = josei_rules::model::Place.
ALTER TABLE case_telework
    ADD CONSTRAINT case_telework_place_check CHECK (place IN ('home', 'satellite_office', 'mobile', 'office'));

-- case_roster: leave_reason = josei_rules::model::LeaveReason (NULL: still employed).
ALTER TABLE case_roster
    ADD CONSTRAINT case_roster_leave_reason_check CHECK (leave_reason IN ('voluntary', 'dismissal', 'serious_misconduct_dismissal', 'mandatory_retirement', 'promoted_to_officer', 'contract_end', 'other'));

-- case_expenses: category = josei_rules::model::ExpenseCategory.
ALTER TABLE case_expenses
    ADD CONSTRAINT case_expenses_category_check CHECK (category IN ('network_equipment', 'server_equipment', 'nas_equipment', 'security_equipment', 'web_conference_equipment', 'satellite_office_fee', 'telework_service_initial', 'telework_service_fee', 'manager_training', 'worker_training', 'consulting', 'work_rules', 'travel', 'pc_tablet_smartphone', 'pc_rental_lease', 'other'));

-- decisions: kind is the subsidy decided on, outcome the decision, and
-- engine_status = josei_rules::evaluate::SubsidyStatus (server: decide).
ALTER TABLE decisions
    ADD CONSTRAINT decisions_kind_check CHECK (kind IN ('equipment', 'goal')),
    ADD CONSTRAINT decisions_outcome_check CHECK (outcome IN ('granted', 'denied')),
    ADD CONSTRAINT decisions_engine_status_check CHECK (engine_status IN ('payable', 'not_payable', 'pending')),
    ADD CONSTRAINT decisions_overrides_engine_check CHECK (overrides_engine IN (0, 1));

-- attachments: kind as the server accepts it (store_attachment).
ALTER TABLE attachments
    ADD CONSTRAINT attachments_kind_check CHECK (kind IN ('work_rules', 'receipt', 'invoice', 'other'));

-- audit_log: entity is one of the kinds the store audits (audit.rs). Adding a
-- constraint changes no row, so the append-only triggers stay as they are.
ALTER TABLE audit_log
    ADD CONSTRAINT audit_log_entity_check CHECK (entity IN ('user', 'organization', 'case', 'setting'));
