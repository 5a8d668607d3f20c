-- Reasons typed by staff for holds, rectifications and erasures name people: they are personal
-- data of the case (UK GDPR Art. 4(1)) and go with it at erasure (Art. 17). From here on they
-- are sealed with the case's key; this moves what was kept in the clear.

-- The erasure record keeps the rule applied and who ran it, never the reason typed.
UPDATE erasures SET rule = 'on request' WHERE rule LIKE 'on request:%';

-- The same rule in the erasure events. The append-only rule is lifted for this statement
-- only and put back as migration 0001 made it.
ALTER TABLE events DISABLE TRIGGER events_are_append_only;
UPDATE events SET after_json = jsonb_set(CAST(after_json AS jsonb), '{rule}', '"on request"')::text
WHERE kind = 'personal_data_erased' AND CAST(after_json AS jsonb) ->> 'rule' LIKE 'on request:%';
ALTER TABLE events ENABLE TRIGGER events_are_append_only;

-- Hold and rectification reasons already logged are sealed at the next start, in Rust, which
-- holds the master key (an erased case's with a key thrown away at once); on PostgreSQL the
-- tables changed here are then rewritten, so that the old texts leave its files.
INSERT INTO pending_work (name)
SELECT 'seal_events' WHERE EXISTS (
    SELECT 1 FROM events
    WHERE kind IN ('legal_hold_placed', 'rectification_reason', 'personal_data_erased'))
    OR EXISTS (SELECT 1 FROM compliments WHERE erased_on IS NOT NULL)
ON CONFLICT (name) DO NOTHING;

-- A compliment's text is personal data and is erased whole; what the council approved for
-- publication is kept apart, and is the only text a report quotes. Compliments erased before
-- kept their text with names as initials: that goes now.
ALTER TABLE compliments ADD COLUMN published_quotation TEXT;
UPDATE compliments SET summary = '' WHERE erased_on IS NOT NULL;
