-- Mail waiting to go, written in the same transaction as the change that causes it. A worker
-- claims a queued message (status 'sending') before it talks to the mail server, and marks it
-- 'sent' or 'queued' again for a retry or 'failed'; one left 'sending' by a crash is not sent
-- again by itself (at most once), but shown for a person to resend. 'not_sent' has no one to
-- send to (a reminder whose team has no manager), and is listed, never dropped.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    recipient TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    case_id BIGINT REFERENCES cases(id),
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_reply TEXT,
    message_id TEXT NOT NULL UNIQUE,
    -- One reminder per stage, point and date: a second run of the same day adds nothing.
    dedupe_key TEXT UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    claimed_at TIMESTAMPTZ,
    sent_at TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX outbox_organisation ON outbox (organisation_id, id);

-- The working days before a deadline at which its reminders go; no row: 5 and 1 (core's
-- default). A JSON list, e.g. [10, 5, 1].
CREATE TABLE reminder_points (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
    days TEXT NOT NULL
);
