-- The facts the statutory rules need: when the matter arose and why a late complaint is
-- considered (reg. 9), the sufficient-interest decision (s26(3)(e)); each stage's own
-- acknowledgement (LGSCO Code), when an extension was agreed and the complainant told
-- (reg. 17(3)), and the review panel's chair (reg. 19).
ALTER TABLE cases ADD COLUMN matter_arose_on TEXT;
ALTER TABLE cases ADD COLUMN late_complaint_grounds TEXT;
ALTER TABLE cases ADD COLUMN sufficient_interest INTEGER;
ALTER TABLE cases ADD COLUMN sufficient_interest_reason TEXT;
ALTER TABLE stages ADD COLUMN acknowledged_on TEXT;
ALTER TABLE stages ADD COLUMN extension_agreed_on TEXT;
ALTER TABLE stages ADD COLUMN extension_notified_on TEXT;
ALTER TABLE stages ADD COLUMN panel_chair TEXT;
