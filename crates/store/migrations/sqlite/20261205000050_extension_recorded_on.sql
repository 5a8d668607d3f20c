-- The day a backdated extension was recorded (issue 24): kept, and shown as recorded late.
ALTER TABLE stages ADD COLUMN extension_recorded_on TEXT;
