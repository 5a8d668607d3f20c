-- What an organisation's report counts beyond the national roll-up, so it too is grouped
-- queries over the statistics table: the case's channel, complainant's role and advocacy, and
-- each stage's working days to respond, fallback judgement, clock stops and anything the
-- rules could not judge. No personal data (the free-text rejection reason stays on the case).
ALTER TABLE case_stage_stats ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE case_stage_stats ADD COLUMN complainant_role TEXT NOT NULL DEFAULT '';
ALTER TABLE case_stage_stats ADD COLUMN child_complained INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_stage_stats ADD COLUMN advocacy_offered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_stage_stats ADD COLUMN advocacy_taken_up INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_stage_stats ADD COLUMN working_days_to_respond INTEGER;
ALTER TABLE case_stage_stats ADD COLUMN judged_by_fallback INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_stage_stats ADD COLUMN clock_stops INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_stage_stats ADD COLUMN clock_paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_stage_stats ADD COLUMN deadline_error TEXT;
ALTER TABLE case_stage_stats ADD COLUMN timeliness_error TEXT;
-- Covering an organisation's report's grouped queries, so they read one range of the index.
CREATE INDEX case_stage_stats_report ON case_stage_stats (organisation_id, stage, started_on,
    received_on, team_id, case_id, procedure_kind, responded, within_timescale, extended, outcome,
    judged_by_fallback, clock_stops, working_days_to_respond, responded_on, case_final,
    clock_paused, due_on, timeliness_error, deadline_error, channel, complainant_role, reason_id,
    resolved_at_initial_contact, rejected, child_complained, advocacy_offered, advocacy_taken_up);
-- Compliments by team for a period, from the index alone.
CREATE INDEX compliments_org_received_team ON compliments (organisation_id, received_on, team_id);
-- The rejection reasons of a period, grouped from the cases' index alone.
CREATE INDEX cases_rejected_reason ON cases (organisation_id, received_on, team_id, rejected_reason)
    WHERE rejected_reason IS NOT NULL;
-- Existing rows are judged again by the program at its next start.
INSERT INTO pending_work (name) SELECT 'build_statistics' WHERE EXISTS (SELECT 1 FROM cases)
    AND NOT EXISTS (SELECT 1 FROM pending_work WHERE name = 'build_statistics');
