//! How values read on a page: codes as words, dates in full, working days left.

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "snake_case" as words with a capital: "not_upheld" reads "Not upheld".
pub(crate) fn words(code: &str) -> String {
    capitalise(&code.replace('_', " "))
}

/// "Wednesday 25 November 2026".
pub(crate) fn long_date(date: chrono::NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

/// "3 working days left", "due today", "2 working days overdue".
pub(crate) fn days_text(days_left: i64) -> String {
    match days_left {
        0 => "due today".into(),
        1 => "1 working day left".into(),
        n if n > 1 => format!("{n} working days left"),
        -1 => "1 working day overdue".into(),
        n => format!("{} working days overdue", -n),
    }
}
