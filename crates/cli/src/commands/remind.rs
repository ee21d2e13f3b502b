//! `josei remind`: one pass of the mail scheduler for cron (queue the
//! deadline reminders of the day, then send the outbox), and the mail
//! options shared with `josei serve`.

use crate::args::MailArgs;
use jiff::civil::Date;
use josei_app::mail::{MailConfig, SmtpUrl};

/// The mail configuration of `--smtp`, `--mail-from` and `--public-url`
/// (`None` without `--smtp`). Errors never show the relay's password.
pub fn mail_config(m: &MailArgs) -> Result<Option<MailConfig>, String> {
    let Some(smtp) = m.smtp.as_deref().filter(|s| !s.trim().is_empty()) else {
        return Ok(None);
    };
    let smtp = SmtpUrl::parse(smtp.trim())?;
    MailConfig::new(smtp, &m.mail_from, m.public_url.as_deref()).map(Some)
}

/// Queues the reminders of `as_of` (default: today in Japan), then sends
/// every mail due. Fails (exit 1) when a mail could not be sent; it stays in
/// the outbox for the next run.
pub async fn remind(
    database: &str,
    mail: &MailArgs,
    as_of: Option<Date>,
) -> Result<String, String> {
    let config = mail_config(mail)?.ok_or(
        "--smtp（または環境変数 JOSEI_SMTP）にメールの中継サーバーを指定してください（例: smtp://127.0.0.1:25）",
    )?;
    let db = crate::service::open(database).await?;
    let app = crate::service::app(&db);
    let today = as_of.unwrap_or_else(crate::output::today_in_japan);
    let (queued, sent) = josei_app::mail::remind_once(&app, &config, today)
        .await
        .map_err(|e| e.message)?;
    let summary = format!(
        "{today}: 期限のお知らせを{queued}件登録し、メールを{}通送りました",
        sent.sent
    );
    if sent.failed > 0 {
        return Err(format!(
            "{summary}。{}通は送れませんでした（中継サーバー {} を確かめてください。次の実行でもう一度送ります）",
            sent.failed, config.smtp
        ));
    }
    Ok(summary)
}
