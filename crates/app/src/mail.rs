//! E-mail: users' addresses, the SMTP relay, the outbox sender and the
//! scheduler that `josei serve --smtp` runs (and `josei remind` runs once).
//!
//! Mail goes over plain SMTP (`smtp://[user:password@]host:port`) to a relay
//! or MTA on the same machine or network, which handles TLS onward: josei
//! links no TLS library. The URL may hold a password: it is shown and logged
//! only redacted ([`SmtpUrl`]).
//!
//! Mails are queued in `mail_outbox` with their notification
//! ([`crate::notifications`]) and sent from there: each row is claimed
//! before it is sent (several servers never send one row at once), retried
//! with a growing delay when the relay is down or busy, and given up after a
//! permanent refusal or [`MAX_ATTEMPTS`].

use crate::{App, Error, Result};
use jiff::civil::Date;
use josei_store::OutboxMail;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// The longest address (RFC 5321: a path of 256 octets less the brackets).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Tries of one mail before it is given up.
pub const MAX_ATTEMPTS: i64 = 12;

/// How long a sender holds a claimed mail before another may try it.
const LEASE_MS: i64 = 10 * 60 * 1000;

/// How long the relay may take to answer.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// An e-mail address as a user types it: blank means none; otherwise one
/// address `local@domain` in ASCII, at most 254 characters, the local part
/// of letters, digits and `!#$%&'*+/=?^_`{|}~.-` (no leading, trailing or
/// double dot), the domain of at least two labels of letters, digits and
/// hyphens. Lists (`,` `;` or spaces), display names and quoted local parts
/// are refused.
pub fn validate_email(text: &str) -> Result<Option<String>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = |m: &str| Err(Error::invalid("email", m.to_string()));
    if t.chars().count() > MAX_EMAIL_CHARS {
        return bad("メールアドレスは254文字以内で入力してください");
    }
    if t.contains([',', ';', ' ', '\t', '\n', '\r', '<', '>']) {
        return bad("メールアドレスは1つだけ入力してください（区切り文字や空白は使えません）");
    }
    if !t.is_ascii() {
        return bad("メールアドレスは半角の英数字と記号で入力してください");
    }
    let Some((local, domain)) = t.split_once('@') else {
        return bad("メールアドレスに @ がありません（例: tanaka@example.co.jp）");
    };
    if domain.contains('@') {
        return bad("メールアドレスは1つだけ入力してください（@ が2つあります）");
    }
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    if !local_ok {
        return bad("@ の前に使えない文字があります（英数字と . _ - + などが使えます）");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !domain_ok {
        return bad("@ の後ろのドメイン名を確かめてください（例: example.co.jp）");
    }
    Ok(Some(t.to_string()))
}

/// The SMTP relay: `smtp://[user[:password]@]host[:port]` (port 25 when
/// omitted; user and password percent-decoded). Plain SMTP only: the relay
/// handles TLS onward. `Display` and `Debug` hide the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    host: String,
    port: u16,
    user: Option<String>,
    password: Option<String>,
}

impl SmtpUrl {
    /// Reads `url`; the error never repeats the password.
    pub fn parse(url: &str) -> std::result::Result<SmtpUrl, String> {
        let rest = url.strip_prefix("smtp://").ok_or_else(|| {
            "--smtp は smtp://ホスト:ポート の形で指定してください（TLS は中継するメールサーバーが行います。smtps:// には対応していません）".to_string()
        })?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '?', '#']) {
            return Err(
                "--smtp には smtp://[ユーザー:パスワード@]ホスト[:ポート] だけを指定してください"
                    .into(),
            );
        }
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| "--smtp のユーザー名かパスワードを読めません（UTF-8 で % エンコードしてください）".to_string())
        };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(u) => match u.split_once(':') {
                Some((user, pass)) => (Some(decode(user)?), Some(decode(pass)?)),
                None => (Some(decode(u)?), None),
            },
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (
                h,
                p.parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| format!("--smtp のポート {p:?} を読めません（1〜65535）"))?,
            ),
            _ => (hostport, 25),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err("--smtp にホスト名がありません（例: smtp://127.0.0.1:25）".into());
        }
        Ok(SmtpUrl {
            host: host.to_string(),
            port,
            user,
            password,
        })
    }

    /// The URL with the password replaced by `***`.
    pub fn redacted(&self) -> String {
        let userinfo = match (&self.user, &self.password) {
            (Some(u), Some(_)) => format!("{u}:***@"),
            (Some(u), None) => format!("{u}@"),
            _ => String::new(),
        };
        format!("smtp://{userinfo}{}:{}", self.host, self.port)
    }

    /// `text` with the password (if any) replaced by `***`.
    pub fn redact_in(&self, text: &str) -> String {
        match &self.password {
            Some(p) if !p.is_empty() => text.replace(p.as_str(), "***"),
            _ => text.to_string(),
        }
    }

    fn transport(&self) -> AsyncSmtpTransport<Tokio1Executor> {
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(self.host.as_str())
            .port(self.port)
            .timeout(Some(SMTP_TIMEOUT));
        if let Some(user) = &self.user {
            b = b.credentials(Credentials::new(
                user.clone(),
                self.password.clone().unwrap_or_default(),
            ));
        }
        b.build()
    }
}

impl std::fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SmtpUrl({})", self.redacted())
    }
}

impl std::str::FromStr for SmtpUrl {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        SmtpUrl::parse(s)
    }
}

/// How mail is sent: the relay, the sender's address and the address of the
/// site for links (`--public-url`; without it mails carry no link).
#[derive(Clone, Debug)]
pub struct MailConfig {
    pub smtp: SmtpUrl,
    pub from: String,
    pub public_url: Option<String>,
}

impl MailConfig {
    /// Checks the sender's address and the public URL (`http://` or
    /// `https://`, no query; a trailing `/` is dropped).
    pub fn new(
        smtp: SmtpUrl,
        from: &str,
        public_url: Option<&str>,
    ) -> std::result::Result<MailConfig, String> {
        let from = validate_email(from)
            .map_err(|e| format!("--mail-from: {}", e.message))?
            .ok_or("--mail-from に送信元のメールアドレスを指定してください")?;
        let public_url = match public_url.map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) => {
                let ok = (u.starts_with("http://") || u.starts_with("https://"))
                    && !u.contains(['?', '#', ' ', '"', '<', '>'])
                    && u.is_ascii();
                if !ok {
                    return Err(format!(
                        "--public-url は http:// か https:// で始まるアドレスにしてください（{u}）"
                    ));
                }
                Some(u.trim_end_matches('/').to_string())
            }
        };
        Ok(MailConfig {
            smtp,
            from,
            public_url,
        })
    }
}

/// The whole text of a queued mail: its body, the link to the page (when the
/// public URL is known) and the closing lines.
pub fn compose(mail: &OutboxMail, public_url: Option<&str>) -> String {
    let mut text = mail.body.trim_end().to_string();
    text.push_str("\n\n");
    if mail.kind == josei_store::NotificationKind::EventRegistration {
        // To someone without an account: the cancellation link, no sign-in.
        match (public_url, mail.link_path.as_deref()) {
            (Some(base), Some(path)) => text.push_str(&format!(
                "お申込みを取り消す場合は、次のページからお手続きください。\n{base}{path}\n\n"
            )),
            (None, Some(path)) => text.push_str(&format!(
                "お申込みを取り消す場合は、セミナーのページのアドレスに続けて次を入力して開いてください。\n{path}\n\n"
            )),
            _ => {}
        }
        text.push_str("――\nこのメールは、テレワーク相談センターのセミナー・個別相談会の受付から自動でお送りしています。\nこのメールに返信されても届きません。\n");
        return text;
    }
    if mail.kind == josei_store::NotificationKind::PasswordReset {
        // The link is the whole point; no sign-in, no notifications to stop.
        match (public_url, mail.link_path.as_deref()) {
            (Some(base), Some(path)) => text.push_str(&format!("{base}{path}\n\n")),
            (None, Some(path)) => text.push_str(&format!(
                "テレワーク助成金 申請・審査のアドレスに続けて、次を入力して開いてください。\n{path}\n\n"
            )),
            _ => {}
        }
        text.push_str("――\nこのメールは、人材確保等支援助成金（テレワークコース）の申請・審査のサービスから自動でお送りしています。\nこのメールに返信されても届きません。\n");
        return text;
    }
    if let (Some(base), Some(path)) = (public_url, mail.link_path.as_deref()) {
        text.push_str(&format!(
            "詳しくは、次のページでご確認ください（ログインが必要です）。\n{base}{path}\n\n"
        ));
    } else {
        text.push_str(
            "詳しくは、テレワーク助成金の申請・審査のページにログインしてご確認ください。\n\n",
        );
    }
    text.push_str("――\nこのメールは、人材確保等支援助成金（テレワークコース）の申請・審査のサービスから自動でお送りしています。\nこのメールに返信されても届きません。労働局へのご連絡は、申請のページの「連絡」からお送りください。\n");
    match public_url {
        Some(base) => text.push_str(&format!(
            "メールでのお知らせが不要な場合は、アカウントのページ（{base}/account）でメールアドレスを消してください。\n"
        )),
        None => text.push_str("メールでのお知らせが不要な場合は、ログインして「アカウントの設定」のページでメールアドレスを消してください。\n"),
    }
    text
}

/// The delay before the next try after `attempts` tries (30 s, 1 min,
/// 2 min, … at most 6 hours), or `None` to give up.
pub fn retry_delay_ms(attempts: i64) -> Option<i64> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let exp = attempts.clamp(1, 20) - 1;
    Some((30_000i64 << exp).min(6 * 60 * 60 * 1000))
}

/// What one pass over the outbox did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendSummary {
    pub sent: usize,
    /// Failed this time (to be tried again, or given up).
    pub failed: usize,
}

fn message_of(
    mail: &OutboxMail,
    config: &MailConfig,
) -> std::result::Result<lettre::Message, String> {
    let from: lettre::Address = config.from.parse().map_err(|e| format!("送信元: {e}"))?;
    let to: lettre::Address = mail.to_address.parse().map_err(|e| format!("宛先: {e}"))?;
    lettre::Message::builder()
        .from(Mailbox::new(
            Some("テレワーク助成金 申請・審査".to_string()),
            from,
        ))
        .to(Mailbox::new(None, to))
        .subject(mail.subject.clone())
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(ContentTransferEncoding::Base64)
                .body(compose(mail, config.public_url.as_deref())),
        )
        .map_err(|e| e.to_string())
}

/// Sends every mail due now: each claimed first, then marked sent, or
/// scheduled again ([`retry_delay_ms`]), or given up when the relay refused
/// it for good or the address cannot be used.
pub async fn send_outbox(app: &App, config: &MailConfig) -> Result<SendSummary> {
    let transport = config.smtp.transport();
    let mut summary = SendSummary::default();
    loop {
        let now = josei_store::now_ms();
        let batch = app.db.claim_mails(now, LEASE_MS, 20).await?;
        if batch.is_empty() {
            return Ok(summary);
        }
        let mut relay_down: Option<String> = None;
        for mail in batch {
            if let Some(error) = &relay_down {
                // Not tried: the relay could not be reached for the one before.
                let retry = josei_store::now_ms().saturating_add(retry_delay_ms(1).unwrap_or(0));
                app.db
                    .mail_failed(
                        mail.id,
                        &format!("中継サーバーに接続できないため送信を見合わせました: {error}"),
                        Some(retry),
                    )
                    .await?;
                summary.failed += 1;
                continue;
            }
            let outcome = match message_of(&mail, config) {
                Err(e) => Err((e, false)),
                Ok(m) => transport.send(m).await.map(|_| ()).map_err(|e| {
                    let permanent = e.is_permanent();
                    (config.smtp.redact_in(&e.to_string()), !permanent)
                }),
            };
            match outcome {
                Ok(()) => {
                    app.db.mail_sent(mail.id).await?;
                    summary.sent += 1;
                }
                Err((error, transient)) => {
                    summary.failed += 1;
                    let retry = if transient {
                        retry_delay_ms(mail.attempts)
                            .map(|d| josei_store::now_ms().saturating_add(d))
                    } else {
                        None
                    };
                    tracing::warn!(mail = %mail.id, attempts = mail.attempts, retry = retry.is_some(), error = %error, "sending a mail failed");
                    app.db.mail_failed(mail.id, &error, retry).await?;
                    // The relay is unreachable or busy: the rest of the batch
                    // waits for the next pass rather than for a timeout each.
                    if transient {
                        relay_down = Some(error);
                    }
                }
            }
        }
        if relay_down.is_some() {
            return Ok(summary);
        }
    }
}

/// One pass for `josei remind`: queue the deadline reminders of `today`,
/// then send the outbox. Returns the reminders queued and what was sent.
pub async fn remind_once(
    app: &App,
    config: &MailConfig,
    today: Date,
) -> Result<(usize, SendSummary)> {
    let queued = crate::notifications::queue_reminders(app, today).await?;
    let sent = send_outbox(app, config).await?;
    Ok((queued, sent))
}

/// The scheduler of `josei serve --smtp`: every `interval` (30 s) it sends
/// the outbox; at start and whenever the day changes (in Japan, or on the
/// training clock) it first queues that day's deadline reminders.
pub async fn run_scheduler(app: App, config: MailConfig, interval: Duration) {
    tracing::info!(smtp = %config.smtp, "sending e-mail through the relay");
    let mut reminded: Option<Date> = None;
    loop {
        match crate::today(&app).await {
            Ok(today) if reminded != Some(today) => {
                match crate::notifications::queue_reminders(&app, today).await {
                    Ok(n) => {
                        reminded = Some(today);
                        tracing::info!(%today, queued = n, "deadline reminders queued");
                    }
                    Err(e) => {
                        tracing::warn!(error = %e.message, "queueing deadline reminders failed")
                    }
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e.message, "reading today failed"),
        }
        match send_outbox(&app, &config).await {
            Ok(s) if s.sent + s.failed > 0 => {
                tracing::info!(sent = s.sent, failed = s.failed, "outbox sent")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e.message, "sending the outbox failed"),
        }
        tokio::time::sleep(interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_plain_address_is_accepted() {
        for ok in [
            "employer1@example.invalid",
            "tanaka.taro+josei@mail.example.co.jp",
            "  a_b-c@x-y.jp ",
        ] {
            assert_eq!(
                validate_email(ok).unwrap().as_deref(),
                Some(ok.trim()),
                "{ok}"
            );
        }
        assert_eq!(validate_email("  ").unwrap(), None);
        for bad in [
            "tanaka",
            "tanaka@",
            "@example.jp",
            "a@b@example.jp",
            "a@example.jp, b@example.jp",
            "a@example.jp;b@example.jp",
            "田中 <a@example.jp>",
            "a b@example.jp",
            "たなか@example.jp",
            ".a@example.jp",
            "a..b@example.jp",
            "a@localhost",
            "a@-example.jp",
            "a@example..jp",
            "a\n@example.jp",
        ] {
            let e = validate_email(bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("email"), "{bad}");
        }
        let long = format!(
            "{}@{}.{}.{}.jp",
            "a".repeat(64),
            "b".repeat(62),
            "c".repeat(61),
            "d".repeat(61)
        );
        assert_eq!(long.len(), 254);
        assert!(validate_email(&long).unwrap().is_some());
        let too_long = format!(
            "{}@{}.{}.{}.jp",
            "a".repeat(64),
            "b".repeat(63),
            "c".repeat(61),
            "d".repeat(61)
        );
        assert!(validate_email(&too_long).is_err());
        assert!(validate_email(&format!("{}@example.jp", "a".repeat(65))).is_err());
    }

    #[test]
    fn smtp_urls_keep_their_password_out_of_sight() {
        let u = SmtpUrl::parse("smtp://mailer:s%40cret@relay.internal:2525").unwrap();
        assert_eq!(u.host, "relay.internal");
        assert_eq!(u.port, 2525);
        assert_eq!(u.user.as_deref(), Some("mailer"));
        assert_eq!(u.password.as_deref(), Some("s@cret"));
        assert_eq!(u.to_string(), "smtp://mailer:***@relay.internal:2525");
        assert_eq!(
            format!("{u:?}"),
            "SmtpUrl(smtp://mailer:***@relay.internal:2525)"
        );
        assert_eq!(u.redact_in("AUTH failed for s@cret"), "AUTH failed for ***");
        let plain = SmtpUrl::parse("smtp://127.0.0.1").unwrap();
        assert_eq!((plain.port, plain.user.is_none()), (25, true));
        assert_eq!(plain.to_string(), "smtp://127.0.0.1:25");
        assert_eq!(SmtpUrl::parse("smtp://[::1]:1025/").unwrap().host, "::1");
        for bad in [
            "smtps://relay:465",
            "relay:25",
            "smtp://",
            "smtp://relay:0",
            "smtp://relay:x",
            "smtp://relay:25?tls=required",
        ] {
            let e = SmtpUrl::parse(bad).unwrap_err();
            assert!(!e.contains("s@cret"), "{e}");
        }
        let e = SmtpUrl::parse("smtp://u:p%FF@relay:25").unwrap_err();
        assert!(!e.contains("p%FF"), "{e}");
    }

    #[test]
    fn retries_wait_longer_each_time_and_stop() {
        assert_eq!(retry_delay_ms(1), Some(30_000));
        assert_eq!(retry_delay_ms(2), Some(60_000));
        assert_eq!(retry_delay_ms(3), Some(120_000));
        assert_eq!(retry_delay_ms(9), Some(7_680_000));
        assert_eq!(retry_delay_ms(11), Some(6 * 60 * 60 * 1000));
        assert_eq!(retry_delay_ms(MAX_ATTEMPTS), None);
    }

    #[test]
    fn mails_end_with_the_link_and_a_polite_close() {
        let mail = OutboxMail {
            id: 1.into(),
            to_address: "a@example.jp".into(),
            subject: "件名".into(),
            body: "田中 様\n\n本文です。\n".into(),
            link_path: Some("/cases/3".into()),
            kind: josei_store::NotificationKind::Message,
            dedupe_key: "k".into(),
            created_at: String::new(),
            sent_at: None,
            attempts: 0,
            last_error: None,
        };
        let with = compose(&mail, Some("https://josei.example.jp"));
        assert!(
            with.starts_with("田中 様\n\n本文です。\n\n詳しくは"),
            "{with}"
        );
        assert!(
            with.contains("\nhttps://josei.example.jp/cases/3\n"),
            "{with}"
        );
        let without = compose(&mail, None);
        assert!(!without.contains("/cases/3"), "{without}");
        assert!(
            without.contains("申請・審査のページにログインして"),
            "{without}"
        );
        assert!(!without.contains("josei"), "{without}");
        let c = MailConfig::new(
            SmtpUrl::parse("smtp://127.0.0.1:25").unwrap(),
            "josei@example.jp",
            Some("https://josei.example.jp/"),
        )
        .unwrap();
        assert_eq!(c.public_url.as_deref(), Some("https://josei.example.jp"));
        let m = message_of(&mail, &c).unwrap();
        let text = String::from_utf8(m.formatted()).unwrap();
        assert!(text.contains("Content-Transfer-Encoding: base64"), "{text}");
        assert!(MailConfig::new(c.smtp.clone(), "josei", None).is_err());
        assert!(MailConfig::new(c.smtp.clone(), "josei@example.jp", Some("ftp://x")).is_err());
    }
}
