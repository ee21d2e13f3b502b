//! Commands of the case service: `serve`, `user`, `import`, `export`, `backup`.

use josei_rules::evaluate::SubsidyStatus;
use josei_store::{Db, Role, Scope};
use serde_json::json;
use std::io::{IsTerminal, Read};

/// A runtime for the async store and server.
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("非同期ランタイムを起動できません: {e}"))
}

pub async fn open(database: &str) -> Result<Db, String> {
    josei_store::connect(database).await.map_err(|e| {
        let shown = josei_server::redact_url(database);
        format!(
            "データベース {shown} を開けません: {}",
            e.to_string().replace(database, &shown)
        )
    })
}

/// Structured logs on standard error. `JOSEI_LOG` takes a level
/// (`debug`, `info`, `warn`, `error`) or a filter in `tracing`'s syntax
/// (`info,sqlx=warn,josei_server=debug`); the default is `info`.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("JOSEI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// The password for `user add`: `JOSEI_PASSWORD`, else standard input (first
/// line) when it is not a terminal, else a hidden prompt asked twice.
pub fn read_password() -> Result<String, String> {
    if let Ok(p) = std::env::var("JOSEI_PASSWORD") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| e.to_string())?;
        return Ok(s.lines().next().unwrap_or("").to_string());
    }
    let a = rpassword::prompt_password("パスワード: ").map_err(|e| e.to_string())?;
    let b = rpassword::prompt_password("パスワード（確認）: ").map_err(|e| e.to_string())?;
    if a != b {
        return Err("パスワードが一致しません".into());
    }
    Ok(a)
}

#[allow(clippy::too_many_arguments)]
pub async fn user_add(
    db: &Db,
    username: &str,
    role: &str,
    display_name: Option<&str>,
    organization: Option<i64>,
    prefecture: Option<i64>,
    password: &str,
) -> Result<String, String> {
    let input = josei_server::NewUserInput {
        username,
        password,
        display_name: display_name.unwrap_or(username),
        role,
        organization_id: organization,
        prefecture,
    };
    let user = josei_server::add_user(db, &input, None)
        .await
        .map_err(|e| match e.field {
            Some(f) => format!("{f}: {}", e.message),
            None => e.message,
        })?;
    Ok(format!(
        "ユーザー {}（{}、id {}）を作成しました",
        user.username,
        user.role.as_str(),
        user.id
    ))
}

pub async fn user_list(db: &Db) -> Result<String, String> {
    let users = db.list_users().await.map_err(|e| e.to_string())?;
    let mut out = String::from("id\tusername\trole\torganization_id\tprefecture\tdisabled\n");
    for u in users {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            u.id,
            u.username,
            u.role.as_str(),
            u.organization_id.map_or(String::new(), |o| o.to_string()),
            u.prefecture.map_or(String::new(), |p| p.to_string()),
            u.disabled
        ));
    }
    Ok(out)
}

pub async fn user_disable(db: &Db, username: &str, disabled: bool) -> Result<String, String> {
    let u = db
        .set_user_disabled(username, disabled, None)
        .await
        .map_err(|e| match e {
            josei_store::StoreError::NotFound => format!("ユーザー {username} はいません"),
            e => e.to_string(),
        })?;
    Ok(format!(
        "ユーザー {} を{}にしました",
        u.username,
        if u.disabled { "無効" } else { "有効" }
    ))
}

/// Imports a CSV into a case, all or nothing, as `by` (or the system).
pub async fn import(
    db: &Db,
    kind: &str,
    case_id: i64,
    bytes: &[u8],
    replace: bool,
    by: Option<&str>,
) -> Result<String, String> {
    let case = db
        .case(case_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("ケース {case_id} はありません"))?;
    if !case.status.records_editable() {
        return Err(format!(
            "ケース {case_id} は状態「{}」のため変更できません",
            case.status.label_ja()
        ));
    }
    let by = match by {
        Some(name) => Some(
            db.user_by_username(name)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("ユーザー {name} はいません"))?
                .id,
        ),
        None => None,
    };
    let parsed = match kind {
        "telework" => josei_store::import::telework_csv(bytes),
        _ => josei_store::import::roster_csv(bytes),
    };
    let (rows, encoding) = parsed.map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| {
                format!(
                    "{}行目{}: {}",
                    e.line,
                    e.column
                        .as_ref()
                        .map(|c| format!(" 列 {c}"))
                        .unwrap_or_default(),
                    e.message
                )
            })
            .collect();
        format!(
            "{}件の問題があるため、何も取り込んでいません:\n{}",
            errors.len(),
            lines.join("\n")
        )
    })?;
    let before = db.case_document(&case).await.map_err(|e| e.to_string())?;
    let mut doc = before.clone();
    let n = rows.len();
    josei_store::import::merge(&mut doc, kind, rows, replace);
    let locked = josei_store::locked_changes(&case, &before, &doc);
    if !locked.is_empty() {
        return Err(format!(
            "支給申請の後は、申請の根拠になった入力（{}）を取込みで変更できません。画面または API から理由を付けて修正してください",
            locked.join("・")
        ));
    }
    // The same validation as the API: text, row bounds, and the whole case must still parse.
    josei_server::check_document_text(&doc).map_err(|e| match &e.field {
        Some(f) => format!("{f}: {}", e.message),
        None => e.message.clone(),
    })?;
    josei_store::limits::check_rows(&doc).map_err(|t| t.message)?;
    // The whole case must still parse.
    let mut probe = doc.clone();
    probe["as_of"] = json!("2099-12-31");
    if probe["plan"]["submitted_on"].is_null() {
        probe["plan"]["submitted_on"] = json!("2022-06-01");
        probe["regime"] = json!("R4");
    }
    josei_rules::parse_case(&probe.to_string(), jiff::civil::Date::MIN)
        .map_err(|e| e.to_string())?;
    db.save_inputs(case.id, case.version, &doc, by)
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "{n}行を取り込みました（文字コード: {}）",
        encoding.label_ja()
    ))
}

/// All cases (optionally of one prefecture) as CSV with the engine's verdicts.
pub async fn export_cases(
    db: &Db,
    prefecture: Option<i64>,
    today: jiff::civil::Date,
) -> Result<String, String> {
    let scope = prefecture.map_or(Scope::All, Scope::Prefecture);
    let cases = db.cases(&scope).await.map_err(|e| e.to_string())?;
    let mut rows: Vec<Vec<String>> = vec![[
        "id",
        "title",
        "organization_id",
        "prefecture",
        "status",
        "submitted_on",
        "certified_on",
        "equipment_status",
        "equipment_amount_yen",
        "goal_status",
        "goal_amount_yen",
        "next_deadline",
        "next_deadline_label",
    ]
    .map(String::from)
    .to_vec()];
    let label = |s: SubsidyStatus| s.label_ja();
    for c in cases {
        let mut doc = db.case_document(&c).await.map_err(|e| e.to_string())?;
        doc["as_of"] = json!(today.to_string());
        josei_server::provisional(&mut doc, today);
        let evaluation = josei_rules::parse_case(&doc.to_string(), today)
            .ok()
            .map(|p| josei_rules::evaluate(&p));
        let (eq_s, eq_a, g_s, g_a, dl, dl_label) = match &evaluation {
            Some(e) => {
                let d = josei_server::next_deadline(c.status, e, today);
                (
                    label(e.equipment_subsidy.status).to_string(),
                    e.equipment_subsidy.amount_yen.0.to_string(),
                    label(e.goal_subsidy.status).to_string(),
                    e.goal_subsidy.amount_yen.0.to_string(),
                    d.as_ref()
                        .and_then(|d| d["date"].as_str().map(str::to_string))
                        .unwrap_or_default(),
                    d.as_ref()
                        .and_then(|d| d["label"].as_str().map(str::to_string))
                        .unwrap_or_default(),
                )
            }
            None => Default::default(),
        };
        rows.push(vec![
            c.id.to_string(),
            c.title,
            c.organization_id.to_string(),
            c.prefecture.to_string(),
            c.status.as_str().to_string(),
            c.submitted_on.unwrap_or_default(),
            c.certified_on.unwrap_or_default(),
            eq_s,
            eq_a,
            g_s,
            g_a,
            dl,
            dl_label,
        ]);
    }
    Ok(josei_server::csv_table(rows))
}

pub fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s)
        .ok_or_else(|| "role は employer, agent, officer, admin のいずれかです".to_string())
}
