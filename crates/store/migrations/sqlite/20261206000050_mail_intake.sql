-- A case drafted from an email: what an officer decided about it (accepted, or not a
-- complaint), as JSON; NULL for a complaint recorded any other way.
ALTER TABLE cases ADD COLUMN draft TEXT;

-- Each message read from a complaints mailbox or handed in by the mail gate, once per
-- organisation and Message-ID, written in the same transaction as the case it made or joined,
-- so a message delivered twice, or read again after a crash, makes nothing new. No content is
-- kept here: a message that makes no case leaves only what became of it and why.
CREATE TABLE inbound_messages (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    message_id TEXT NOT NULL,
    -- 'draft' (a new case), 'reply' (joined its case), 'ignored' (an autoreply, bounce or list)
    disposition TEXT NOT NULL,
    reason TEXT,
    case_id INTEGER REFERENCES cases(id),
    -- Where it was read from: the mailbox, its UIDVALIDITY and the message's UID; NULL from
    -- the mail gate.
    mailbox TEXT,
    uid_validity INTEGER,
    uid INTEGER,
    received_at TEXT NOT NULL,
    UNIQUE (organisation_id, message_id)
);
CREATE INDEX inbound_messages_case ON inbound_messages (case_id) WHERE case_id IS NOT NULL;

-- A message the intake could not file (unreadable, or a file too large), each time it failed,
-- with why: the administrator's list of what is waiting in the mailbox's Failed folder. No
-- content is kept.
CREATE TABLE inbound_failures (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    message_id TEXT,
    mailbox TEXT,
    uid_validity INTEGER,
    uid INTEGER,
    reason TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX inbound_failures_organisation ON inbound_failures (organisation_id, id);
