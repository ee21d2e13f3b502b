-- Each case's evaluation as of a day, so that lists, the queue, deadlines and
-- exports read one row per case instead of running the engine. A snapshot is
-- valid only for the case version, the day and the engine (with its overlay)
-- it was made for; readers refresh the others before they read.
CREATE TABLE case_snapshots (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    case_version BIGINT NOT NULL,
    as_of TEXT NOT NULL,
    engine TEXT NOT NULL,
    regime TEXT,
    equipment_status TEXT CHECK (equipment_status IN ('payable', 'not_payable', 'pending')),
    equipment_yen BIGINT NOT NULL DEFAULT 0 CHECK (equipment_yen >= 0),
    goal_status TEXT CHECK (goal_status IN ('payable', 'not_payable', 'pending')),
    goal_yen BIGINT NOT NULL DEFAULT 0 CHECK (goal_yen >= 0),
    deadline_date TEXT,
    deadline_json TEXT,
    input_error TEXT
);
CREATE INDEX case_snapshots_deadline ON case_snapshots (deadline_date);
