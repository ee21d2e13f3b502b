//! `josei schedule`.

use crate::args::*;
use crate::output::*;
use crate::report;
use jiff::civil::Date;
use josei_rules::civil::parse_iso_date;
use josei_rules::{regime, ErrorCode, InputError};

pub fn cmd_schedule(
    submitted: Option<&str>,
    certified: Option<&str>,
    evaluation_start: Option<&str>,
    regime_id: Option<&str>,
    format: Format,
) -> Result<(), Failure> {
    let submitted = submitted
        .map(|s| option_date("--submitted", s))
        .transpose()?;
    let certified = certified
        .map(|s| option_date("--certified", s))
        .transpose()?;
    let start = evaluation_start
        .map(|s| option_date("--evaluation-start", s))
        .transpose()?;
    if let (Some(c), Some(s)) = (certified, submitted) {
        if c < s {
            return Err(InputError {
                code: ErrorCode::DateOrder,
                field: "--certified".into(),
                message: format!("認定日 {c} が計画提出日 {s} より前です"),
            }
            .into());
        }
    }
    let named = match regime_id {
        Some(id) => Some(regime::by_id(id).ok_or_else(|| InputError {
            code: ErrorCode::UnknownRegime,
            field: "--regime".into(),
            message: format!(
                "制度 {id:?} はありません。使える制度: {}",
                regime::coverage_summary()
            ),
        })?),
        None => None,
    };
    // The engine's own choice of regime, with its fields named as options.
    let regime = josei_rules::parse::choose_regime(regime::set(), named, submitted, start)
        .map_err(|mut e| {
            e.field = if regime_id.is_some() {
                "--regime"
            } else if submitted.is_some() {
                "--submitted"
            } else {
                "--evaluation-start"
            }
            .into();
            e.message = e
                .message
                .replace("plan.submitted_on", "--submitted")
                .replace("evaluation_start", "--evaluation-start")
                .replace("regime で", "--regime で");
            e
        })?;
    let schedule = josei_rules::schedule::schedule(
        regime,
        josei_rules::schedule::Dates {
            submitted,
            certified,
            evaluation_start: start,
        },
    );
    let out = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&schedule)
                .map_err(|e| Failure::Other(format!("出力を作れません: {e}")))?;
            s.push('\n');
            s
        }
        Format::Text => {
            let mut r = report::schedule_report(regime, &schedule);
            if regime.kind == regime::RegimeKind::NoPlan
                && (submitted.is_some() || certified.is_some())
            {
                r.push_str(&format!(
                    "\n注意: {}の制度には計画の提出・認定がないため、--submitted と --certified は使いませんでした\n",
                    regime.name
                ));
            }
            r
        }
    };
    write_stdout(&out)
}

/// A date given as a command-line option.
pub fn option_date(option: &str, s: &str) -> Result<Date, InputError> {
    parse_iso_date(s).map_err(|_| InputError {
        code: ErrorCode::InvalidDate,
        field: option.into(),
        message: format!(
            "{s:?} は日付として使えません。YYYY-MM-DD 形式の実在する日付を指定してください"
        ),
    })
}
