-- Team queues: a team's open cases without visiting the table.
CREATE INDEX cases_org_team_status ON cases (organisation_id, team_id, status);
