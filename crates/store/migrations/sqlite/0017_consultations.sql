-- テレワーク相談センター: consultations (counter, phone, e-mail) and consulting by テレワークマネージャー, with outreach lists.
-- (Placeholder of the programme skeleton, to be filled by its area.)
SELECT 1;
