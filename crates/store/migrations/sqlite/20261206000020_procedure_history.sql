-- Each stage runs under the procedure and version it was opened under (issue 24). Every
-- definition an organisation has run is kept, so an answered stage is judged by its own
-- after a change of procedure, a preset's new version, or the procedure's removal.
CREATE TABLE procedure_history (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (organisation_id, name, version)
);
INSERT INTO procedure_history (organisation_id, name, version, definition)
    SELECT organisation_id, name, 1, definition FROM procedures;
ALTER TABLE stages ADD COLUMN ran_under TEXT;
-- Answered stages ran under their case's procedure as far as the record shows.
UPDATE stages SET ran_under = (
    SELECT '{"procedure":' || '"' || c.procedure || '","version":1}'
    FROM cases c WHERE c.id = stages.case_id)
WHERE responded_on IS NOT NULL;
