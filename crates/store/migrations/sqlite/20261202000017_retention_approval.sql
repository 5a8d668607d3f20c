-- The council's decision to apply its retention schedule. No row: the schedule is off, and
-- nothing is erased by it, until an administrator records who approved it and when (after
-- seeing a dry run of what it would erase).
CREATE TABLE retention_approvals (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisations(id),
    approved_on TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
