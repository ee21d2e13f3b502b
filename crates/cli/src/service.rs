//! Commands of the case service: `serve`, `user`, `import`, `export`, `backup`.

use josei_store::{CaseId, Db, ImportKind, OrganizationId, Role, Scope};
use std::io::{IsTerminal, Read};

/// A runtime for the async store and server.
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("非同期ランタイムを起動できません: {e}"))
}

/// Opens (and migrates) the database; errors show the URL without its password.
pub async fn open(database: &str) -> Result<Db, String> {
    let url = josei_app::DatabaseUrl::new(database);
    josei_app::App::open(&url, false)
        .await
        .map(|app| app.db)
        .map_err(|e| e.message)
}

/// The application over `db` for the commands that run use cases.
pub fn app(db: &Db) -> josei_app::App {
    josei_app::App::new(db.clone(), false)
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
    organization: Option<OrganizationId>,
    prefecture: Option<i64>,
    email: Option<&str>,
    particulars: (Option<&str>, Option<&str>),
    password: &str,
) -> Result<String, String> {
    let input = josei_app::users::NewUserInput {
        username,
        password,
        display_name: display_name.unwrap_or(username),
        role,
        organization_id: organization,
        prefecture,
        email,
        registration_number: particulars.0,
        office_name: particulars.1,
    };
    let user = josei_app::users::add_user(db, &input, None)
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

/// Imports a CSV into a case, all or nothing, as `by` (or the system): the
/// application's import, with the same checks as the API and the pages.
pub async fn import(
    db: &Db,
    kind: ImportKind,
    case_id: CaseId,
    bytes: &[u8],
    replace: bool,
    by: Option<&str>,
) -> Result<String, String> {
    use josei_app::imports::{import_as_operator, Failure, Mode};
    let mode = if replace { Mode::Replace } else { Mode::Append };
    match import_as_operator(&app(db), case_id, kind, mode, bytes, by).await {
        Ok(summary) => Ok(format!(
            "{}行を取り込みました（文字コード: {}）",
            summary.rows,
            summary.encoding.label_ja()
        )),
        Err(Failure::Rows(errors)) => {
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
            Err(format!(
                "{}件の問題があるため、何も取り込んでいません:\n{}",
                errors.len(),
                lines.join("\n")
            ))
        }
        Err(Failure::Other(e)) if e.kind == josei_app::Kind::NotFound => {
            Err(format!("申請番号 {case_id} の申請はありません"))
        }
        Err(Failure::Other(e)) => Err(e.to_string()),
    }
}

/// All cases (optionally of one prefecture) as CSV with the engine's verdicts
/// as of `today`, read from the evaluation snapshots (brought up to date first).
pub async fn export_cases(
    db: &Db,
    prefecture: Option<i64>,
    today: jiff::civil::Date,
) -> Result<String, String> {
    let scope = prefecture.map_or(Scope::All, Scope::Prefecture);
    let app = app(db);
    josei_app::snapshots::refresh_snapshots_as_of(&app, &scope, today)
        .await
        .map_err(|e| e.to_string())?;
    let query = josei_store::ListQuery {
        sort: josei_store::Sort::Newest,
        ..Default::default()
    };
    let (listed, _) = db
        .list_page(&scope, &query)
        .await
        .map_err(|e| e.to_string())?;
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
    let mut listed = listed;
    listed.sort_by_key(|r| r.case.id);
    for r in listed {
        let (c, snap) = (r.case, r.snapshot);
        let label = |v: Option<josei_store::Verdict>| v.map(|v| v.label_ja()).unwrap_or("");
        let evaluated = snap.input_error.is_none();
        let d = josei_app::deadlines::of_snapshot(&snap);
        rows.push(vec![
            c.id.to_string(),
            c.title,
            c.organization_id.to_string(),
            c.prefecture.to_string(),
            c.status.as_str().to_string(),
            c.submitted_on.unwrap_or_default(),
            c.certified_on.unwrap_or_default(),
            label(snap.equipment).to_string(),
            if evaluated {
                snap.equipment_yen.to_string()
            } else {
                String::new()
            },
            label(snap.goal).to_string(),
            if evaluated {
                snap.goal_yen.to_string()
            } else {
                String::new()
            },
            d.as_ref().map(|d| d.date.to_string()).unwrap_or_default(),
            d.map(|d| d.label).unwrap_or_default(),
        ]);
    }
    Ok(josei_app::text::csv_table(rows))
}

pub fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s)
        .ok_or_else(|| "role は employer, agent, officer, admin のいずれかです".to_string())
}
