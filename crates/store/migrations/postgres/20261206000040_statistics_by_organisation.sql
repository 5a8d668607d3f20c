-- The national roll-up now reads the organisation report's covering index one organisation at
-- a time (issue 26). The index ordered by stage and date, which every write kept up to date
-- across all organisations, goes; so does (organisation_id, stage, started_on), a prefix of
-- the report's index.
DROP INDEX case_stage_stats_started;
DROP INDEX case_stage_stats_organisation;
