-- The officers' queue: the day a case was last received by the labour
-- bureau (受付日: a plan submitted, or a 支給申請 filed; set by the store's
-- status transition, `Db::step`) and the officer it is assigned to (担当者;
-- changed by josei_app::queue::assign, each change audited as `case.assign`).
-- Existing cases take their 受付日 from the audit log: the latest step into
-- a bureau-facing status or that recorded a filing day, at that filing day
-- (else the training clock's `on`, else the day of the audit entry).
-- (The same schema as migrations/sqlite/0013_queue.sql.)
ALTER TABLE cases ADD COLUMN received_on TEXT;
ALTER TABLE cases ADD COLUMN assignee_id BIGINT REFERENCES users (id);

UPDATE cases c SET received_on = r.day
FROM (
    SELECT DISTINCT ON (x.entity_id) x.entity_id,
        COALESCE(
            CASE x.j ->> 'status'
                WHEN 'plan_submitted' THEN x.j ->> 'submitted_on'
                WHEN 'equipment_filed' THEN x.j ->> 'equipment_application_filed_on'
                WHEN 'goal_filed' THEN x.j ->> 'goal_application_filed_on'
            END,
            x.j ->> 'goal_application_filed_on',
            x.j ->> 'equipment_application_filed_on',
            x.j ->> 'submitted_on',
            x.j ->> 'on',
            substr(x.at, 1, 10)) AS day
    FROM (
        SELECT a.id, a.entity_id, a.at, a.after_json::jsonb AS j
        FROM audit_log a
        WHERE a.entity = 'case' AND a.action LIKE 'case.%' AND a.after_json LIKE '{%'
    ) x
    WHERE x.j ->> 'status' IN ('plan_submitted', 'equipment_filed', 'goal_filed')
       OR x.j ->> 'goal_application_filed_on' IS NOT NULL
       OR x.j ->> 'equipment_application_filed_on' IS NOT NULL
       OR x.j ->> 'submitted_on' IS NOT NULL
    ORDER BY x.entity_id, x.id DESC
) r
WHERE r.entity_id = CAST(c.id AS TEXT);

CREATE INDEX cases_status_received ON cases (status, received_on);
CREATE INDEX cases_assignee ON cases (assignee_id);
