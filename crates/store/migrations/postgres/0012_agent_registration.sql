-- A 社会保険労務士's particulars for the documents they submit for an
-- employer: the registration number (登録番号, the number on the 社会保険労務士
-- 証票, 1–10 digits) and the office (事務所名, one line of at most 100
-- characters). Both optional (NULL: not given); checked by
-- josei_app::users::check_agent_particulars before they are stored.
-- (The same schema as migrations/sqlite/0012_agent_registration.sql.)
ALTER TABLE users ADD COLUMN registration_number TEXT CHECK (registration_number IS NULL OR registration_number ~ '^[0-9]{1,10}$');
ALTER TABLE users ADD COLUMN office_name TEXT CHECK (office_name IS NULL OR char_length(office_name) BETWEEN 1 AND 100);
