-- Inputs added for every fiscal year of the course (shared/spec/regimes.md):
-- 職場風土作り, the growth count of expanding employers, 賃金要件, the measures of
-- the no-plan regimes, and per item the other-subsidy flag and the months a
-- payment covers. Decisions also record the assumptions they rested on and the
-- regime overlay in force.
ALTER TABLE cases ADD COLUMN climate_top_message_on TEXT;
ALTER TABLE cases ADD COLUMN climate_case_sharing_on TEXT;
ALTER TABLE cases ADD COLUMN telework_before_count BIGINT CHECK (telework_before_count >= 0);
ALTER TABLE cases ADD COLUMN wage_increase_json TEXT;
ALTER TABLE case_expenses ADD COLUMN funded_by_other_subsidy BIGINT NOT NULL DEFAULT 0 CHECK (funded_by_other_subsidy IN (0, 1));
ALTER TABLE case_expenses ADD COLUMN months BIGINT CHECK (months >= 1);
CREATE TABLE case_measures (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('work_rules_expansion', 'consulting', 'manager_training', 'worker_training')),
    done_on TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
ALTER TABLE decisions ADD COLUMN assumptions_json TEXT;
ALTER TABLE decisions ADD COLUMN overlay_sha256 TEXT;
