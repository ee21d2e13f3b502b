-- The case page (area C): the documents checklist names every document a
-- filing needs, so an attachment says which one it is. New kinds beside
-- work_rules, receipt, invoice and other:
--   work_rules_notice  就業規則の届出・労働者代表の意見書
--   roster             労働者名簿
--   attendance         出勤簿・タイムカード・テレワーク実施記録
--   wage_ledger        賃金台帳
--   climate            職場風土作りの記録（トップメッセージ・事例の周知）
--   training           研修・コンサルティングの記録
-- SQLite cannot change a CHECK in place: the table is rebuilt with the same
-- columns (expense_ref from version 9 included), ids and index.
-- (The same kinds as migrations/postgres/0010_document_kinds.sql.)
CREATE TABLE new_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('work_rules', 'receipt', 'invoice', 'other', 'work_rules_notice', 'roster', 'attendance', 'wage_ledger', 'climate', 'training')),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL,
    expense_ref TEXT CHECK (expense_ref IS NULL OR length(expense_ref) BETWEEN 1 AND 100)
);
INSERT INTO new_attachments (id, case_id, kind, filename, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at, expense_ref)
    SELECT id, case_id, kind, filename, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at, expense_ref FROM attachments;
DELETE FROM sqlite_sequence WHERE name = 'new_attachments';
INSERT INTO sqlite_sequence (name, seq) SELECT 'new_attachments', seq FROM sqlite_sequence WHERE name = 'attachments';
DROP TABLE attachments;
ALTER TABLE new_attachments RENAME TO attachments;
CREATE INDEX attachments_expense ON attachments (case_id, expense_ref);

-- Every foreign key still holds (a violation fails the CHECK and rolls back).
CREATE TEMP TABLE foreign_key_violations (n BIGINT NOT NULL CHECK (n = 0));
INSERT INTO foreign_key_violations (n) SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE foreign_key_violations;
