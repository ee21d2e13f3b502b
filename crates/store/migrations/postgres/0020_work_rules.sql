-- モデル就業規則: questionnaire → テレワーク勤務規程 draft (.docx), recorded on a case.
-- (Placeholder of the programme skeleton, to be filled by its area.)
SELECT 1;
