-- A sign-in with the council's identity provider under way: what the browser's return is
-- checked against (the nonce, the PKCE verifier), kept under a digest of its `state`, used
-- once and kept ten minutes at most.
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Per organisation, how its staff sign in: whether passwords are allowed (when not, only the
-- named break-glass accounts may use one), and which of the identity provider's groups give
-- which role there, applied at each sign-in through the provider. JSON lists and maps.
CREATE TABLE sign_in_policies (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisations(id),
    passwords_allowed BOOLEAN NOT NULL,
    break_glass TEXT NOT NULL,
    group_roles TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
