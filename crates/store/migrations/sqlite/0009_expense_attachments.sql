-- The plan editor (area B): receipts and invoices attached to one expense
-- item, and the names people know their target workers by.
-- (The same schema as migrations/postgres/0009_expense_attachments.sql.)

-- The expense item (its `id` in the case document, `expenses[].id`) a
-- receipt or invoice belongs to; NULL: attached to the case as a whole.
ALTER TABLE attachments ADD COLUMN expense_ref TEXT CHECK (expense_ref IS NULL OR length(expense_ref) BETWEEN 1 AND 100);
CREATE INDEX attachments_expense ON attachments (case_id, expense_ref);

-- A target worker's name (氏名) and employee number (社員番号) as the employer
-- typed them (`plan.target_workers[].name` / `.employee_number`; fields the
-- case format allows beside `id` and `employment`, which the engine ignores).
-- NULL: not given (documents stored before this version, or the API).
ALTER TABLE case_target_workers ADD COLUMN name TEXT CHECK (name IS NULL OR length(name) BETWEEN 1 AND 100);
ALTER TABLE case_target_workers ADD COLUMN employee_number TEXT CHECK (employee_number IS NULL OR length(employee_number) BETWEEN 1 AND 30);
