CREATE TABLE organisations (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    reference_prefix TEXT NOT NULL,
    division TEXT NOT NULL,
    closures TEXT NOT NULL DEFAULT '[]',
    calendar_json TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE procedures (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE teams (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE reasons (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE reference_counters (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, year)
);

CREATE TABLE cases (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    reference TEXT NOT NULL,
    procedure TEXT NOT NULL,
    received_on DATE NOT NULL,
    channel TEXT NOT NULL,
    complainant_role TEXT NOT NULL,
    child_complained BOOLEAN NOT NULL,
    advocacy_offered BOOLEAN NOT NULL,
    advocacy_taken_up BOOLEAN NOT NULL,
    team_id BIGINT REFERENCES teams(id),
    reason_id BIGINT REFERENCES reasons(id),
    status TEXT NOT NULL,
    current_stage BIGINT,
    due_on DATE,
    acknowledged_on DATE,
    resolved_on DATE,
    rejected_on DATE,
    rejected_reason TEXT,
    withdrawn_on DATE,
    closed_on DATE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (organisation_id, reference)
);
CREATE INDEX cases_org_received ON cases (organisation_id, received_on);
CREATE INDEX cases_org_due ON cases (organisation_id, status, due_on);

CREATE TABLE case_personal (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    complainant_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    contact_address TEXT NOT NULL DEFAULT '',
    children TEXT NOT NULL DEFAULT '[]',
    summary TEXT NOT NULL DEFAULT '',
    outcome_wanted TEXT NOT NULL DEFAULT ''
);

CREATE TABLE stages (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    number BIGINT NOT NULL,
    started_on DATE NOT NULL,
    late_request_reason TEXT,
    extended_to BIGINT,
    extension_reason TEXT,
    clock_stops TEXT NOT NULL DEFAULT '[]',
    responded_on DATE,
    outcome TEXT,
    investigating_officer TEXT,
    independent_person TEXT,
    panel_on DATE,
    panel_report_on DATE,
    PRIMARY KEY (case_id, number)
);

CREATE TABLE ombudsman_cases (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    position BIGINT NOT NULL,
    decision TEXT NOT NULL,
    decided_on DATE NOT NULL,
    lgsco_reference TEXT,
    remedies TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (case_id, position)
);

CREATE TABLE actions (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_team TEXT NOT NULL,
    due_on DATE NOT NULL,
    completed_on DATE,
    PRIMARY KEY (case_id, position)
);

CREATE TABLE compliments (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    received_on DATE NOT NULL,
    team_id BIGINT REFERENCES teams(id),
    summary TEXT NOT NULL,
    consent_to_publish BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX compliments_org_received ON compliments (organisation_id, received_on);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    case_id BIGINT REFERENCES cases(id),
    actor TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX events_case ON events (case_id, id);

CREATE FUNCTION events_are_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
