-- A letter sent by email carries its PDF: the message names the case's attachment.
ALTER TABLE outbox ADD COLUMN attachment_id BIGINT;
