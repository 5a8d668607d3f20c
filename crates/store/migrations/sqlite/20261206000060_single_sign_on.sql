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
