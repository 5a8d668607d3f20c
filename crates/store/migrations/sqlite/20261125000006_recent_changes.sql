-- The dashboard's recent activity reads the latest changes to cases; reads of cases and
-- imports far outnumber them, so index the changes alone.
CREATE INDEX events_changes ON events (id) WHERE kind NOT IN ('viewed', 'imported');
