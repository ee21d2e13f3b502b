-- The officers' queue: the day a case was last received by the labour
-- bureau (受付日: a plan submitted, or a 支給申請 filed; set by the store's
-- status transition, `Db::step`) and the officer it is assigned to (担当者;
-- changed by josei_app::queue::assign, each change audited as `case.assign`).
-- Existing cases take their 受付日 from the audit log: the latest step into
-- a bureau-facing status or that recorded a filing day, at that filing day
-- (else the training clock's `on`, else the day of the audit entry).
-- (The same schema as migrations/postgres/0013_queue.sql.)
ALTER TABLE cases ADD COLUMN received_on TEXT;
ALTER TABLE cases ADD COLUMN assignee_id INTEGER REFERENCES users (id);

UPDATE cases SET received_on = (
    SELECT COALESCE(
        CASE json_extract(a.after_json, '$.status')
            WHEN 'plan_submitted' THEN json_extract(a.after_json, '$.submitted_on')
            WHEN 'equipment_filed' THEN json_extract(a.after_json, '$.equipment_application_filed_on')
            WHEN 'goal_filed' THEN json_extract(a.after_json, '$.goal_application_filed_on')
        END,
        json_extract(a.after_json, '$.goal_application_filed_on'),
        json_extract(a.after_json, '$.equipment_application_filed_on'),
        json_extract(a.after_json, '$.submitted_on'),
        json_extract(a.after_json, '$.on'),
        substr(a.at, 1, 10))
    FROM audit_log a
    WHERE a.entity = 'case' AND a.entity_id = CAST(cases.id AS TEXT)
      AND a.after_json IS NOT NULL AND json_valid(a.after_json)
      AND (CASE WHEN json_valid(a.after_json) THEN
              json_extract(a.after_json, '$.status') IN ('plan_submitted', 'equipment_filed', 'goal_filed')
              OR json_extract(a.after_json, '$.goal_application_filed_on') IS NOT NULL
              OR json_extract(a.after_json, '$.equipment_application_filed_on') IS NOT NULL
              OR json_extract(a.after_json, '$.submitted_on') IS NOT NULL
           ELSE 0 END)
    ORDER BY a.id DESC
    LIMIT 1
);

CREATE INDEX cases_status_received ON cases (status, received_on);
CREATE INDEX cases_assignee ON cases (assignee_id);
