//! From the JSON contract to a [`Case`]: parse, don't validate.
//!
//! Every value is read through a path-aware accessor, so the first problem is
//! reported with the exact field path (`expenses[3].amount_yen`) and a Japanese
//! message. Unknown fields are not errors (the contract may grow) but are
//! reported as warnings, so a misspelt field is never silently ignored.

use crate::civil::{parse_iso_date, DateError};
use crate::error::{ErrorCode, InputError};
use crate::model::*;
use crate::regime::{self, Regime, RegimeKind, RegimeSet};
use jiff::civil::Date;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::Number;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// A JSON document that borrows its keys and strings from the input text.
///
/// The parser reads a case through this tree rather than `serde_json::Value`:
/// no allocation per key, no map per object (objects are short, so a linear
/// search is fastest). As with `serde_json::Value`, the last of duplicate keys wins.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl Json<'_> {
    fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Json<'de>, E> {
        Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Json<'de>, E> {
        Ok(Json::String(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Json<'de>, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(Key(k)) = map.next_key()? {
            fields.push((k, map.next_value()?));
        }
        Ok(Json::Object(fields))
    }
}

/// An object key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match Json::deserialize(d)? {
            Json::String(s) => Ok(Key(s)),
            _ => Err(serde::de::Error::custom("object keys are strings")),
        }
    }
}

/// A warning about the input that did not stop the evaluation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub field: String,
    pub message: String,
}

/// A parsed case with the regime that governs it.
#[derive(Clone, Debug)]
pub struct ParsedCase {
    pub case: Case,
    pub regime: &'static Regime,
    pub warnings: Vec<Warning>,
}

type Result<T> = std::result::Result<T, InputError>;

/// The largest amount accepted, in yen (1,000兆円): far above any real figure,
/// low enough that every product the rules form stays exact in 128 bits.
pub const MAX_YEN: u64 = 1_000_000_000_000_000;
/// The largest count (of employees, insured workers) accepted.
pub const MAX_COUNT: u64 = 1_000_000_000;

/// Parses one case from JSON text under the regimes in force
/// ([`regime::set`]). `default_as_of` is used when the case has no `as_of` (the
/// caller's "today"; the engine itself has no clock).
pub fn parse_case(json: &str, default_as_of: Date) -> Result<ParsedCase> {
    parse_case_in(regime::set(), json, default_as_of)
}

/// [`parse_case`] under an explicit regime set (e.g. one with an overlay).
pub fn parse_case_in(
    set: &'static RegimeSet,
    json: &str,
    default_as_of: Date,
) -> Result<ParsedCase> {
    let value: Json<'_> = serde_json::from_str(json).map_err(|e| {
        InputError::new(
            ErrorCode::InvalidJson,
            "$",
            format!(
                "JSONとして読めません（{}行目 {}文字目）: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    parse_case_value_in(set, &value, default_as_of)
}

/// Parses one case from an already decoded JSON document.
pub fn parse_case_value(value: &Json<'_>, default_as_of: Date) -> Result<ParsedCase> {
    parse_case_value_in(regime::set(), value, default_as_of)
}

/// [`parse_case_value`] under an explicit regime set.
pub fn parse_case_value_in(
    set: &'static RegimeSet,
    value: &Json<'_>,
    default_as_of: Date,
) -> Result<ParsedCase> {
    let mut warnings = Vec::new();
    let root = Obj::root(value)?;
    root.warn_unknown(
        &[
            "regime",
            "as_of",
            "employer",
            "plan",
            "work_rules_established_on",
            "workplace_climate",
            "measures",
            "evaluation_start",
            "telework_before_count",
            "telework",
            "expenses",
            "roster",
            "equipment_application_filed_on",
            "goal_application_filed_on",
            "productivity",
            "wage_increase",
        ],
        &mut warnings,
    );

    let named_regime = root.opt_string("regime")?;
    let named = match &named_regime {
        Some(id) => Some(set.by_id(id).ok_or_else(|| {
            InputError::new(
                ErrorCode::UnknownRegime,
                "regime",
                format!(
                    "制度 {id:?} はありません。使える制度: {}",
                    set.coverage_summary()
                ),
            )
        })?),
        None => None,
    };
    let as_of = root.opt_date("as_of")?.unwrap_or(default_as_of);
    let employer = parse_employer(&root.object("employer")?, &mut warnings)?;
    let plan = parse_plan(&root.object("plan")?, &mut warnings)?;
    let evaluation_start = root.opt_date("evaluation_start")?;
    let regime = choose_regime(set, named, plan.submitted_on, evaluation_start)?;

    let telework = root
        .opt_array("telework")?
        .map(|items| {
            items
                .iter()
                .map(|o| parse_telework(o?, &mut warnings))
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?
        .unwrap_or_default();
    let expenses = root
        .opt_array("expenses")?
        .map(|items| {
            items
                .iter()
                .map(|o| parse_expense(o?, &mut warnings))
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?
        .unwrap_or_default();
    let roster = root
        .opt_array("roster")?
        .map(|items| {
            items
                .iter()
                .map(|o| parse_roster(o?, &mut warnings))
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?
        .filter(|r| !r.is_empty());
    let measures = root
        .opt_array("measures")?
        .map(|items| {
            items
                .iter()
                .map(|o| parse_measure(o?, &mut warnings))
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?
        .unwrap_or_default();
    let workplace_climate = root
        .opt_object("workplace_climate")?
        .map(|o| {
            o.warn_unknown(&["top_message_on", "case_sharing_on"], &mut warnings);
            Ok::<_, InputError>(WorkplaceClimate {
                top_message_on: o.opt_date("top_message_on")?,
                case_sharing_on: o.opt_date("case_sharing_on")?,
            })
        })
        .transpose()?
        .unwrap_or_default();
    let productivity = root
        .opt_object("productivity")?
        .map(|o| parse_productivity(&o, &mut warnings))
        .transpose()?;
    let wage_increase = root
        .opt_object("wage_increase")?
        .map(|o| parse_wage_increase(&o, &mut warnings))
        .transpose()?;
    let telework_before_count = root
        .get("telework_before_count")
        .map(|_| root.count("telework_before_count"))
        .transpose()?;

    let case = Case {
        regime: named_regime,
        as_of,
        employer,
        plan,
        work_rules_established_on: root.opt_date("work_rules_established_on")?,
        workplace_climate,
        measures,
        evaluation_start,
        telework_before_count,
        telework,
        expenses,
        roster,
        equipment_application_filed_on: root.opt_date("equipment_application_filed_on")?,
        goal_application_filed_on: root.opt_date("goal_application_filed_on")?,
        productivity,
        wage_increase,
    };
    Ok(ParsedCase {
        case,
        regime,
        warnings,
    })
}

/// Which regime governs a case (regimes.md §1, §6.1–6.2): the one it names;
/// else the plan regime covering `plan.submitted_on`; else the no-plan regime
/// covering `evaluation_start`. A plan submitted before the course began, or
/// after plans were abolished, is invalid and never falls back to
/// `evaluation_start`. A named plan regime needs `plan.submitted_on`.
pub fn choose_regime(
    set: &'static RegimeSet,
    named: Option<&'static Regime>,
    submitted_on: Option<Date>,
    evaluation_start: Option<Date>,
) -> Result<&'static Regime> {
    if let Some(r) = named {
        if r.kind == RegimeKind::Plan && submitted_on.is_none() {
            return Err(InputError::new(
                ErrorCode::MissingField,
                "plan.submitted_on",
                format!(
                    "{}（{}）は計画認定のある制度です。計画提出日（YYYY-MM-DD）を指定してください",
                    r.name, r.id
                ),
            ));
        }
        return Ok(r);
    }
    if let Some(submitted) = submitted_on {
        if let Some(r) = set.for_submission(submitted) {
            return Ok(r);
        }
        if let Some(end) = set.plans_end().filter(|end| submitted >= *end) {
            let year = set
                .for_evaluation_start(end)
                .map(|r| r.name.clone())
                .unwrap_or_else(|| "令和7年度".into());
            return Err(InputError::new(
                ErrorCode::NoRegime,
                "plan.submitted_on",
                format!(
                    "{submitted} に提出された計画に適用される制度はありません。{year}（{end} 以降）からはテレワーク実施計画の提出・認定がなくなりました。{year}以降の手続きでは、計画の提出日・認定日は入れずに、評価期間の初日（evaluation_start）を指定してください"
                ),
            ));
        }
        return Err(InputError::new(
            ErrorCode::NoRegime,
            "regime",
            format!(
                "plan.submitted_on {submitted} に適用される制度がありません（対応: {}）。日付を確かめるか、regime で制度を指定してください",
                set.coverage_summary()
            ),
        ));
    }
    if let Some(start) = evaluation_start {
        return set.for_evaluation_start(start).ok_or_else(|| {
            InputError::new(
                ErrorCode::NoRegime,
                "regime",
                format!(
                    "評価期間の初日 {start} に適用される制度がありません（対応: {}）。計画のある年度は plan.submitted_on を指定してください",
                    set.coverage_summary()
                ),
            )
        });
    }
    Err(InputError::new(
        ErrorCode::NoRegime,
        "regime",
        format!(
            "制度を決める日付がありません。計画提出日（plan.submitted_on）か評価期間の初日（evaluation_start）を指定するか、regime で制度を指定してください（対応: {}）",
            set.coverage_summary()
        ),
    ))
}

fn parse_employer(o: &Obj<'_>, warnings: &mut Vec<Warning>) -> Result<Employer> {
    o.warn_unknown(
        &[
            "name",
            "industry",
            "capital_yen",
            "regular_employees",
            "employment_insurance",
            "telework_status",
            "work_rules_have_telework",
            "received_telework_subsidy",
            "received_other_telework_subsidy",
            "disqualifications",
        ],
        warnings,
    );
    let disqualifications = o
        .opt_array("disqualifications")?
        .map(|items| {
            items
                .items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let path = format!("{}[{i}]", items.path);
                    match v {
                        Json::String(s) => Disqualification::parse(s).ok_or_else(|| {
                            InputError::new(
                                ErrorCode::UnknownValue,
                                path,
                                format!(
                                    "{s:?} は使えません。{} のいずれかを指定してください",
                                    Disqualification::names()
                                ),
                            )
                        }),
                        other => Err(InputError::new(
                            ErrorCode::WrongType,
                            path,
                            format!(
                                "文字列（{} のいずれか）を指定してください（{} は使えません）",
                                Disqualification::names(),
                                describe(other)
                            ),
                        )),
                    }
                })
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?;
    Ok(Employer {
        name: o.opt_string("name")?.unwrap_or_default(),
        industry: o.enumeration("industry", Industry::parse, Industry::names)?,
        capital_yen: o.opt_yen("capital_yen")?,
        regular_employees: o.count("regular_employees")?,
        employment_insurance: o.boolean("employment_insurance")?,
        telework_status: o.enumeration(
            "telework_status",
            TeleworkStatus::parse,
            TeleworkStatus::names,
        )?,
        work_rules_have_telework: o.boolean("work_rules_have_telework")?,
        received_telework_subsidy: o.boolean("received_telework_subsidy")?,
        received_other_telework_subsidy: o
            .opt_boolean("received_other_telework_subsidy")?
            .unwrap_or(false),
        disqualifications,
    })
}

fn parse_plan(o: &Obj<'_>, warnings: &mut Vec<Warning>) -> Result<Plan> {
    o.warn_unknown(
        &["submitted_on", "certified_on", "target_workers"],
        warnings,
    );
    let submitted_on = o.opt_date("submitted_on")?;
    let certified_on = o.opt_date("certified_on")?;
    if let (Some(c), Some(submitted_on)) = (certified_on, submitted_on) {
        if c < submitted_on {
            return Err(InputError::new(
                ErrorCode::DateOrder,
                o.path("certified_on"),
                format!(
                    "認定日 {c} が計画提出日 {submitted_on} より前です。日付を確かめてください"
                ),
            ));
        }
    }
    let items = o.array("target_workers")?;
    let mut target_workers = Vec::with_capacity(items.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let w = item?;
        w.warn_unknown(&["id", "employment"], warnings);
        let id = w.id("id")?;
        if let Some(first) = seen.insert(id.clone(), i) {
            return Err(InputError::new(
                ErrorCode::DuplicateId,
                w.path("id"),
                format!(
                    "対象労働者ID {id:?} が重複しています（{}[{first}] と同じ）",
                    items.path
                ),
            ));
        }
        target_workers.push(TargetWorker {
            id,
            employment: w.enumeration("employment", Employment::parse, Employment::names)?,
        });
    }
    Ok(Plan {
        submitted_on,
        certified_on,
        target_workers,
    })
}

fn parse_telework(o: Obj<'_>, warnings: &mut Vec<Warning>) -> Result<TeleworkDay> {
    o.warn_unknown(&["worker", "date", "place"], warnings);
    Ok(TeleworkDay {
        worker: o.id("worker")?,
        date: o.date("date")?,
        place: o.enumeration("place", Place::parse, Place::names)?,
    })
}

fn parse_expense(o: Obj<'_>, warnings: &mut Vec<Warning>) -> Result<Expense> {
    o.warn_unknown(
        &[
            "id",
            "category",
            "amount_yen",
            "delivered_on",
            "paid_on",
            "for",
            "description",
            "funded_by_other_subsidy",
            "months",
        ],
        warnings,
    );
    let months = match o.get("months") {
        None => None,
        Some(_) => {
            // count() already bounds it by MAX_COUNT.
            let m = o.count("months")?;
            if m == 0 {
                return Err(InputError::new(
                    ErrorCode::OutOfRange,
                    o.path("months"),
                    "支払の対象月数は1以上の整数で指定してください（0 は使えません）",
                ));
            }
            Some(m)
        }
    };
    Ok(Expense {
        id: o.id("id")?,
        category: o.enumeration("category", ExpenseCategory::parse, ExpenseCategory::names)?,
        amount_yen: o.yen("amount_yen")?,
        delivered_on: o.opt_date("delivered_on")?,
        paid_on: o.opt_date("paid_on")?,
        travel_for: o.opt_string("for")?,
        description: o.opt_string("description")?,
        funded_by_other_subsidy: o.opt_boolean("funded_by_other_subsidy")?.unwrap_or(false),
        months,
    })
}

fn parse_roster(o: Obj<'_>, warnings: &mut Vec<Warning>) -> Result<RosterEntry> {
    o.warn_unknown(&["id", "hired_on", "left_on", "leave_reason"], warnings);
    let hired_on = o.date("hired_on")?;
    let left_on = o.opt_date("left_on")?;
    if let Some(left) = left_on {
        if left < hired_on {
            return Err(InputError::new(
                ErrorCode::DateOrder,
                o.path("left_on"),
                format!("離職日 {left} が入社日 {hired_on} より前です。日付を確かめてください"),
            ));
        }
    }
    Ok(RosterEntry {
        id: o.id("id")?,
        hired_on,
        left_on,
        leave_reason: o.opt_enumeration("leave_reason", LeaveReason::parse, LeaveReason::names)?,
    })
}

fn parse_measure(o: Obj<'_>, warnings: &mut Vec<Warning>) -> Result<Measure> {
    o.warn_unknown(&["kind", "on"], warnings);
    Ok(Measure {
        kind: o.enumeration("kind", MeasureKind::parse, MeasureKind::names)?,
        on: o.date("on")?,
    })
}

fn parse_wage_increase(o: &Obj<'_>, warnings: &mut Vec<Warning>) -> Result<WageIncrease> {
    o.warn_unknown(&["met", "before_yen", "after_yen"], warnings);
    let met = o.opt_boolean("met")?;
    let before = o.opt_yen("before_yen")?;
    let after = o.opt_yen("after_yen")?;
    if let Some(met) = met {
        return Ok(WageIncrease::Stated { met });
    }
    match (before, after) {
        (Some(before_yen), Some(after_yen)) => Ok(WageIncrease::Figures {
            before_yen,
            after_yen,
        }),
        (None, _) => Err(InputError::new(
            ErrorCode::MissingField,
            o.path("before_yen"),
            "賃金要件は met（true/false）か、before_yen と after_yen（引上げ前後3か月の賃金総額）で指定してください",
        )),
        (_, None) => Err(InputError::new(
            ErrorCode::MissingField,
            o.path("after_yen"),
            "賃金要件は met（true/false）か、before_yen と after_yen（引上げ前後3か月の賃金総額）で指定してください",
        )),
    }
}

fn parse_productivity(o: &Obj<'_>, warnings: &mut Vec<Warning>) -> Result<Productivity> {
    o.warn_unknown(
        &[
            "met",
            "base_year",
            "latest_year",
            "financial_institution_evaluation",
        ],
        warnings,
    );
    if let Some(met) = o.opt_boolean("met")? {
        return Ok(Productivity::Stated { met });
    }
    Ok(Productivity::Figures {
        base_year: parse_productivity_year(&o.object("base_year")?, warnings)?,
        latest_year: parse_productivity_year(&o.object("latest_year")?, warnings)?,
        financial_institution_evaluation: o
            .opt_boolean("financial_institution_evaluation")?
            .unwrap_or(false),
    })
}

fn parse_productivity_year(o: &Obj<'_>, warnings: &mut Vec<Warning>) -> Result<ProductivityYear> {
    o.warn_unknown(
        &[
            "operating_profit",
            "personnel_cost",
            "depreciation",
            "rent",
            "taxes",
            "insured_workers",
        ],
        warnings,
    );
    let insured_workers = o.count("insured_workers")?;
    if insured_workers == 0 {
        return Err(InputError::new(
            ErrorCode::OutOfRange,
            o.path("insured_workers"),
            "雇用保険被保険者数は1以上で指定してください（0人では生産性を計算できません）",
        ));
    }
    Ok(ProductivityYear {
        operating_profit: o.signed_yen("operating_profit")?,
        personnel_cost: o.yen("personnel_cost")?,
        depreciation: o.yen("depreciation")?,
        rent: o.yen("rent")?,
        taxes: o.yen("taxes")?,
        insured_workers,
    })
}

/// A JSON object together with its path in the document.
struct Obj<'a> {
    map: &'a [(Cow<'a, str>, Json<'a>)],
    path: String,
}

/// A JSON array together with its path.
struct Arr<'a> {
    items: &'a [Json<'a>],
    path: String,
}

impl<'a> Arr<'a> {
    fn len(&self) -> usize {
        self.items.len()
    }

    /// Each element as an object, with its indexed path.
    fn iter(&self) -> impl Iterator<Item = Result<Obj<'a>>> + '_ {
        self.items.iter().enumerate().map(move |(i, v)| {
            let path = format!("{}[{i}]", self.path);
            match v {
                Json::Object(map) => Ok(Obj { map, path }),
                other => Err(InputError::new(
                    ErrorCode::WrongType,
                    path,
                    format!(
                        "オブジェクト {{…}} を指定してください（{} は使えません）",
                        describe(other)
                    ),
                )),
            }
        })
    }
}

impl<'a> Obj<'a> {
    fn root(v: &'a Json<'a>) -> Result<Obj<'a>> {
        match v {
            Json::Object(map) => Ok(Obj {
                map,
                path: String::new(),
            }),
            other => Err(InputError::new(
                ErrorCode::WrongType,
                "$",
                format!(
                    "ケースは JSON オブジェクト {{…}} で指定してください（{} は使えません）",
                    describe(other)
                ),
            )),
        }
    }

    fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value, or `None` when absent or null.
    fn get(&self, key: &str) -> Option<&'a Json<'a>> {
        self.map
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }

    fn required(&self, key: &str) -> Result<&'a Json<'a>> {
        self.get(key).ok_or_else(|| {
            InputError::new(
                ErrorCode::MissingField,
                self.path(key),
                "必須の項目がありません",
            )
        })
    }

    fn wrong_type(&self, key: &str, expected: &str, v: &Json<'_>) -> InputError {
        InputError::new(
            ErrorCode::WrongType,
            self.path(key),
            format!(
                "{expected}を指定してください（{} は使えません）",
                describe(v)
            ),
        )
    }

    fn warn_unknown(&self, known: &[&str], warnings: &mut Vec<Warning>) {
        for (key, _) in self.map {
            if !known.contains(&key.as_ref()) {
                warnings.push(Warning {
                    field: self.path(key),
                    message: "この項目は josei の入力形式にないため無視しました（綴りを確かめてください）"
                        .into(),
                });
            }
        }
    }

    fn object(&self, key: &str) -> Result<Obj<'a>> {
        self.opt_object(key)?.ok_or_else(|| {
            InputError::new(
                ErrorCode::MissingField,
                self.path(key),
                "必須の項目がありません",
            )
        })
    }

    fn opt_object(&self, key: &str) -> Result<Option<Obj<'a>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::Object(map)) => Ok(Some(Obj {
                map,
                path: self.path(key),
            })),
            Some(other) => Err(self.wrong_type(key, "オブジェクト {…} ", other)),
        }
    }

    fn array(&self, key: &str) -> Result<Arr<'a>> {
        self.opt_array(key)?.ok_or_else(|| {
            InputError::new(
                ErrorCode::MissingField,
                self.path(key),
                "必須の項目がありません（空でも [] を指定してください）",
            )
        })
    }

    fn opt_array(&self, key: &str) -> Result<Option<Arr<'a>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::Array(items)) => Ok(Some(Arr {
                items,
                path: self.path(key),
            })),
            Some(other) => Err(self.wrong_type(key, "配列 […] ", other)),
        }
    }

    fn opt_string(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.to_string())),
            Some(other) => Err(self.wrong_type(key, "文字列", other)),
        }
    }

    /// A required, non-blank identifier.
    fn id(&self, key: &str) -> Result<String> {
        match self.required(key)? {
            Json::String(s) if !s.trim().is_empty() => Ok(s.to_string()),
            Json::String(_) => Err(InputError::new(
                ErrorCode::MissingField,
                self.path(key),
                "IDが空です。従業員や経費を区別できる文字列を指定してください",
            )),
            other => Err(self.wrong_type(key, "文字列のID", other)),
        }
    }

    fn boolean(&self, key: &str) -> Result<bool> {
        self.opt_boolean(key)?.ok_or_else(|| {
            InputError::new(
                ErrorCode::MissingField,
                self.path(key),
                "必須の項目がありません（true か false）",
            )
        })
    }

    fn opt_boolean(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong_type(key, "true か false ", other)),
        }
    }

    fn date(&self, key: &str) -> Result<Date> {
        self.opt_date(key)?.ok_or_else(|| {
            InputError::new(
                ErrorCode::MissingField,
                self.path(key),
                "必須の項目がありません（YYYY-MM-DD 形式の日付）",
            )
        })
    }

    fn opt_date(&self, key: &str) -> Result<Option<Date>> {
        let s = match self.get(key) {
            None => return Ok(None),
            Some(Json::String(s)) => s,
            Some(other) => {
                return Err(self.wrong_type(key, "YYYY-MM-DD 形式の日付（文字列）", other))
            }
        };
        parse_iso_date(s).map(Some).map_err(|e| {
            let (code, msg) = match e {
                DateError::Format => (
                    ErrorCode::InvalidDate,
                    format!("{s:?} は日付として読めません。YYYY-MM-DD 形式（例: 2022-07-01）で指定してください"),
                ),
                DateError::NoSuchDay => (
                    ErrorCode::InvalidDate,
                    format!("{s:?} は存在しない日付です"),
                ),
                DateError::OutOfRange => (
                    ErrorCode::OutOfRange,
                    format!(
                        "{s:?} は対応していない年です（{}年〜{}年）",
                        crate::civil::MIN_YEAR,
                        crate::civil::MAX_YEAR
                    ),
                ),
            };
            InputError::new(code, self.path(key), msg)
        })
    }

    /// A required non-negative whole number.
    fn count(&self, key: &str) -> Result<u64> {
        let v = self.required(key)?;
        let n = self.whole(key, v, "0以上の整数")?;
        self.at_most(key, n, MAX_COUNT)
    }

    fn yen(&self, key: &str) -> Result<Yen> {
        let v = self.required(key)?;
        let n = self.whole(key, v, "0以上の整数（円）")?;
        self.at_most(key, n, MAX_YEN).map(Yen)
    }

    fn opt_yen(&self, key: &str) -> Result<Option<Yen>> {
        self.get(key)
            .map(|v| {
                let n = self.whole(key, v, "0以上の整数（円）")?;
                self.at_most(key, n, MAX_YEN).map(Yen)
            })
            .transpose()
    }

    fn at_most(&self, key: &str, n: u64, max: u64) -> Result<u64> {
        if n > max {
            return Err(InputError::new(
                ErrorCode::OutOfRange,
                self.path(key),
                format!("{n} は大きすぎます（上限 {max}）。桁を確かめてください"),
            ));
        }
        Ok(n)
    }

    /// A required whole number of yen that may be negative (a loss).
    fn signed_yen(&self, key: &str) -> Result<i64> {
        match self.required(key)? {
            Json::Number(n) if n.as_i64().is_some_and(|i| i.unsigned_abs() <= MAX_YEN) => {
                Ok(n.as_i64().unwrap_or_default())
            }
            Json::Number(n) if n.is_u64() || n.is_i64() => Err(InputError::new(
                ErrorCode::OutOfRange,
                self.path(key),
                format!("{n} は大きすぎます"),
            )),
            other => Err(self.wrong_type(key, "整数（円）", other)),
        }
    }

    fn whole(&self, key: &str, v: &Json<'_>, what: &str) -> Result<u64> {
        match v {
            Json::Number(n) => {
                if let Some(u) = n.as_u64() {
                    Ok(u)
                } else if n.as_i64().is_some() || n.as_f64().is_some_and(|f| f < 0.0) {
                    Err(InputError::new(
                        ErrorCode::Negative,
                        self.path(key),
                        format!("{what}で指定してください（{n} は使えません）"),
                    ))
                } else if n
                    .as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f > u64::MAX as f64)
                {
                    Err(InputError::new(
                        ErrorCode::OutOfRange,
                        self.path(key),
                        format!("{n} は大きすぎます"),
                    ))
                } else {
                    Err(InputError::new(
                        ErrorCode::WrongType,
                        self.path(key),
                        format!("{what}で指定してください（小数 {n} は使えません）"),
                    ))
                }
            }
            other => Err(self.wrong_type(key, what, other)),
        }
    }

    fn enumeration<E>(
        &self,
        key: &str,
        parse: fn(&str) -> Option<E>,
        names: fn() -> String,
    ) -> Result<E> {
        self.opt_enumeration(key, parse, names)?.ok_or_else(|| {
            InputError::new(
                ErrorCode::MissingField,
                self.path(key),
                format!("必須の項目がありません（{} のいずれか）", names()),
            )
        })
    }

    fn opt_enumeration<E>(
        &self,
        key: &str,
        parse: fn(&str) -> Option<E>,
        names: fn() -> String,
    ) -> Result<Option<E>> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::String(s)) => parse(s).map(Some).ok_or_else(|| {
                InputError::new(
                    ErrorCode::UnknownValue,
                    self.path(key),
                    format!(
                        "{s:?} は使えません。{} のいずれかを指定してください",
                        names()
                    ),
                )
            }),
            Some(other) => {
                Err(self.wrong_type(key, &format!("文字列（{} のいずれか）", names()), other))
            }
        }
    }
}

/// A short Japanese description of a JSON value, for messages.
fn describe(v: &Json<'_>) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => format!("真偽値 {b}"),
        Json::Number(n) => format!("数値 {n}"),
        Json::String(s) => {
            let short: String = s.chars().take(40).collect();
            format!("文字列 {short:?}")
        }
        Json::Array(_) => "配列".into(),
        Json::Object(_) => "オブジェクト".into(),
    }
}
