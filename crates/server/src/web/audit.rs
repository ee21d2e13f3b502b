//! A case's audit log in words, for the bureau's side of the case page: when,
//! who (by name and role), what was done and what changed — never the log's
//! action names, ids or stored JSON.

use super::*;
use josei_store::{AttachmentKind, AuditEntry, Status, UserId};
use serde_json::Value;

/// The names of the people in `audit`, as `山田 太郎（事業主）`.
pub(crate) async fn names(state: &AppState, audit: &[AuditEntry]) -> HashMap<UserId, String> {
    let mut out = HashMap::new();
    for id in audit.iter().filter_map(|a| a.user_id) {
        if out.contains_key(&id) {
            continue;
        }
        if let Ok(Some(u)) = state.db.user_by_id(id).await {
            out.insert(
                id,
                format!(
                    "{}（{}）",
                    u.display_name,
                    josei_app::messages::role_label(u.role)
                ),
            );
        }
    }
    out
}

/// What a workflow step was, in the past (`first`: the first subsidy's name).
fn step_done(action: &str, first: &str) -> Option<String> {
    let s = match action {
        "submit_plan" => "計画の提出",
        "return_plan" => "計画の差戻し",
        "reject_plan" => "計画の不認定",
        "certify_plan" => "計画の認定",
        "start_evaluation" => "評価期間の開始",
        "file_equipment" => return Some(format!("{first}の支給申請")),
        "grant_equipment" => return Some(format!("{first}の支給決定")),
        "deny_equipment" => return Some(format!("{first}の不支給決定")),
        "start_goal_tracking" => "目標達成に向けた取組の開始",
        "file_goal" => "目標達成助成の支給申請",
        "grant_goal" => "目標達成助成の支給決定",
        "deny_goal" => "目標達成助成の不支給決定",
        "close" => "完了",
        "withdraw" => "取下げ",
        "demo" => "研修用のデータとして作成",
        _ => return None,
    };
    Some(s.to_string())
}

/// An entry's action and what it changed, in words.
pub(crate) fn describe(a: &AuditEntry, first: &str) -> (String, String) {
    let after = a.after.as_ref().unwrap_or(&Value::Null);
    let before = a.before.as_ref().unwrap_or(&Value::Null);
    let text = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    // A write of the inputs records how many rows each list holds.
    let count = |k: &str| {
        after
            .pointer(&format!("/record_counts/{k}"))
            .and_then(Value::as_u64)
            .unwrap_or(0)
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
    match a.action.as_str() {
        "case.create" => (
            "申請の作成".into(),
            text(after, "title").map_or_else(String::new, |t| format!("件名：{t}")),
        ),
        "case.inputs" | "case.amend" => {
            let mut what = format!(
                "対象労働者 {}人・経費 {}件・テレワーク実施記録 {}件・労働者名簿 {}人",
                count("target_workers"),
                count("expenses"),
                count("telework"),
                count("roster"),
            );
            if let Some(r) = text(after, "amendment_reason") {
                what.push_str(&format!("。訂正の理由：{r}"));
            }
            let label = if a.action == "case.amend" {
                "申請の内容の訂正"
            } else {
                "申請の内容の保存"
            };
            (label.into(), what)
        }
        "case.message" => (
            "連絡の送信".into(),
            after
                .get("characters")
                .and_then(Value::as_u64)
                .map_or_else(String::new, |n| format!("{n}文字")),
        ),
        "attachment.add" => ("書類の添付".into(), attachment(after)),
        "attachment.delete" => ("書類の削除".into(), attachment(before)),
        other => {
            let step = other
                .strip_prefix("case.")
                .and_then(|s| step_done(s, first))
                .unwrap_or_else(|| "その他の記録".into());
            let mut what = match (status(before), status(after)) {
                (Some(b), Some(t)) if b != t => format!("状態：{b} → {t}"),
                (_, Some(t)) => format!("状態：{t}"),
                _ => String::new(),
            };
            if let Some(n) = after.get("decided_amount_yen").and_then(Value::as_u64) {
                what.push_str(&format!("。決定額 {}", yen(n)));
            }
            if let Some(r) = text(after, "reason") {
                what.push_str(&format!("。理由：{r}"));
            }
            (step, what)
        }
    }
}

/// The log as a table (cards on a phone).
pub(crate) fn audit_section(
    audit: &[AuditEntry],
    names: &HashMap<UserId, String>,
    first: &str,
) -> Markup {
    html! {
        @if !audit.is_empty() {
            h2 #audit-title { "操作の記録" }
            p.hint { "この申請について、いつ・誰が・何をしたかの記録です（変更や削除はできません）。" }
            div.table-wrap { table.stack.audit aria-labelledby="audit-title" {
                thead { tr { th scope="col" { "日時" } th scope="col" { "操作した人" } th scope="col" { "操作" } th scope="col" { "内容" } } }
                tbody { @for a in audit {
                    @let (what, detail) = describe(a, first);
                    tr {
                        td data-label="日時" { (jtime(&a.at)) }
                        td data-label="操作した人" {
                            @match a.user_id {
                                None => { "システム" }
                                Some(id) => { (names.get(&id).map_or("（削除された利用者）", String::as_str)) }
                            }
                        }
                        td data-label="操作" { (what) }
                        td data-label="内容" { (detail) }
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
        let cases = [
            entry(
                "case.create",
                Value::Null,
                json!({"organization_id": 4, "title": "導入計画", "status": "draft"}),
            ),
            entry(
                "case.inputs",
                json!({}),
                json!({"employer": {"industry": "retail"}, "record_counts": {"target_workers": 1, "telework": 2, "roster": 4, "expenses": 1, "measures": 0}, "version": 2}),
            ),
            entry(
                "case.amend",
                json!({}),
                json!({"amendment_reason": "誤記の訂正"}),
            ),
            entry(
                "case.return_plan",
                json!({"status": "plan_submitted", "version": 3}),
                json!({"status": "plan_returned", "version": 4, "reason": "添付がありません", "decision_id": null}),
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
            entry("case.something_new", json!({}), json!({"x": true})),
        ];
        let described: Vec<(String, String)> =
            cases.iter().map(|a| describe(a, "制度導入助成")).collect();
        for (what, detail) in &described {
            // The file's own name is the applicant's words.
            let all = format!("{what} {detail}").replace("就業規則.pdf", "");
            assert!(
                !all.chars().any(|c| c.is_ascii_alphabetic() || c == '{'),
                "{all}"
            );
        }
        assert_eq!(described[0], ("申請の作成".into(), "件名：導入計画".into()));
        assert_eq!(
            described[1].1,
            "対象労働者 1人・経費 1件・テレワーク実施記録 2件・労働者名簿 4人"
        );
        assert!(described[2].1.ends_with("訂正の理由：誤記の訂正"));
        assert_eq!(
            described[3],
            (
                "計画の差戻し".into(),
                "状態：計画提出済み → 計画差戻し。理由：添付がありません".into()
            )
        );
        assert_eq!(described[4].0, "制度導入助成の支給決定");
        assert!(
            described[4].1.ends_with("決定額 90,000円"),
            "{}",
            described[4].1
        );
        assert_eq!(described[5].1, "42文字");
        assert_eq!(described[6].1, "就業規則.pdf（就業規則等）");
        assert_eq!(described[7].0, "その他の記録");
    }
}
