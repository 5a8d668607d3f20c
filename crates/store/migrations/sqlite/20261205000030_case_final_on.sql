-- Since when a case is final, so a report judged as of a day before it (a closed year) still
-- sees the case open: a later rejection or withdrawal never changes a past year's figures.
ALTER TABLE case_stage_stats ADD COLUMN case_final_on TEXT;
-- The report's covering index holds the date in place of the flag.
DROP INDEX case_stage_stats_report;
CREATE INDEX case_stage_stats_report ON case_stage_stats (organisation_id, stage, started_on,
    received_on, team_id, case_id, procedure_kind, responded, within_timescale, extended, outcome,
    judged_by_fallback, clock_stops, working_days_to_respond, responded_on, case_final_on,
    clock_paused, due_on, timeliness_error, deadline_error, channel, complainant_role, reason_id,
    resolved_at_initial_contact, rejected, child_complained, advocacy_offered, advocacy_taken_up);
-- Existing rows are judged again by the program at its next start.
INSERT INTO pending_work (name) SELECT 'build_statistics' WHERE EXISTS (SELECT 1 FROM cases)
    AND NOT EXISTS (SELECT 1 FROM pending_work WHERE name = 'build_statistics');
