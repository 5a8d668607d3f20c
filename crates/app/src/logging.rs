//! Where log lines go and how they look, for every command: filtered by `REDRESS_LOG`, as text
//! or JSON, to standard error. The server's request log is built on it in `web`.

use tracing_subscriber::EnvFilter;

/// The environment variable that sets what is logged, in RUST_LOG's syntax.
pub const LOG_FILTER_VAR: &str = "REDRESS_LOG";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

/// Sends logs to standard error, filtered by `REDRESS_LOG` (default `info`).
pub fn init(format: LogFormat) {
    let filter = std::env::var(LOG_FILTER_VAR).unwrap_or_else(|_| "info".into());
    install(format, &filter, std::io::stderr, colour());
}

fn colour() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Sends logs to `writer`, filtered by `filter` (RUST_LOG syntax; a filter that does not parse
/// falls back to `info`). Does nothing if a subscriber is already set.
pub fn init_with_writer<W>(format: LogFormat, filter: &str, writer: W)
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    install(format, filter, writer, false);
}

fn install<W>(format: LogFormat, filter: &str, writer: W, ansi: bool)
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(ansi)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Logs an error with every cause beneath it, outermost first.
pub fn log_error(context: &str, error: &(dyn std::error::Error + 'static)) {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    tracing::error!(error = %chain, "{context}");
}
