-- The day a decision takes effect as the officer entered it (支給決定日 /
-- 不支給決定日, ISO `YYYY-MM-DD`, never after the day it was recorded), and
-- what the officer left out of the decision (査定: expense items and telework
-- days, each with a reason; a JSON array, `[]` when nothing). Earlier
-- decisions took effect on the day they were recorded.
ALTER TABLE decisions ADD COLUMN decided_on TEXT;
ALTER TABLE decisions ADD COLUMN exclusions_json TEXT NOT NULL DEFAULT '[]';
UPDATE decisions SET decided_on = substr(decided_at, 1, 10) WHERE decided_on IS NULL;
