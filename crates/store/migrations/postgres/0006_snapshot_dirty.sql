-- Every write to a case marks its snapshot dirty in the same transaction, so
-- that finding the snapshots to refresh is an index lookup, not a scan of
-- every case. Cases created before this migration get a dirty placeholder.
ALTER TABLE case_snapshots ADD COLUMN dirty BIGINT NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1));
INSERT INTO case_snapshots (case_id, case_version, as_of, engine, dirty) SELECT c.id, c.version, '', '', 1 FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_snapshots s WHERE s.case_id = c.id);
CREATE INDEX case_snapshots_dirty ON case_snapshots (dirty);
CREATE INDEX case_snapshots_as_of ON case_snapshots (as_of);
CREATE INDEX case_snapshots_engine ON case_snapshots (engine);
-- Lists filter a bureau's cases by prefecture and status before they sort.
CREATE INDEX organizations_prefecture ON organizations (prefecture);
CREATE INDEX cases_org_status ON cases (organization_id, status);
