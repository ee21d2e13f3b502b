-- A 社会保険労務士's particulars for the documents they submit for an
-- employer: the registration number (登録番号, the number on the 社会保険労務士
-- 証票, 1–10 digits) and the office (事務所名, one line of at most 100
-- characters). Both optional (NULL: not given); checked by
-- josei_app::users::check_agent_particulars before they are stored.
-- (The same schema as migrations/postgres/0012_agent_registration.sql.)
ALTER TABLE users ADD COLUMN registration_number TEXT CHECK (registration_number IS NULL OR (length(registration_number) BETWEEN 1 AND 10 AND registration_number NOT GLOB '*[^0-9]*'));
ALTER TABLE users ADD COLUMN office_name TEXT CHECK (office_name IS NULL OR length(office_name) BETWEEN 1 AND 100);
