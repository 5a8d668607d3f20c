-- Accounts: users, their memberships of organisations (one role each, teams for managers),
-- server-side sessions, personal access tokens, and who is appointed to which case.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- argon2id PHC string; NULL for an account that signs in only through single sign-on.
    password_hash TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    system_admin INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    user_id INTEGER NOT NULL REFERENCES users(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

CREATE TABLE membership_teams (
    user_id INTEGER NOT NULL,
    organisation_id INTEGER NOT NULL,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    PRIMARY KEY (user_id, organisation_id, team_id),
    FOREIGN KEY (user_id, organisation_id) REFERENCES memberships(user_id, organisation_id)
);

-- Only a hash of the session id is kept, so a copy of the database opens no sessions.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Panel members are named on the stage; investigators see the cases whose stages name them.
ALTER TABLE stages ADD COLUMN panel_members TEXT NOT NULL DEFAULT '[]';

-- Sign-in emails of the people appointed to a case, kept with the case's stages.
CREATE TABLE case_appointees (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    email TEXT NOT NULL,
    PRIMARY KEY (email, case_id)
) WITHOUT ROWID;

-- The audit log now also holds reads of cases and sign-ins, which belong to no organisation
-- or to a user rather than an organisation: rebuild it with organisation_id optional and the
-- acting user and network address added. The append-only triggers are put back at once.
DROP TRIGGER events_are_append_only_update;
DROP TRIGGER events_are_append_only_delete;
CREATE TABLE events_rebuilt (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER REFERENCES organisations(id),
    case_id INTEGER REFERENCES cases(id),
    actor TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    address TEXT,
    occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
INSERT INTO events_rebuilt (id, organisation_id, case_id, actor, occurred_at, kind, before_json, after_json)
SELECT id, organisation_id, case_id, actor, occurred_at, kind, before_json, after_json FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_case ON events (case_id, id);
CREATE INDEX events_organisation ON events (organisation_id, id);
CREATE INDEX events_user ON events (user_id, id) WHERE user_id IS NOT NULL;
CREATE INDEX events_failed_sign_in_actor ON events (actor, occurred_at) WHERE kind = 'sign_in_failed';
CREATE INDEX events_failed_sign_in_address ON events (address, occurred_at) WHERE kind = 'sign_in_failed';
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END;
