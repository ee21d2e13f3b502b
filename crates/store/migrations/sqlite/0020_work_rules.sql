-- モデル就業規則: the テレワーク勤務規程 drafts made on a case from the
-- questionnaire. A draft keeps the answers it was made from (JSON), so that
-- the same document can be made again, and the SHA-256 of the file made;
-- once the employer confirms the rules were adopted, the day (adopted_on) and
-- who confirmed it. Each is audited on its case in the same transaction.
-- (The same schema as migrations/postgres/0020_work_rules.sql.)
CREATE TABLE work_rules_drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    answers_json TEXT NOT NULL,
    file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    adopted_on TEXT,
    adopted_by BIGINT REFERENCES users (id),
    adopted_at TEXT
);
CREATE INDEX work_rules_drafts_case ON work_rules_drafts (case_id);
