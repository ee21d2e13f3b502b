//! What a command gives back: its output on standard output, or a failure
//! with its exit status (2 for invalid input, 1 otherwise).

use crate::service;
use jiff::civil::Date;
use josei_rules::InputError;
use std::io::Write;
use std::process::ExitCode;

/// How a command failed.
pub enum Failure {
    /// Invalid input: exit 2.
    Input(InputError),
    /// Anything else (I/O on output): exit 1.
    Other(String),
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e)
    }
}

pub fn finish(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Err(Failure::Other(msg)) if msg.is_empty() => ExitCode::SUCCESS,
        Err(Failure::Other(msg)) => {
            eprintln!("josei: {msg}");
            ExitCode::from(1)
        }
    }
}

pub fn service_command<F, Fut>(f: F) -> Result<(), Failure>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    let rt = service::runtime().map_err(Failure::Other)?;
    match rt.block_on(f()) {
        Ok(text) if text.is_empty() => Ok(()),
        Ok(text) if text.ends_with('\n') => write_stdout(&text),
        Ok(text) => write_stdout(&format!("{text}\n")),
        Err(e) => Err(Failure::Other(e)),
    }
}

/// Today's date in Japan (JST, UTC+9, no daylight saving).
pub fn today_in_japan() -> Date {
    let jst = jiff::tz::TimeZone::fixed(jiff::tz::offset(9));
    jiff::Timestamp::now().to_zoned(jst).date()
}

pub fn write_stdout(s: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`josei … | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Other(format!("標準出力に書けません: {e}"))),
    }
}
