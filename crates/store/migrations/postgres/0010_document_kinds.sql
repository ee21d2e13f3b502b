-- The case page (area C): the documents checklist names every document a
-- filing needs, so an attachment says which one it is. New kinds beside
-- work_rules, receipt, invoice and other:
--   work_rules_notice  就業規則の届出・労働者代表の意見書
--   roster             労働者名簿
--   attendance         出勤簿・タイムカード・テレワーク実施記録
--   wage_ledger        賃金台帳
--   climate            職場風土作りの記録（トップメッセージ・事例の周知）
--   training           研修・コンサルティングの記録
-- (The same kinds as migrations/sqlite/0010_document_kinds.sql.)
ALTER TABLE attachments DROP CONSTRAINT attachments_kind_check;
ALTER TABLE attachments
    ADD CONSTRAINT attachments_kind_check CHECK (kind IN ('work_rules', 'receipt', 'invoice', 'other', 'work_rules_notice', 'roster', 'attendance', 'wage_ledger', 'climate', 'training'));
