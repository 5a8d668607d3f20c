-- Every password check (signing in, changing a password) is written here before the password is
-- compared, in a transaction that first counts the recent failures (under an advisory lock), so
-- that guesses sent in parallel count one each. A check that succeeds is marked; the rest are
-- failures or in flight.
CREATE TABLE password_attempts (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL,
    succeeded BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX password_attempts_email ON password_attempts (email, attempted_at);
CREATE INDEX password_attempts_address ON password_attempts (address, attempted_at);
CREATE INDEX password_attempts_at ON password_attempts (attempted_at);
