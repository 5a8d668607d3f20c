-- Text the officer writes for a year's report (learning, priorities, case summaries, ...).
CREATE TABLE narratives (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    year INTEGER NOT NULL,
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (organisation_id, year, section)
);
