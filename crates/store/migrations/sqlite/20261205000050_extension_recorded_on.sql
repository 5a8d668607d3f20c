-- The day a backdated extension was recorded (issue 24): kept, and shown as recorded late.
ALTER TABLE stages ADD COLUMN extension_recorded_on TEXT;
-- An extension whose length the record does not give (an import's "extended: yes").
ALTER TABLE stages ADD COLUMN extension_length_unknown INTEGER NOT NULL DEFAULT 0;
