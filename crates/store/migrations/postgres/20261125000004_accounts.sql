-- Accounts: users, their memberships of organisations (one role each, teams for managers),
-- server-side sessions, personal access tokens, and who is appointed to which case.
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- argon2id PHC string; NULL for an account that signs in only through single sign-on.
    password_hash TEXT,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    system_admin BOOLEAN NOT NULL DEFAULT FALSE,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE memberships (
    user_id BIGINT NOT NULL REFERENCES users(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

CREATE TABLE membership_teams (
    user_id BIGINT NOT NULL,
    organisation_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL REFERENCES teams(id),
    PRIMARY KEY (user_id, organisation_id, team_id),
    FOREIGN KEY (user_id, organisation_id) REFERENCES memberships(user_id, organisation_id)
);

-- Only a hash of the session id is kept, so a copy of the database opens no sessions.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Panel members are named on the stage; investigators see the cases whose stages name them.
ALTER TABLE stages ADD COLUMN panel_members TEXT NOT NULL DEFAULT '[]';

-- Sign-in emails of the people appointed to a case, kept with the case's stages.
CREATE TABLE case_appointees (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    email TEXT NOT NULL,
    PRIMARY KEY (email, case_id)
);

-- The audit log now also holds reads of cases and sign-ins, which belong to no organisation
-- or to a user rather than an organisation.
ALTER TABLE events ALTER COLUMN organisation_id DROP NOT NULL;
ALTER TABLE events ADD COLUMN user_id BIGINT REFERENCES users(id);
ALTER TABLE events ADD COLUMN address TEXT;
CREATE INDEX events_organisation ON events (organisation_id, id);
CREATE INDEX events_user ON events (user_id, id) WHERE user_id IS NOT NULL;
CREATE INDEX events_failed_sign_in_actor ON events (actor, occurred_at) WHERE kind = 'sign_in_failed';
CREATE INDEX events_failed_sign_in_address ON events (address, occurred_at) WHERE kind = 'sign_in_failed';
