-- Dates are ISO text (YYYY-MM-DD), timestamps RFC 3339 UTC text; both sort as they read.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    reference_prefix TEXT NOT NULL,
    division TEXT NOT NULL,
    closures TEXT NOT NULL DEFAULT '[]',
    calendar_json TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE procedures (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE reasons (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE reference_counters (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, year)
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    reference TEXT NOT NULL,
    procedure TEXT NOT NULL,
    received_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    complainant_role TEXT NOT NULL,
    child_complained INTEGER NOT NULL,
    advocacy_offered INTEGER NOT NULL,
    advocacy_taken_up INTEGER NOT NULL,
    team_id INTEGER REFERENCES teams(id),
    reason_id INTEGER REFERENCES reasons(id),
    status TEXT NOT NULL,
    current_stage INTEGER,
    due_on TEXT,
    acknowledged_on TEXT,
    resolved_on TEXT,
    rejected_on TEXT,
    rejected_reason TEXT,
    withdrawn_on TEXT,
    closed_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (organisation_id, reference)
);
CREATE INDEX cases_org_received ON cases (organisation_id, received_on);
CREATE INDEX cases_org_due ON cases (organisation_id, status, due_on);

-- Personal data, apart from the facts, so retention can erase it and keep the counts.
CREATE TABLE case_personal (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    complainant_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    contact_address TEXT NOT NULL DEFAULT '',
    children TEXT NOT NULL DEFAULT '[]',
    summary TEXT NOT NULL DEFAULT '',
    outcome_wanted TEXT NOT NULL DEFAULT ''
);

CREATE TABLE stages (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    number INTEGER NOT NULL,
    started_on TEXT NOT NULL,
    late_request_reason TEXT,
    extended_to INTEGER,
    extension_reason TEXT,
    clock_stops TEXT NOT NULL DEFAULT '[]',
    responded_on TEXT,
    outcome TEXT,
    investigating_officer TEXT,
    independent_person TEXT,
    panel_on TEXT,
    panel_report_on TEXT,
    PRIMARY KEY (case_id, number)
) WITHOUT ROWID;

CREATE TABLE ombudsman_cases (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    position INTEGER NOT NULL,
    decision TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    lgsco_reference TEXT,
    remedies TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (case_id, position)
) WITHOUT ROWID;

CREATE TABLE actions (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_team TEXT NOT NULL,
    due_on TEXT NOT NULL,
    completed_on TEXT,
    PRIMARY KEY (case_id, position)
) WITHOUT ROWID;

CREATE TABLE compliments (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    received_on TEXT NOT NULL,
    team_id INTEGER REFERENCES teams(id),
    summary TEXT NOT NULL,
    consent_to_publish INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX compliments_org_received ON compliments (organisation_id, received_on);

-- The audit log: append-only, written in the same transaction as the change it records.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    case_id INTEGER REFERENCES cases(id),
    actor TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX events_case ON events (case_id, id);

CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END;
