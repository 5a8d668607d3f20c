-- Text the officer writes for a year's report (learning, priorities, case summaries, ...).
CREATE TABLE narratives (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    year BIGINT NOT NULL,
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, year, section)
);
