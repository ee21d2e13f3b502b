-- The programme around the subsidy brings two roles: 'advisor' (staff of the
-- テレワーク相談センター: consultations, consulting, seminars) and 'judge'
-- (a screener of 輝くテレワーク賞).
-- (The same roles as migrations/sqlite/0016_programme_roles.sql.)
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('employer', 'agent', 'officer', 'admin', 'advisor', 'judge'));
