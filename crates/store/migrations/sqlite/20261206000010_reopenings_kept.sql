-- Reopening keeps what it undid: a stage's earlier rounds (each answered, then reopened) and
-- a case's earlier endings (resolved, rejected, withdrawn, closed), as JSON lists.
ALTER TABLE stages ADD COLUMN earlier_rounds TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cases ADD COLUMN reopenings TEXT NOT NULL DEFAULT '[]';
