-- Crypto-shredding: the personal values an audit event holds are sealed (AES-256-GCM) with a
-- key of their case's own, kept here wrapped by the master key, which is never stored in the
-- database. Deleting a case's key erases those values; the events stay as they are.
CREATE TABLE data_keys (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    wrapped_key TEXT NOT NULL,
    created_at TEXT NOT NULL
);
ALTER TABLE events ADD COLUMN sealed TEXT;

-- Which master key wraps this database's keys, as a keyed digest: another key is refused.
CREATE TABLE master_key_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL
);

-- Work the program does at start, in Rust, because it needs the master key: sealing the
-- personal values of events written before this migration.
CREATE TABLE pending_work (name TEXT PRIMARY KEY);
INSERT INTO pending_work (name)
SELECT 'seal_events' WHERE EXISTS (SELECT 1 FROM events WHERE case_id IS NOT NULL);

-- The council's retention schedule: years after a case is concluded (per procedure), or after
-- a compliment is received ('compliments'). No row: core's defaults.
CREATE TABLE retention_rules (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    applies_to TEXT NOT NULL,
    years INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, applies_to)
);

-- A case kept past its schedule (litigation, an open ombudsman investigation) until lifted.
CREATE TABLE legal_holds (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    reason TEXT NOT NULL,
    placed_by TEXT NOT NULL,
    placed_at TEXT NOT NULL
);

-- What each erasure removed, when, by whom and under which rule: no personal data.
CREATE TABLE erasures (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    case_id INTEGER REFERENCES cases(id),
    compliment_id INTEGER REFERENCES compliments(id),
    reference TEXT,
    erased_on TEXT NOT NULL,
    rule TEXT NOT NULL,
    files TEXT NOT NULL DEFAULT '[]',
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX erasures_organisation ON erasures (organisation_id, id);
ALTER TABLE cases ADD COLUMN erased_on TEXT;
ALTER TABLE compliments ADD COLUMN erased_on TEXT;
