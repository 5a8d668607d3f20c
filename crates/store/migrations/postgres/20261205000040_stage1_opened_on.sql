-- Reg. 14: Stage 1's 10 working days run from receipt, however late it was opened. The day it
-- was opened is kept as its own fact, and a Stage 1 opened after receipt is moved back to
-- start on receipt (its late-opening reason stays).
ALTER TABLE stages ADD COLUMN opened_on DATE;
UPDATE stages SET opened_on = started_on,
    started_on = (SELECT c.received_on FROM cases c WHERE c.id = stages.case_id)
    WHERE number = 1
      AND started_on > (SELECT c.received_on FROM cases c WHERE c.id = stages.case_id);
-- Due dates and statistics are worked out again by the program at its next start; a complaint
-- received or acknowledged whose Stage 1 was never opened gets its due date then.
INSERT INTO pending_work (name) SELECT 'build_statistics' WHERE EXISTS (SELECT 1 FROM cases)
    AND NOT EXISTS (SELECT 1 FROM pending_work WHERE name = 'build_statistics');
