//! # josei-rules
//!
//! The rules of 人材確保等支援助成金（テレワークコース） as code: a pure engine with
//! no I/O and no clock ("today" is an input). It reads a case in the JSON
//! contract of `shared/spec/case-format.md` and evaluates both subsidies, every
//! check carrying its citation and a Japanese message.
//!
//! ```
//! use jiff::civil::date;
//! let json = std::fs::read_to_string(concat!(
//!     env!("CARGO_MANIFEST_DIR"), "/../../../shared/cases/01-standard-success.json"
//! )).unwrap_or_default();
//! # if json.is_empty() { return; }
//! let parsed = josei_rules::parse_case(&json, date(2024, 1, 15)).unwrap();
//! let evaluation = josei_rules::evaluate(&parsed);
//! assert_eq!(evaluation.equipment_subsidy.amount_yen.0, 104_940);
//! ```
//!
//! Modules, from the ground up: [`civil`] (民法 periods), [`holidays`] (行政機関の
//! 休日), [`wareki`] (和暦), [`ratio`] (exact ratios), [`regime`] (dated
//! parameters from `data/regimes.toml`), [`model`] and [`parse`] (the case),
//! [`schedule`] (every period and deadline) and [`evaluate`] (the rules).

pub mod civil;
pub mod conformance;
pub mod error;
pub mod evaluate;
pub mod holidays;
pub mod model;
pub mod parse;
pub mod ratio;
pub mod regime;
pub mod schedule;
pub mod simulate;
pub mod wareki;

pub use error::{ErrorCode, InputError};
pub use evaluate::{evaluate, evaluate_case, Evaluation, ENGINE_VERSION};
pub use parse::{parse_case, parse_case_value, ParsedCase};
