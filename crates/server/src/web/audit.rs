//! A case's audit log in words: when, who (by name and role), what was done
//! (every action code has its Japanese label in [`ACTION_LABELS`]) and what
//! changed, field by field with Japanese names — never the log's action
//! names, ids or stored JSON.
//!
//! A save of the inputs (`case.inputs`, `case.amend`) records the whole
//! document before it and, after it, the employer, the dates the save may
//! change and the number of rows of each list. The lists as they were after
//! the save are the document before the next save (or the current document
//! for the last one): the workflow's steps never change them.

use super::*;
use josei_rules::model::{Employment, ExpenseCategory};
use josei_store::{AttachmentKind, AuditEntry, Status, UserId};
use serde_json::Value;

/// Every action the audit log holds, with what it was in words. Labels
/// name the first subsidy as the plan regimes do (機器等導入助成);
/// [`action_text`] renames it for a case of the no-plan regimes.
pub(crate) const ACTION_LABELS: &[(&str, &str)] = &[
    ("case.create", "申請の作成"),
    ("case.inputs", "申請の内容の保存"),
    ("case.amend", "申請の内容の訂正"),
    ("case.message", "連絡の送信"),
    ("case.demo", "研修用のデータとして作成"),
    ("case.submit_plan", "計画の提出"),
    ("case.return_plan", "計画の差戻し"),
    ("case.reject_plan", "計画の不認定"),
    ("case.certify_plan", "計画の認定"),
    ("case.start_evaluation", "評価期間の開始"),
    ("case.file_equipment", "機器等導入助成の支給申請"),
    ("case.grant_equipment", "機器等導入助成の支給決定"),
    ("case.deny_equipment", "機器等導入助成の不支給決定"),
    ("case.start_goal_tracking", "目標達成に向けた取組の開始"),
    ("case.file_goal", "目標達成助成の支給申請"),
    ("case.grant_goal", "目標達成助成の支給決定"),
    ("case.deny_goal", "目標達成助成の不支給決定"),
    ("case.close", "申請の完了"),
    ("case.withdraw", "申請の取下げ"),
    ("attachment.add", "書類の添付"),
    ("attachment.delete", "書類の削除"),
    ("user.create", "利用者の登録"),
    ("user.disable", "利用者の利用停止"),
    ("user.enable", "利用者の利用再開"),
    ("user.email", "メールアドレスの変更"),
    ("user.particulars", "登録事項の変更"),
    ("user.password", "パスワードの変更"),
    ("token.create", "外部連携用の鍵の発行"),
    ("token.revoke", "外部連携用の鍵の失効"),
    ("delegation.grant", "社会保険労務士への委任"),
    ("delegation.revoke", "社会保険労務士への委任の終了"),
    ("organization.create", "事業主の登録"),
    ("setting.set", "設定の変更"),
    ("bureau.update", "労働局の連絡先の変更"),
    ("case.assign", "担当者の割り当て"),
    ("user.update", "利用者の登録事項の変更"),
    ("user.password_reset", "パスワード再設定のご案内の送信"),
    ("user.password_reset_used", "パスワードの再設定"),
    ("organization.update", "事業主の登録事項の変更"),
    ("consultation.create", "相談の記録"),
    ("consultation.update", "相談の記録の変更"),
    ("consultation.follow_up", "相談のフォローアップの記録"),
    ("consultation.open_case", "相談からの申請の作成"),
    (
        "consultation.link_organization",
        "相談者の事業主としての登録",
    ),
    ("consulting.request", "コンサルティングの依頼"),
    ("consulting.assign", "テレワークマネージャーの割り当て"),
    ("consulting.visit", "コンサルティングの実施の記録"),
    ("consulting.complete", "コンサルティングの完了"),
    ("event.create", "セミナー・個別相談会の作成"),
    ("event.update", "セミナー・個別相談会の内容の変更"),
    ("event.publish", "セミナー・個別相談会の公開"),
    ("event.unpublish", "セミナー・個別相談会の非公開"),
    ("event.cancel", "セミナー・個別相談会の中止"),
    ("event.register", "セミナー・個別相談会への申込み"),
    (
        "event.registration_cancel",
        "セミナー・個別相談会の申込みの取消",
    ),
    ("event.registration_promote", "キャンセル待ちからの繰上げ"),
    ("event.attendance", "セミナー・個別相談会の出席の記録"),
    ("event.material_add", "セミナー・個別相談会の資料の追加"),
    ("event.material_remove", "セミナー・個別相談会の資料の削除"),
    ("award.round_create", "テレワーク賞の回の登録"),
    ("award.round_status", "テレワーク賞の審査の開始"),
    ("award.results_publish", "テレワーク賞の結果の公表"),
    ("award.application_save", "テレワーク賞の応募の下書き保存"),
    ("award.application_submit", "テレワーク賞への応募"),
    ("award.conflict_declare", "テレワーク賞の利害関係の申告"),
    ("award.review_save", "テレワーク賞の採点"),
    ("award.result_decide", "テレワーク賞の結果の決定"),
    ("case.work_rules_draft", "テレワーク勤務規程の案の作成"),
    ("case.work_rules_adopt", "テレワーク勤務規程の制定の記録"),
];

/// The label of an action code; 「その他の操作」 for a code not (yet) known.
pub(crate) fn action_label(code: &str) -> &'static str {
    ACTION_LABELS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("その他の操作", |(_, l)| l)
}

/// [`action_label`] for a case whose first subsidy is called `first`.
pub(crate) fn action_text(code: &str, first: &str) -> String {
    action_label(code).replace("機器等導入助成", first)
}

/// A role as a page names it.
fn role_word(role: josei_store::Role) -> &'static str {
    role.label()
}

/// The names of the people in `audit`, as `山田 太郎（事業主）`.
pub(crate) async fn names(state: &AppState, audit: &[AuditEntry]) -> HashMap<UserId, String> {
    let mut out = HashMap::new();
    for id in audit.iter().filter_map(|a| a.user_id) {
        if out.contains_key(&id) {
            continue;
        }
        if let Ok(Some(u)) = state.db.user_by_id(id).await {
            out.insert(id, format!("{}（{}）", u.display_name, role_word(u.role)));
        }
    }
    out
}

/// How a value of a field is shown.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Date,
    Yen,
    Count(&'static str),
    YesNo,
    Industry,
    TeleworkStatus,
    Employment,
    Category,
    TravelFor,
    /// A structured value: said to have changed, not shown.
    Opaque,
}

/// A value for people; absent or empty: 「（なし）」.
fn shown(kind: Kind, v: Option<&Value>) -> String {
    let none = || "（なし）".to_string();
    let Some(v) = v.filter(|v| !v.is_null() && v.as_str() != Some("")) else {
        return none();
    };
    match kind {
        Kind::Text => v.as_str().map_or_else(none, str::to_string),
        Kind::Date => v
            .as_str()
            .and_then(|s| josei_rules::civil::parse_iso_date(s).ok())
            .map_or_else(none, josei_rules::wareki::format_wareki),
        Kind::Yen => v.as_u64().map_or_else(none, yen),
        Kind::Count(unit) => v.as_u64().map_or_else(none, |n| format!("{n}{unit}")),
        Kind::YesNo => match v.as_bool() {
            Some(true) => "はい".into(),
            Some(false) => "いいえ".into(),
            None => none(),
        },
        Kind::Industry => super::print::industry_label(v).to_string(),
        Kind::TeleworkStatus => telework_status_label(v.as_str().unwrap_or("")).to_string(),
        Kind::Employment => match v.as_str().and_then(Employment::parse) {
            Some(Employment::Direct) => "直接雇用".into(),
            Some(Employment::Dispatched) => "派遣労働者".into(),
            None => none(),
        },
        Kind::Category => v
            .as_str()
            .and_then(ExpenseCategory::parse)
            .map_or_else(none, |c| c.label_ja().to_string()),
        Kind::TravelFor => super::print::travel_for_label(v).map_or_else(none, str::to_string),
        Kind::Opaque => "（内容あり）".into(),
    }
}

/// Where the employer stands with telework, in words.
pub(crate) fn telework_status_label(s: &str) -> &'static str {
    match s {
        "none" => "これから導入する",
        "trial_ongoing" => "試行中",
        "trial_ended" => "試行したことがある",
        "expanding" => "すでに実施していて、対象者や回数を拡大する",
        "established" => "制度として定着している",
        _ => "—",
    }
}

/// The employer's fields a save may change.
const EMPLOYER_FIELDS: &[(&str, &str, Kind)] = &[
    ("name", "事業主名", Kind::Text),
    ("address", "所在地", Kind::Text),
    ("representative", "代表者の役職・氏名", Kind::Text),
    (
        "employment_insurance_number",
        "雇用保険適用事業所番号",
        Kind::Text,
    ),
    ("industry", "業種", Kind::Industry),
    ("capital_yen", "資本金", Kind::Yen),
    (
        "regular_employees",
        "常時雇用する労働者数",
        Kind::Count("人"),
    ),
    ("employment_insurance", "雇用保険の適用事業主", Kind::YesNo),
    (
        "telework_status",
        "テレワークの実施状況",
        Kind::TeleworkStatus,
    ),
    (
        "work_rules_have_telework",
        "就業規則等にテレワークの規定がある",
        Kind::YesNo,
    ),
    (
        "received_telework_subsidy",
        "テレワークの助成金を受けたことがある",
        Kind::YesNo,
    ),
    (
        "received_other_telework_subsidy",
        "他のテレワークの助成金・補助金を受けたことがある",
        Kind::YesNo,
    ),
    ("disqualifications", "不支給要件の申告", Kind::Opaque),
];

/// The case's own fields a save may change (JSON pointers).
const CASE_FIELDS: &[(&str, &str, Kind)] = &[
    ("/evaluation_start", "評価期間の初日", Kind::Date),
    (
        "/work_rules_established_on",
        "就業規則等の整備日",
        Kind::Date,
    ),
    (
        "/workplace_climate/top_message_on",
        "経営者からのメッセージの発信日",
        Kind::Date,
    ),
    (
        "/workplace_climate/case_sharing_on",
        "好事例の共有日",
        Kind::Date,
    ),
    (
        "/telework_before_count",
        "計画前のテレワークの実施回数",
        Kind::Count("回"),
    ),
    ("/wage_increase", "賃金要件", Kind::Opaque),
];

/// An expense item's fields.
const EXPENSE_FIELDS: &[(&str, &str, Kind)] = &[
    ("category", "区分", Kind::Category),
    ("description", "内容", Kind::Text),
    ("amount_yen", "金額", Kind::Yen),
    ("delivered_on", "納品日", Kind::Date),
    ("paid_on", "支払日", Kind::Date),
    ("for", "旅費の目的", Kind::TravelFor),
    (
        "funded_by_other_subsidy",
        "他の助成金・補助金を受けた経費",
        Kind::YesNo,
    ),
    ("months", "対象月数", Kind::Count("か月")),
];

/// A target worker's fields.
const WORKER_FIELDS: &[(&str, &str, Kind)] = &[
    ("name", "氏名", Kind::Text),
    ("employee_number", "社員番号", Kind::Text),
    ("employment", "雇用形態", Kind::Employment),
];

/// 「項目：前 → 後」 for each field of `fields` that differs.
fn field_changes(
    prefix: &str,
    fields: &[(&str, &str, Kind)],
    before: &Value,
    after: &Value,
    out: &mut Vec<String>,
) {
    for (key, label, kind) in fields {
        let get = |v: &'_ Value| -> Option<Value> {
            if key.starts_with('/') {
                v.pointer(key).cloned()
            } else {
                v.get(*key).cloned()
            }
        };
        let (b, a) = (get(before), get(after));
        let empty = |v: &Option<Value>| {
            v.as_ref()
                .is_none_or(|v| v.is_null() || v.as_str() == Some(""))
        };
        if b == a || (empty(&b) && empty(&a)) {
            continue;
        }
        match kind {
            Kind::Opaque => out.push(format!("{prefix}{label}：内容を変更")),
            _ => out.push(format!(
                "{prefix}{label}：{} → {}",
                shown(*kind, b.as_ref()),
                shown(*kind, a.as_ref())
            )),
        }
    }
}

fn list<'a>(v: &'a Value, pointer: &str) -> &'a [Value] {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
}

/// An expense item named for people: its 内容, else its 区分.
fn expense_name(x: &Value) -> String {
    x.get("description")
        .and_then(Value::as_str)
        .filter(|d| !d.trim().is_empty())
        .map(str::to_string)
        .or_else(|| {
            x.get("category")
                .and_then(Value::as_str)
                .and_then(ExpenseCategory::parse)
                .map(|c| c.label_ja().to_string())
        })
        .unwrap_or_else(|| "経費".into())
}

/// Items of two lists matched by `id`: added, removed, changed field by field.
fn keyed_changes(
    what: &str,
    before: &[Value],
    after: &[Value],
    name: impl Fn(&Value) -> String,
    fields: &[(&str, &str, Kind)],
    out: &mut Vec<String>,
) {
    let id = |v: &Value| v.get("id").and_then(Value::as_str).map(str::to_string);
    let index = |list: &[Value]| -> HashMap<String, usize> {
        list.iter()
            .enumerate()
            .filter_map(|(i, v)| Some((id(v)?, i)))
            .collect()
    };
    let (old, new) = (index(before), index(after));
    for a in after {
        match id(a).and_then(|k| old.get(&k)) {
            None => out.push(format!("{what}の追加：{}", name(a))),
            Some(&i) => field_changes(
                &format!("{what}「{}」の", name(&before[i])),
                fields,
                &before[i],
                a,
                out,
            ),
        }
    }
    for b in before {
        if id(b).is_none_or(|k| !new.contains_key(&k)) {
            out.push(format!("{what}の削除：{}", name(b)));
        }
    }
}

/// Rows added and removed between two lists of records (as multisets).
fn record_changes(
    what: &str,
    unit: &str,
    before: &[Value],
    after: &[Value],
    out: &mut Vec<String>,
) {
    let mut left: HashMap<String, i64> = HashMap::new();
    for b in before {
        *left.entry(b.to_string()).or_default() += 1;
    }
    let mut added = 0usize;
    for a in after {
        match left.get_mut(&a.to_string()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => added += 1,
        }
    }
    let removed = left.values().sum::<i64>().max(0) as usize;
    if added + removed > 0 {
        let mut parts = Vec::new();
        if added > 0 {
            parts.push(format!("{added}{unit}追加"));
        }
        if removed > 0 {
            parts.push(format!("{removed}{unit}削除"));
        }
        out.push(format!(
            "{what}：{}（{}{unit} → {}{unit}）",
            parts.join("・"),
            before.len(),
            after.len()
        ));
    }
}

/// What a save of the inputs changed. `before`: the whole document before;
/// `summary`: what the entry recorded after; `full_after`: the whole
/// document after, when known.
fn input_changes(before: &Value, summary: &Value, full_after: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    let (eb, ea) = (&before["employer"], &summary["employer"]);
    if ea.is_object() {
        field_changes("", EMPLOYER_FIELDS, eb, ea, &mut out);
        let known = |k: &String| EMPLOYER_FIELDS.iter().any(|(f, _, _)| f == k);
        let keys: std::collections::BTreeSet<&String> = eb
            .as_object()
            .into_iter()
            .chain(ea.as_object())
            .flat_map(|o| o.keys())
            .filter(|k| !known(k))
            .collect();
        if keys
            .iter()
            .any(|k| eb.get(k.as_str()) != ea.get(k.as_str()))
        {
            out.push("事業主のその他の項目：内容を変更".into());
        }
    }
    field_changes("", CASE_FIELDS, before, summary, &mut out);
    match full_after {
        Some(after) => {
            keyed_changes(
                "対象労働者",
                list(before, "/plan/target_workers"),
                list(after, "/plan/target_workers"),
                josei_app::printout::worker_name,
                WORKER_FIELDS,
                &mut out,
            );
            keyed_changes(
                "経費",
                list(before, "/expenses"),
                list(after, "/expenses"),
                expense_name,
                EXPENSE_FIELDS,
                &mut out,
            );
            record_changes(
                "テレワーク実施記録",
                "件",
                list(before, "/telework"),
                list(after, "/telework"),
                &mut out,
            );
            record_changes(
                "労働者名簿",
                "件",
                list(before, "/roster"),
                list(after, "/roster"),
                &mut out,
            );
            record_changes(
                "取組の記録",
                "件",
                list(before, "/measures"),
                list(after, "/measures"),
                &mut out,
            );
            if before.get("productivity") != after.get("productivity") {
                out.push("生産性要件：内容を変更".into());
            }
        }
        None => {
            // Only the numbers of rows are known.
            for (pointer, key, what, unit) in [
                ("/plan/target_workers", "target_workers", "対象労働者", "人"),
                ("/expenses", "expenses", "経費", "件"),
                ("/telework", "telework", "テレワーク実施記録", "件"),
                ("/roster", "roster", "労働者名簿", "件"),
                ("/measures", "measures", "取組の記録", "件"),
            ] {
                let b = list(before, pointer).len() as u64;
                if let Some(a) = summary
                    .pointer(&format!("/record_counts/{key}"))
                    .and_then(Value::as_u64)
                {
                    if a != b {
                        out.push(format!("{what}：{b}{unit} → {a}{unit}"));
                    }
                }
            }
        }
    }
    out
}

/// The dates a workflow step records, by the column it sets.
const STEP_DATES: &[(&str, &str)] = &[
    ("submitted_on", "計画の提出日"),
    ("certified_on", "計画の認定日"),
    ("equipment_application_filed_on", "支給申請日"),
    ("goal_application_filed_on", "目標達成助成の支給申請日"),
];

/// An entry's action and what it changed, in words. `full_after`: for a
/// save of the inputs, the whole document after it when known.
pub(crate) fn describe(
    a: &AuditEntry,
    first: &str,
    full_after: Option<&Value>,
) -> (String, Vec<String>) {
    let after = a.after.as_ref().unwrap_or(&Value::Null);
    let before = a.before.as_ref().unwrap_or(&Value::Null);
    let text = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let status = |v: &Value| {
        v.get("status")
            .and_then(Value::as_str)
            .and_then(Status::parse)
            .map(Status::label_ja)
    };
    let attachment = |v: &Value| {
        let kind = v
            .get("kind")
            .and_then(Value::as_str)
            .and_then(AttachmentKind::parse)
            .map_or("書類", AttachmentKind::label_ja);
        format!("{}（{kind}）", text(v, "filename").unwrap_or_default())
    };
    let what = action_text(&a.action, first);
    let details = match a.action.as_str() {
        "case.create" => text(after, "title")
            .map(|t| format!("件名：{t}"))
            .into_iter()
            .collect(),
        "case.inputs" | "case.amend" => {
            let mut d = input_changes(before, after, full_after);
            if d.is_empty() {
                d.push("変更した項目はありません".into());
            }
            if let Some(r) = text(after, "amendment_reason") {
                d.push(format!("訂正の理由：{r}"));
            }
            d
        }
        "case.message" => after
            .get("characters")
            .and_then(Value::as_u64)
            .map(|n| format!("{n}文字"))
            .into_iter()
            .collect(),
        "attachment.add" => vec![attachment(after)],
        "attachment.delete" => vec![attachment(before)],
        _ => {
            let mut d = Vec::new();
            match (status(before), status(after)) {
                (Some(b), Some(t)) if b != t => d.push(format!("状態：{b} → {t}")),
                (_, Some(t)) => d.push(format!("状態：{t}")),
                _ => {}
            }
            if let Some(on) = after.get("on") {
                d.push(format!("日付：{}", shown(Kind::Date, Some(on))));
            }
            for (col, label) in STEP_DATES {
                if let Some(v) = after.get(*col).filter(|v| v.is_string()) {
                    let label = if *col == "equipment_application_filed_on" {
                        format!("{first}の{label}")
                    } else {
                        label.to_string()
                    };
                    d.push(format!("{label}：{}", shown(Kind::Date, Some(v))));
                }
            }
            if let Some(n) = after.get("decided_amount_yen").and_then(Value::as_u64) {
                d.push(format!("決定額：{}", yen(n)));
            }
            if let Some(r) = text(after, "reason") {
                d.push(format!("理由：{r}"));
            }
            d
        }
    };
    (what, details)
}

/// The most entries the page shows.
const MAX_SHOWN: usize = 200;

/// The log as a table (cards on a phone). `current`: the case's document
/// now (the lists after the last save of the inputs).
pub(crate) fn audit_section(
    audit: &[AuditEntry],
    names: &HashMap<UserId, String>,
    first: &str,
    current: Option<&Value>,
) -> Markup {
    let saves = |a: &AuditEntry| matches!(a.action.as_str(), "case.inputs" | "case.amend");
    // The latest entries (a case saved many times has a long log).
    let from = audit.len().saturating_sub(MAX_SHOWN);
    html! {
        @if !audit.is_empty() {
            h2 #audit-title { "操作の記録" }
            p.hint { "この申請について、いつ・誰が・何をしたかの記録です（変更や削除はできません）。" }
            @if from > 0 { p.hint { "全" (audit.len()) "件のうち、新しい" (MAX_SHOWN) "件を表示しています。" } }
            div.table-wrap { table.stack.audit {
                caption.visually-hidden { "操作の記録" }
                thead { tr { th scope="col" { "日時" } th scope="col" { "操作した人" } th scope="col" { "操作" } th scope="col" { "内容" } } }
                tbody { @for (i, a) in audit.iter().enumerate().skip(from) {
                    @let full_after = if saves(a) {
                        match audit[i + 1..].iter().find(|n| saves(n)) {
                            Some(next) => next.before.as_ref(),
                            None => current,
                        }
                    } else {
                        None
                    };
                    @let (what, details) = describe(a, first, full_after);
                    tr {
                        td data-label="日時" { (jtime(&a.at)) }
                        td data-label="操作した人" {
                            @match a.user_id {
                                None => { "システム" }
                                Some(id) => { (names.get(&id).map_or("（削除された利用者）", String::as_str)) }
                            }
                        }
                        td data-label="操作" { (what) }
                        td data-label="内容" {
                            @match details.len() {
                                0 => {}
                                1 => { (details[0]) }
                                _ => { ul.changes { @for d in &details { li { (d) } } } }
                            }
                        }
                    }
                } }
            } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(action: &str, before: Value, after: Value) -> AuditEntry {
        AuditEntry {
            id: josei_store::AuditEntryId::from(1),
            at: "2022-07-01T00:30:00Z".into(),
            user_id: Some(UserId::from(3)),
            action: action.into(),
            entity: "case".into(),
            entity_id: "7".into(),
            before: Some(before),
            after: Some(after),
        }
    }

    /// No log action, enum value, id or JSON reaches the page.
    #[test]
    fn entries_are_told_in_words() {
        let before_doc = json!({
            "employer": {"name": "みなと商店", "industry": "retail", "capital_yen": 10000000, "x_new": 1},
            "evaluation_start": "2022-08-01",
            "plan": {"target_workers": [{"id": "W001", "employment": "direct", "name": "山田 太郎"}]},
            "expenses": [{"id": "X1", "category": "network_equipment", "amount_yen": 88000, "description": "無線ルーター", "paid_on": null}],
            "telework": [{"worker": "W001", "date": "2022-08-03", "place": "home"}],
            "roster": [],
        });
        let after_doc = json!({
            "employer": {"name": "株式会社みなと商店", "industry": "service", "capital_yen": 10000000, "x_new": 2},
            "evaluation_start": "2022-09-01",
            "plan": {"target_workers": [{"id": "W001", "employment": "dispatched", "name": "山田 太郎"}, {"id": "W002", "employment": "direct", "name": "佐藤 花子"}]},
            "expenses": [{"id": "X1", "category": "network_equipment", "amount_yen": 99000, "description": "無線ルーター", "paid_on": "2022-07-29"}],
            "telework": [{"worker": "W001", "date": "2022-08-03", "place": "home"}, {"worker": "W002", "date": "2022-08-04", "place": "home"}],
            "roster": [],
        });
        let summary = json!({
            "employer": after_doc["employer"], "evaluation_start": "2022-09-01",
            "record_counts": {"target_workers": 2, "telework": 2, "roster": 0, "expenses": 1, "measures": 0},
            "version": 2
        });
        let unknown = ["case", "something_new"].join(".");
        let cases = [
            entry(
                "case.create",
                Value::Null,
                json!({"organization_id": 4, "title": "導入計画", "status": "draft"}),
            ),
            entry("case.inputs", before_doc.clone(), summary.clone()),
            entry(
                "case.amend",
                json!({}),
                json!({"amendment_reason": "誤記の訂正"}),
            ),
            entry(
                "case.return_plan",
                json!({"status": "plan_submitted", "version": 3}),
                json!({"status": "plan_returned", "version": 4, "reason": "添付がありません", "decision_id": null, "on": "2022-06-20"}),
            ),
            entry(
                "case.grant_equipment",
                json!({"status": "equipment_filed"}),
                json!({"status": "equipment_granted", "decided_amount_yen": 90000, "decision_id": 2}),
            ),
            entry(
                "case.message",
                Value::Null,
                json!({"message_id": 9, "characters": 42}),
            ),
            entry(
                "attachment.add",
                Value::Null,
                json!({"attachment_id": 5, "kind": "work_rules", "filename": "就業規則.pdf", "content_type": "application/pdf"}),
            ),
            entry(&unknown, json!({}), json!({"x": true})),
        ];
        let described: Vec<(String, Vec<String>)> = cases
            .iter()
            .enumerate()
            .map(|(i, a)| describe(a, "制度導入助成", (i == 1).then_some(&after_doc)))
            .collect();
        for (what, detail) in &described {
            // The file's own name is the applicant's words.
            let all = format!("{what} {}", detail.join(" ")).replace("就業規則.pdf", "");
            assert!(
                !all.chars().any(|c| c.is_ascii_alphabetic() || c == '{'),
                "{all}"
            );
        }
        assert_eq!(
            described[0],
            ("申請の作成".into(), vec!["件名：導入計画".into()])
        );
        let changes = &described[1].1;
        for expected in [
            "事業主名：みなと商店 → 株式会社みなと商店",
            "業種：小売業（飲食店を含む） → サービス業",
            "事業主のその他の項目：内容を変更",
            "評価期間の初日：令和4年8月1日 → 令和4年9月1日",
            "対象労働者「山田 太郎」の雇用形態：直接雇用 → 派遣労働者",
            "対象労働者の追加：佐藤 花子",
            "経費「無線ルーター」の金額：88,000円 → 99,000円",
            "経費「無線ルーター」の支払日：（なし） → 令和4年7月29日",
            "テレワーク実施記録：1件追加（1件 → 2件）",
        ] {
            assert!(
                changes.iter().any(|c| c == expected),
                "{expected}: {changes:?}"
            );
        }
        assert_eq!(changes.len(), 9, "{changes:?}");
        // Without the document after, the counts.
        let (_, counts) = describe(&cases[1], "制度導入助成", None);
        assert!(
            counts.contains(&"対象労働者：1人 → 2人".to_string()),
            "{counts:?}"
        );
        assert!(described[2]
            .1
            .contains(&"訂正の理由：誤記の訂正".to_string()));
        assert_eq!(
            described[3],
            (
                "計画の差戻し".into(),
                vec![
                    "状態：計画提出済み → 計画差戻し".into(),
                    "日付：令和4年6月20日".into(),
                    "理由：添付がありません".into()
                ]
            )
        );
        assert_eq!(described[4].0, "制度導入助成の支給決定");
        assert!(described[4].1.contains(&"決定額：90,000円".to_string()));
        assert_eq!(described[5].1, vec!["42文字".to_string()]);
        assert_eq!(
            described[6].1,
            vec!["就業規則.pdf（就業規則等）".to_string()]
        );
        assert_eq!(described[7].0, "その他の操作");
    }

    /// Records are compared as multisets, in one pass (60,000 rows at most).
    #[test]
    fn records_added_and_removed_are_counted() {
        let row =
            |d: u32| json!({"worker": "W001", "date": format!("2022-08-{d:02}"), "place": "home"});
        let before: Vec<Value> = (1..=3).map(row).chain([row(1)]).collect();
        let after: Vec<Value> = vec![row(1), row(2), row(9)];
        let mut out = Vec::new();
        record_changes("テレワーク実施記録", "件", &before, &after, &mut out);
        assert_eq!(out, ["テレワーク実施記録：1件追加・2件削除（4件 → 3件）"]);
        let many: Vec<Value> = (0..60_000)
            .map(|i| json!({"worker": "W001", "n": i}))
            .collect();
        let mut out = Vec::new();
        record_changes("テレワーク実施記録", "件", &many, &many[1..], &mut out);
        assert_eq!(out, ["テレワーク実施記録：1件削除（60000件 → 59999件）"]);
    }

    /// The action codes the store writes: the literals of its sources and
    /// `case.{step}` for every workflow step (and the demo's).
    fn written_codes() -> std::collections::BTreeSet<String> {
        let prefixes = [
            "case.",
            "user.",
            "attachment.",
            "token.",
            "delegation.",
            "organization.",
            "setting.",
            "bureau.",
            "message.",
            "import.",
            "consultation.",
            "consulting.",
            "event.",
            "award.",
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/src");
        let mut codes = std::collections::BTreeSet::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if p.extension().is_none_or(|x| x != "rs") {
                    continue;
                }
                let src = std::fs::read_to_string(&p).unwrap();
                for lit in src.split('"').skip(1).step_by(2) {
                    let code = prefixes.iter().any(|pre| lit.starts_with(pre))
                        && lit.len() > 5
                        && lit
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                        && lit.matches('.').count() == 1
                        && !lit.ends_with('.');
                    if code {
                        codes.insert(lit.to_string());
                    }
                }
            }
        }
        for t in josei_store::workflow::TRANSITIONS {
            codes.insert(format!("case.{}", t.name));
        }
        codes.insert("case.demo".into());
        codes
    }

    /// Every action the code base writes to the log has its label.
    #[test]
    fn every_action_written_has_a_label() {
        let codes = written_codes();
        assert!(codes.contains("attachment.add"), "{codes:?}");
        assert!(codes.contains("user.password"), "{codes:?}");
        assert!(codes.len() >= 30, "{codes:?}");
        let missing: Vec<&String> = codes
            .iter()
            .filter(|c| !ACTION_LABELS.iter().any(|(l, _)| l == c))
            .collect();
        assert!(missing.is_empty(), "no label for {missing:?}");
        for (_, label) in ACTION_LABELS {
            assert!(!label.chars().any(|c| c.is_ascii_alphanumeric()), "{label}");
        }
    }
}
