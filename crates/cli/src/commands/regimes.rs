//! `josei regimes` and the `--regimes` overlay.

use crate::args::*;
use crate::output::*;
use crate::report;
use josei_rules::{regime, ErrorCode, InputError};

/// Reads a corrections file and makes it the regime set of this process.
pub fn install_regimes(path: &str) -> Result<(), Failure> {
    let input_error = |message: String| InputError {
        code: ErrorCode::OutOfRange,
        field: "--regimes".into(),
        message,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| input_error(format!("{path} を読めません: {e}")))?;
    let set =
        regime::RegimeSet::with_overlay(&text).map_err(|e| input_error(format!("{path}: {e}")))?;
    regime::install(set).map_err(|e| Failure::Other(e.to_string()))?;
    Ok(())
}

/// `josei regimes`: every regime with its dates, key values and grades.
pub fn cmd_regimes(format: Format) -> Result<(), Failure> {
    let set = regime::set();
    let out = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&report::regimes_json(set))
                .map_err(|e| Failure::Other(format!("出力を作れません: {e}")))?;
            s.push('\n');
            s
        }
        Format::Text => report::regimes_report(set),
    };
    write_stdout(&out)
}
