-- The figures reports count, one row per stage of each case and a row 0 for the case itself,
-- written in the same transaction as every change of the case (and re-judged when the
-- calendar or the procedures change). No personal data: erasure never touches it.
CREATE TABLE case_stage_stats (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    stage INTEGER NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    procedure_kind TEXT NOT NULL,
    team_id INTEGER,
    reason_id INTEGER,
    received_on TEXT NOT NULL,
    started_on TEXT NOT NULL,
    due_on TEXT,
    responded_on TEXT,
    outcome TEXT,
    responded INTEGER NOT NULL,
    within_timescale INTEGER,
    extended INTEGER NOT NULL,
    clock_stopped INTEGER NOT NULL,
    case_final INTEGER NOT NULL,
    resolved_at_initial_contact INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    PRIMARY KEY (case_id, stage)
);
-- Covering the national roll-up's grouped queries, so they read the index alone.
CREATE INDEX case_stage_stats_started ON case_stage_stats (stage, started_on, organisation_id,
    procedure_kind, received_on, responded, within_timescale, outcome, responded_on, due_on,
    case_final);
CREATE INDEX case_stage_stats_organisation ON case_stage_stats (organisation_id, stage, started_on);
-- Ombudsman decisions by the day decided, for the roll-up.
CREATE INDEX ombudsman_cases_decided ON ombudsman_cases (decided_on, case_id);
-- Existing cases are judged by the program at its next start.
INSERT INTO pending_work (name) SELECT 'build_statistics' WHERE EXISTS (SELECT 1 FROM cases);
