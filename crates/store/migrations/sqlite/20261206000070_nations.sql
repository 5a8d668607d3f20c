-- The nation an organisation runs the law of (England, Wales, Scotland, Northern Ireland):
-- empty on organisations made before nations existed, which are read by their division.
ALTER TABLE organisations ADD COLUMN nation TEXT;

-- The response periods agreed with the complainant (SI 2009/309 reg. 14(2)), oldest first,
-- as a JSON list.
ALTER TABLE stages ADD COLUMN response_periods TEXT NOT NULL DEFAULT '[]';

-- The language the complainant is written to in (en or cy: the Welsh Language Standards).
ALTER TABLE cases ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
