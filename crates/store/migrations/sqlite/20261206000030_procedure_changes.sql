-- Each change of procedure, with its day and the procedure it left, kept on the case.
ALTER TABLE cases ADD COLUMN procedure_changes TEXT NOT NULL DEFAULT '[]';
