-- 輝くテレワーク賞: applications, screening by judges, results, public winners.
-- (Placeholder of the programme skeleton, to be filled by its area.)
SELECT 1;
