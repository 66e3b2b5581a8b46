//! Structured logging with tracing: human-readable or JSON lines.

use tracing_subscriber::{fmt, EnvFilter};

use crate::configuration::{LogFormat, LogSettings};

/// Installs the global subscriber; a second call (tests) is a no-op.
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.level));
    let result = match settings.format {
        LogFormat::Json => fmt().json().with_env_filter(filter).with_current_span(true).try_init(),
        LogFormat::Pretty => fmt().with_env_filter(filter).try_init(),
    };
    // Already installed (for example by an earlier test): keep that one.
    drop(result);
}
