-- Files on a case (letters, reports, photos), checked by content and kept with a checksum.
CREATE TABLE case_attachments (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    added_by TEXT NOT NULL,
    added_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments (case_id, id);
CREATE INDEX actions_open ON actions (completed_on, due_on);
