use std::fmt;

/// One fault in an import file, named by line and column as a spreadsheet shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The file's line (the header is line 1).
    pub line: u64,
    /// The column's position, counting from 1, when the fault is in one cell.
    pub column: Option<usize>,
    /// The column's name.
    pub field: String,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(
                f,
                "line {}, column {} ({}): {}",
                self.line, column, self.field, self.message
            ),
            None => write!(f, "line {} ({}): {}", self.line, self.field, self.message),
        }
    }
}

/// Every fault found in a file. The file is refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RowErrors {
    pub errors: Vec<RowError>,
    /// Faults beyond those kept in `errors`.
    pub more: usize,
}

/// Enough faults to fix a file in one pass, without holding millions in memory.
pub(crate) const MAX_KEPT: usize = 1000;

impl RowErrors {
    pub(crate) fn new() -> Self {
        RowErrors {
            errors: Vec::new(),
            more: 0,
        }
    }

    pub(crate) fn push(&mut self, error: RowError) {
        if self.errors.len() < MAX_KEPT {
            self.errors.push(error);
        } else {
            self.more += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn total(&self) -> usize {
        self.errors.len() + self.more
    }
}

impl fmt::Display for RowErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problems found; nothing was imported:", self.total())?;
        for error in &self.errors {
            writeln!(f, "  {error}")?;
        }
        if self.more > 0 {
            writeln!(f, "  ... and {} more", self.more)?;
        }
        Ok(())
    }
}
