//! Seminars and 個別相談会 of the テレワーク相談センター: staff (advisors and
//! administrators) prepare, publish, change and cancel events, see the
//! registrants, mark attendance, export them as CSV and add materials
//! (事例集 and the like); anyone may register on the public pages without
//! an account, is told by e-mail (with a cancellation link whose token only
//! the mail holds) and waits for a seat when the event is full.
//!
//! Every staff use case checks the role here; the public ones show only
//! published (or cancelled) events, and a registration is reached only by
//! its link's token, never by an id.

use crate::access::require_role;
use crate::auth;
use crate::mail::validate_email;
use crate::text::{csv_table, forbidden_char};
use crate::{App, Error, Kind, Result};
use jiff::civil::{Date, DateTime, Time};
use josei_rules::wareki::format_wareki;
use josei_store::bureaus::PREFECTURES;
use josei_store::User;
pub use josei_store::{
    Audience, Event, EventFields, EventFormat, EventId, EventKind, EventStatus, Material,
    MaterialId, Registration, RegistrationId, RegistrationStatus,
};
use josei_store::{CancelRefused, NewMail, NewMaterial, NewRegistration, RegisterRefused, Role};
use sha2::{Digest, Sha256};

/// Who runs events: the centre's advisors and the administrators.
pub const STAFF: &[Role] = &[Role::Advisor, Role::Admin];

/// The largest material: 10 MiB.
pub const MAX_MATERIAL: usize = 10 * 1024 * 1024;

/// Accepted materials, with the bytes a file of that type starts with.
pub const MATERIAL_TYPES: &[(&str, &[u8])] = &[
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xFF\xD8\xFF"),
];

/// How many events a list shows at most.
const LIST_LIMIT: i64 = 500;

/// セミナー / 個別相談会.
pub fn kind_label(k: EventKind) -> &'static str {
    match k {
        EventKind::Seminar => "セミナー",
        EventKind::Consultation => "個別相談会",
    }
}

/// Whom the event is for.
pub fn audience_label(a: Audience) -> &'static str {
    match a {
        Audience::Managers => "企業の経営者・人事労務担当者",
        Audience::Workers => "テレワークで働く労働者",
    }
}

/// オンライン / 会場.
pub fn format_label(f: EventFormat) -> &'static str {
    match f {
        EventFormat::Online => "オンライン",
        EventFormat::OnSite => "会場",
    }
}

/// 全国 or the prefecture.
pub fn scope_label(prefecture: Option<i64>) -> &'static str {
    match prefecture {
        Some(p) if (1..=47).contains(&p) => PREFECTURES[(p - 1) as usize],
        _ => "全国",
    }
}

/// 公開前 / 公開中 / 中止.
pub fn status_label(s: EventStatus) -> &'static str {
    match s {
        EventStatus::Draft => "公開前",
        EventStatus::Published => "公開中",
        EventStatus::Cancelled => "中止",
    }
}

/// 申込済み / キャンセル待ち / 取消 / 出席.
pub fn registration_label(s: RegistrationStatus) -> &'static str {
    match s {
        RegistrationStatus::Registered => "申込済み",
        RegistrationStatus::Waiting => "キャンセル待ち",
        RegistrationStatus::Cancelled => "取消",
        RegistrationStatus::Attended => "出席",
    }
}

fn weekday(d: Date) -> &'static str {
    ["月", "火", "水", "木", "金", "土", "日"][d.weekday().to_monday_zero_offset() as usize]
}

/// A day in Japanese: `令和8年12月1日（火）`.
pub fn day_text(d: Date) -> String {
    format!("{}（{}）", format_wareki(d), weekday(d))
}

/// When the event is: `令和8年12月1日（火）14:00〜16:00`.
pub fn when_text(f: &EventFields) -> String {
    let (s, e) = (f.starts_at, f.ends_at);
    let end = if e.date() == s.date() {
        format!("{:02}:{:02}", e.hour(), e.minute())
    } else {
        format!("{} {:02}:{:02}", day_text(e.date()), e.hour(), e.minute())
    };
    format!(
        "{} {:02}:{:02}〜{end}",
        day_text(s.date()),
        s.hour(),
        s.minute()
    )
}

/// Where: `オンライン` or `会場（venue）`, with the prefecture or 全国.
pub fn place_text(f: &EventFields) -> String {
    match (f.format, f.venue.as_deref()) {
        (EventFormat::OnSite, Some(v)) => format!("会場（{v}）"),
        (fmt, _) => format_label(fmt).to_string(),
    }
}

/// The fields of the event form, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub audience: String,
    /// "" for 全国, else 1–47.
    #[serde(default)]
    pub prefecture: String,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub venue: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub date: String,
    /// `HH:MM`.
    #[serde(default)]
    pub start: String,
    /// `HH:MM`.
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub description: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub deadline: String,
}

impl EventForm {
    /// The form filled with a stored event.
    pub fn of(f: &EventFields) -> EventForm {
        EventForm {
            title: f.title.clone(),
            kind: f.kind.as_str().into(),
            audience: f.audience.as_str().into(),
            prefecture: f.prefecture.map(|p| p.to_string()).unwrap_or_default(),
            format: f.format.as_str().into(),
            venue: f.venue.clone().unwrap_or_default(),
            date: f.starts_at.date().to_string(),
            start: format!("{:02}:{:02}", f.starts_at.hour(), f.starts_at.minute()),
            end: format!("{:02}:{:02}", f.ends_at.hour(), f.ends_at.minute()),
            capacity: f.capacity.to_string(),
            description: f.description.clone(),
            deadline: f.registration_deadline.to_string(),
        }
    }
}

/// A one-line text of 1–`max` characters (blank: `None`), without
/// control or bidirectional-override characters.
fn line(
    field: &str,
    what: &str,
    text: &str,
    max: usize,
    multiline: bool,
) -> Result<Option<String>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let n = t.chars().count();
    if n > max {
        return Err(Error::invalid(
            field,
            format!("{what}は{max}文字以内で入力してください（いま{n}文字です）"),
        ));
    }
    if let Some(c) = t.chars().find(|c| forbidden_char(*c, multiline)) {
        return Err(Error::invalid(
            field,
            format!("{what}に使えない文字（U+{:04X}）が含まれています", c as u32),
        ));
    }
    Ok(Some(t.to_string()))
}

fn required(field: &str, what: &str, text: &str, max: usize) -> Result<String> {
    line(field, what, text, max, false)?
        .ok_or_else(|| Error::invalid(field, format!("{what}を入力してください")))
}

fn prefecture_of(field: &str, text: &str) -> Result<Option<i64>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(p) if (1..=47).contains(&p) => Ok(Some(p)),
        _ => Err(Error::invalid(field, "都道府県を一覧から選んでください")),
    }
}

fn date_of(field: &str, what: &str, text: &str) -> Result<Date> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::invalid(field, format!("{what}を入力してください")));
    }
    josei_rules::civil::parse_iso_date(t).map_err(|_| {
        Error::invalid(
            field,
            format!("{what}は 2026-12-01 のように年-月-日で入力してください"),
        )
    })
}

fn time_of(field: &str, what: &str, text: &str) -> Result<Time> {
    let t = text.trim();
    let bad = || {
        Error::invalid(
            field,
            format!("{what}は 14:00 のように時:分で入力してください"),
        )
    };
    if t.is_empty() {
        return Err(Error::invalid(field, format!("{what}を入力してください")));
    }
    let (h, m) = t.split_once(':').ok_or_else(bad)?;
    let (h, m): (i8, i8) = (
        h.parse().map_err(|_| bad())?,
        m.get(..2).unwrap_or(m).parse().map_err(|_| bad())?,
    );
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

/// Checks the event form: every field named by its input when wrong.
pub fn parse_event_form(f: &EventForm) -> Result<EventFields> {
    let title = required("title", "名称", &f.title, 200)?;
    let kind = EventKind::parse(f.kind.trim())
        .ok_or_else(|| Error::invalid("kind", "種類を選んでください"))?;
    let audience = Audience::parse(f.audience.trim())
        .ok_or_else(|| Error::invalid("audience", "対象を選んでください"))?;
    let prefecture = prefecture_of("prefecture", &f.prefecture)?;
    let format = EventFormat::parse(f.format.trim())
        .ok_or_else(|| Error::invalid("format", "開催方法を選んでください"))?;
    let venue = line("venue", "会場", &f.venue, 200, false)?;
    let venue = match format {
        EventFormat::OnSite => Some(venue.ok_or_else(|| {
            Error::invalid(
                "venue",
                "会場で開催する場合は、会場の名称と所在地を入力してください",
            )
        })?),
        EventFormat::Online => None,
    };
    let date = date_of("date", "開催日", &f.date)?;
    let start = time_of("start", "開始時刻", &f.start)?;
    let end = time_of("end", "終了時刻", &f.end)?;
    if end <= start {
        return Err(Error::invalid(
            "end",
            "終了時刻は開始時刻より後にしてください",
        ));
    }
    let capacity = match f.capacity.trim().parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => n,
        _ => {
            return Err(Error::invalid(
                "capacity",
                "定員は1〜10000の整数（半角）で入力してください",
            ))
        }
    };
    let description = line("description", "内容", &f.description, 4_000, true)?.unwrap_or_default();
    let deadline = date_of("deadline", "申込締切日", &f.deadline)?;
    if deadline > date {
        return Err(Error::invalid(
            "deadline",
            "申込締切日は開催日までの日にしてください",
        ));
    }
    Ok(EventFields {
        title,
        kind,
        audience,
        prefecture,
        format,
        venue,
        starts_at: DateTime::from_parts(date, start),
        ends_at: DateTime::from_parts(date, end),
        capacity,
        description,
        registration_deadline: deadline,
    })
}

/// The mail of a registrant about to get a seat from the waiting list, with
/// a new cancellation link: the token hash to store and the mail.
fn promotion_mail(e: &Event, r: &Registration) -> (String, NewMail) {
    let token = auth::new_token();
    let mail = NewMail {
        to: r.email.clone(),
        subject: format!("【お席をご用意しました】{}", e.fields.title),
        body: format!(
            "{} 様\n\nキャンセル待ちでお申し込みいただいていた次の{}に、お席をご用意できました。当日のご参加をお待ちしております。\n\n{}",
            r.name,
            kind_label(e.fields.kind),
            event_summary(&e.fields)
        ) + "\n\nこのメールの取消のリンクは新しくなりました。以前のメールのリンクは使えません。",
        link_path: Some(format!("/events/cancel/{token}")),
    };
    (auth::token_hash(&token), mail)
}

/// The event's particulars as lines of a mail.
fn event_summary(f: &EventFields) -> String {
    format!(
        "名称：{}\n日時：{}\n開催方法：{}\n地域：{}\n対象：{}",
        f.title,
        when_text(f),
        place_text(f),
        scope_label(f.prefecture),
        audience_label(f.audience)
    )
}

fn changed_event_mail(e: &Event, r: &Registration) -> NewMail {
    NewMail {
        to: r.email.clone(),
        subject: format!("【日時・開催方法の変更】{}", e.fields.title),
        body: format!(
            "{} 様\n\nお申し込みいただいた次の{}の日時または開催方法が変わりました。新しい内容をご確認ください。\n\n受付番号：{}\n{}\n\nご都合が合わなくなった場合は、受付のメールにあるリンクからお申込みを取り消してください。",
            r.name,
            kind_label(e.fields.kind),
            r.id,
            event_summary(&e.fields)
        ),
        link_path: None,
    }
}

fn cancelled_event_mail(e: &Event, r: &Registration) -> NewMail {
    NewMail {
        to: r.email.clone(),
        subject: format!("【開催中止】{}", e.fields.title),
        body: format!(
            "{} 様\n\nお申し込みいただいた次の{}は、開催を中止することになりました。ご迷惑をおかけし、申し訳ございません。\n\n{}",
            r.name,
            kind_label(e.fields.kind),
            event_summary(&e.fields)
        ),
        link_path: None,
    }
}

fn not_found() -> Error {
    Error::new(
        Kind::NotFound,
        "not_found",
        "お探しのセミナー・個別相談会は見つかりません。アドレスが正しいかを確かめてください",
    )
}

// ---- Staff ----

/// Every event, earliest first, with its counts (staff only).
pub async fn manage_events(app: &App, user: &User) -> Result<Vec<Event>> {
    require_role(user, STAFF)?;
    Ok(app.db.events(true, LIST_LIMIT).await?)
}

/// One event for staff.
pub async fn managed_event(app: &App, user: &User, id: EventId) -> Result<Event> {
    require_role(user, STAFF)?;
    app.db.event(id).await?.ok_or_else(not_found)
}

/// The event's registrants and materials (staff only).
pub async fn event_people(
    app: &App,
    user: &User,
    id: EventId,
) -> Result<(Event, Vec<Registration>, Vec<Material>)> {
    let event = managed_event(app, user, id).await?;
    Ok((
        event,
        app.db.registrations(id).await?,
        app.db.materials(id).await?,
    ))
}

/// Creates an event (a draft, to publish when ready).
pub async fn create_event(app: &App, user: &User, form: &EventForm) -> Result<EventId> {
    require_role(user, STAFF)?;
    let f = parse_event_form(form)?;
    Ok(app.db.create_event(&f, user.id).await?)
}

/// Changes an event; a cancelled one cannot be changed. Returns how many
/// waiting registrants got a seat from a larger capacity.
pub async fn update_event(app: &App, user: &User, id: EventId, form: &EventForm) -> Result<usize> {
    let event = managed_event(app, user, id).await?;
    if event.status == EventStatus::Cancelled {
        return Err(Error::conflict(
            "中止したセミナー・個別相談会は変更できません",
        ));
    }
    let f = parse_event_form(form)?;
    if f.capacity < event.taken {
        return Err(Error::invalid(
            "capacity",
            format!(
                "定員は、すでに席のある{}人より少なくできません",
                event.taken
            ),
        ));
    }
    Ok(app
        .db
        .update_event(id, &f, user.id, &promotion_mail, &changed_event_mail)
        .await?
        .len())
}

/// Publishes an event (`true`) or takes it back (`false`).
pub async fn set_published(app: &App, user: &User, id: EventId, published: bool) -> Result<()> {
    let event = managed_event(app, user, id).await?;
    if published && event.status == EventStatus::Published
        || !published && event.status == EventStatus::Draft
    {
        return Ok(());
    }
    if !published && event.taken + event.waiting > 0 {
        return Err(Error::conflict(
            "申込みのあるセミナー・個別相談会は非公開にできません。開催しない場合は中止してください",
        ));
    }
    if app.db.set_event_published(id, published, user.id).await? {
        Ok(())
    } else {
        Err(Error::conflict(
            "中止したセミナー・個別相談会は公開できません",
        ))
    }
}

/// Cancels an event (中止) and tells its registrants by mail; returns how
/// many were told.
pub async fn cancel_event(app: &App, user: &User, id: EventId) -> Result<usize> {
    managed_event(app, user, id).await?;
    app.db
        .cancel_event(id, user.id, &cancelled_event_mail)
        .await?
        .ok_or_else(|| Error::conflict("このセミナー・個別相談会はすでに中止しています"))
}

/// Marks a registrant present or not.
pub async fn set_attendance(
    app: &App,
    user: &User,
    id: EventId,
    registration: RegistrationId,
    attended: bool,
) -> Result<()> {
    managed_event(app, user, id).await?;
    if app
        .db
        .set_attendance(id, registration, attended, user.id)
        .await?
    {
        return Ok(());
    }
    match app
        .db
        .registrations(id)
        .await?
        .iter()
        .find(|r| r.id == registration)
    {
        None => Err(not_found()),
        Some(_) => Err(Error::conflict(
            "出席を記録できるのは、申込済み（席のある）の方だけです",
        )),
    }
}

/// The registrants as CSV (a BOM and CRLF for spreadsheets): the file name
/// and the text.
pub async fn registrants_csv(app: &App, user: &User, id: EventId) -> Result<(String, String)> {
    let (event, regs, _) = event_people(app, user, id).await?;
    let mut rows = vec![vec![
        "受付番号".to_string(),
        "氏名".into(),
        "会社・団体名".into(),
        "メールアドレス".into(),
        "都道府県".into(),
        "状況".into(),
        "申込日時".into(),
    ]];
    for r in &regs {
        rows.push(vec![
            r.id.to_string(),
            r.name.clone(),
            r.company.clone(),
            r.email.clone(),
            r.prefecture
                .map(|p| scope_label(Some(p)))
                .unwrap_or("")
                .to_string(),
            registration_label(r.status).to_string(),
            r.created_at.clone(),
        ]);
    }
    Ok((
        format!(
            "申込者一覧_{}_{}.csv",
            event.id,
            event.fields.starts_at.date()
        ),
        csv_table(rows),
    ))
}

/// Checks and stores a material: a title, a PDF, PNG or JPEG file whose
/// first bytes match its type, at most [`MAX_MATERIAL`].
pub async fn add_material(
    app: &App,
    user: &User,
    id: EventId,
    title: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<MaterialId> {
    managed_event(app, user, id).await?;
    let title = required("material-title", "資料の名称", title, 200)?;
    if bytes.is_empty() {
        return Err(Error::invalid("material-file", "ファイルを選んでください"));
    }
    if bytes.len() > MAX_MATERIAL {
        return Err(Error::new(
            Kind::TooLarge,
            "too_large",
            "ファイルが大きすぎます（10 MiB まで）",
        )
        .with_field("material-file"));
    }
    let declared = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let Some((ty, magic)) = MATERIAL_TYPES.iter().find(|(t, _)| *t == declared) else {
        return Err(Error::new(
            Kind::UnsupportedType,
            "unsupported_type",
            "資料は PDF・PNG・JPEG のファイルにしてください",
        )
        .with_field("material-file"));
    };
    if !bytes.starts_with(magic) {
        return Err(Error::new(
            Kind::UnsupportedType,
            "unsupported_type",
            "ファイルの中身が種類と合いません。PDF・PNG・JPEG のファイルを選んでください",
        )
        .with_field("material-file"));
    }
    let base = filename.rsplit(['/', '\\']).next().unwrap_or("");
    let mut name: String = base
        .chars()
        .filter(|c| !forbidden_char(*c, false) && !matches!(c, '"' | ';'))
        .take(200)
        .collect();
    if name.trim().is_empty() {
        name = match *ty {
            "application/pdf" => "material.pdf",
            "image/png" => "material.png",
            _ => "material.jpg",
        }
        .into();
    }
    let m = NewMaterial {
        title,
        filename: name,
        content_type: ty.to_string(),
        sha256: Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        data: bytes.to_vec(),
    };
    Ok(app.db.add_material(id, &m, user.id).await?)
}

/// Removes a material.
pub async fn remove_material(app: &App, user: &User, id: EventId, mid: MaterialId) -> Result<()> {
    managed_event(app, user, id).await?;
    if app.db.remove_material(id, mid, user.id).await? {
        Ok(())
    } else {
        Err(not_found())
    }
}

// ---- Public ----

/// The public events: those from today on (earliest first), and the past
/// ones (latest first).
pub async fn public_events(app: &App) -> Result<(Vec<Event>, Vec<Event>)> {
    let today = crate::today(app).await?;
    let (mut upcoming, mut past): (Vec<Event>, Vec<Event>) = app
        .db
        .events(false, LIST_LIMIT)
        .await?
        .into_iter()
        .partition(|e| e.fields.starts_at.date() >= today);
    upcoming.sort_by_key(|e| e.fields.starts_at);
    past.sort_by_key(|e| std::cmp::Reverse(e.fields.starts_at));
    Ok((upcoming, past))
}

/// Whether registration is open, or why not (a sentence).
pub fn registration_closed(e: &Event, today: Date) -> Option<&'static str> {
    match e.status {
        EventStatus::Cancelled => Some("このセミナー・個別相談会は中止になりました。"),
        EventStatus::Draft => Some("このセミナー・個別相談会はまだ受け付けていません。"),
        EventStatus::Published if e.fields.starts_at.date() < today => {
            Some("このセミナー・個別相談会は終了しました。")
        }
        EventStatus::Published if e.fields.registration_deadline < today => {
            Some("お申込みの受付は締め切りました。")
        }
        EventStatus::Published => None,
    }
}

/// A public event with its materials, and why registration is closed (if
/// it is). Drafts are not found.
pub async fn public_event(
    app: &App,
    id: EventId,
) -> Result<(Event, Vec<Material>, Option<&'static str>)> {
    let event = app.db.event(id).await?.ok_or_else(not_found)?;
    if event.status == EventStatus::Draft {
        return Err(not_found());
    }
    let today = crate::today(app).await?;
    let closed = registration_closed(&event, today);
    let materials = app.db.materials(id).await?;
    Ok((event, materials, closed))
}

/// A material of a public event.
pub async fn public_material(
    app: &App,
    id: EventId,
    mid: MaterialId,
) -> Result<(Material, Vec<u8>)> {
    let event = app.db.event(id).await?.ok_or_else(not_found)?;
    if event.status == EventStatus::Draft {
        return Err(not_found());
    }
    app.db.material(id, mid).await?.ok_or_else(not_found)
}

/// A material for staff (drafts included).
pub async fn staff_material(
    app: &App,
    user: &User,
    id: EventId,
    mid: MaterialId,
) -> Result<(Material, Vec<u8>)> {
    managed_event(app, user, id).await?;
    app.db.material(id, mid).await?.ok_or_else(not_found)
}

/// The public registration form, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub prefecture: String,
}

/// Registers someone for a public event: a seat, or the waiting list when
/// full; the mail with the cancellation link goes to the outbox. An address
/// already registered is refused (without saying by whom).
pub async fn register(
    app: &App,
    id: EventId,
    form: &RegistrationForm,
) -> Result<(Event, Registration)> {
    let (event, _, closed) = public_event(app, id).await?;
    if let Some(why) = closed {
        return Err(Error::conflict(why.trim_end_matches('。')));
    }
    let name = required("name", "お名前", &form.name, 100)?;
    let company = line("company", "会社・団体名", &form.company, 200, false)?.unwrap_or_default();
    let email = validate_email(&form.email)?
        .ok_or_else(|| Error::invalid("email", "メールアドレスを入力してください"))?;
    let prefecture = prefecture_of("prefecture", &form.prefecture)?;
    let token = auth::new_token();
    let new = NewRegistration {
        name,
        company,
        email,
        prefecture,
        token_hash: auth::token_hash(&token),
    };
    let link = format!("/events/cancel/{token}");
    let mail = move |e: &Event, r: &Registration| {
        let (subject, lead) = match r.status {
            RegistrationStatus::Waiting => (
                format!("【キャンセル待ちで受け付けました】{}", e.fields.title),
                "次の{kind}は定員に達しているため、キャンセル待ちとして受け付けました。お席に空きが出ましたら、お申し込み順にメールでお知らせします。",
            ),
            _ => (
                format!("【お申込みを受け付けました】{}", e.fields.title),
                "次の{kind}へのお申込みを受け付けました。当日のご参加をお待ちしております。",
            ),
        };
        NewMail {
            to: r.email.clone(),
            subject,
            body: format!(
                "{} 様\n\n{}\n\n受付番号：{}\n{}",
                r.name,
                lead.replace("{kind}", kind_label(e.fields.kind)),
                r.id,
                event_summary(&e.fields)
            ),
            link_path: Some(link.clone()),
        }
    };
    match app.db.register_for_event(id, &new, &mail).await? {
        Ok(reg) => Ok((event, reg)),
        Err(RegisterRefused::Closed) => Err(Error::conflict(
            "このセミナー・個別相談会はお申込みを受け付けていません",
        )),
        Err(RegisterRefused::Duplicate) => Err(Error::conflict(
            "このメールアドレスでは、すでにお申込みを受け付けています。受付のメールをご確認ください",
        )
        .with_field("email")),
    }
}

fn link_refused(why: CancelRefused) -> Error {
    match why {
        CancelRefused::Unknown => Error::new(
            Kind::NotFound,
            "not_found",
            "この取消のリンクは使えません。最新の受付メールのリンクをお使いください",
        ),
        CancelRefused::Spent => Error::conflict("このお申込みはすでに取り消されています"),
    }
}

/// The registration a cancellation link names, if it can still be
/// cancelled.
pub async fn cancellation(app: &App, token: &str) -> Result<(Event, Registration)> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(link_refused(CancelRefused::Unknown));
    }
    let (event, reg) = app
        .db
        .registration_by_token(&auth::token_hash(token))
        .await?
        .ok_or_else(|| link_refused(CancelRefused::Unknown))?;
    match reg.status {
        RegistrationStatus::Registered | RegistrationStatus::Waiting => Ok((event, reg)),
        _ => Err(link_refused(CancelRefused::Spent)),
    }
}

/// Cancels the registration of a link; the seat goes to the first one
/// waiting, who is mailed.
pub async fn cancel_registration(app: &App, token: &str) -> Result<(Event, Registration)> {
    let (event, _) = cancellation(app, token).await?;
    match app
        .db
        .cancel_registration(&auth::token_hash(token), &promotion_mail)
        .await?
    {
        Ok((reg, _)) => Ok((event, reg)),
        Err(why) => Err(link_refused(why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> EventForm {
        EventForm {
            title: " テレワーク導入セミナー ".into(),
            kind: "consultation".into(),
            audience: "workers".into(),
            prefecture: "27".into(),
            format: "on_site".into(),
            venue: "大阪府立労働センター".into(),
            date: "2026-12-01".into(),
            start: "9:30".into(),
            end: "11:00".into(),
            capacity: "12".into(),
            description: "1行目\n2行目".into(),
            deadline: "2026-11-30".into(),
        }
    }

    #[test]
    fn an_event_form_is_read_and_said_back_in_japanese() {
        let f = parse_event_form(&form()).unwrap();
        assert_eq!(f.title, "テレワーク導入セミナー");
        assert_eq!(
            (f.kind, f.audience),
            (EventKind::Consultation, Audience::Workers)
        );
        assert_eq!(f.prefecture, Some(27));
        assert_eq!(f.capacity, 12);
        assert_eq!(when_text(&f), "令和8年12月1日（火） 09:30〜11:00");
        assert_eq!(place_text(&f), "会場（大阪府立労働センター）");
        assert_eq!(scope_label(f.prefecture), "大阪府");
        assert_eq!(scope_label(None), "全国");
        // The form filled from the stored event reads back the same.
        assert_eq!(parse_event_form(&EventForm::of(&f)).unwrap(), f);
        // Online: the venue is dropped.
        let online = parse_event_form(&EventForm {
            format: "online".into(),
            ..form()
        })
        .unwrap();
        assert_eq!(online.venue, None);
        assert_eq!(place_text(&online), "オンライン");
    }

    #[test]
    fn bad_event_fields_are_named() {
        for (change, field) in [
            (
                EventForm {
                    title: "a\u{202E}b".into(),
                    ..form()
                },
                "title",
            ),
            (
                EventForm {
                    title: "あ".repeat(201),
                    ..form()
                },
                "title",
            ),
            (
                EventForm {
                    audience: "everyone".into(),
                    ..form()
                },
                "audience",
            ),
            (
                EventForm {
                    venue: " ".into(),
                    ..form()
                },
                "venue",
            ),
            (
                EventForm {
                    start: "25:00".into(),
                    ..form()
                },
                "start",
            ),
            (
                EventForm {
                    end: "09:00".into(),
                    ..form()
                },
                "end",
            ),
            (
                EventForm {
                    capacity: "12人".into(),
                    ..form()
                },
                "capacity",
            ),
            (
                EventForm {
                    capacity: "10001".into(),
                    ..form()
                },
                "capacity",
            ),
            (
                EventForm {
                    description: "あ".repeat(4_001),
                    ..form()
                },
                "description",
            ),
            (
                EventForm {
                    deadline: "".into(),
                    ..form()
                },
                "deadline",
            ),
            (
                EventForm {
                    date: "12/1".into(),
                    ..form()
                },
                "date",
            ),
        ] {
            let e = parse_event_form(&change).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{}", e.message);
        }
    }

    #[test]
    fn a_registrants_mail_carries_the_cancellation_link_and_no_sign_in() {
        let mail = josei_store::OutboxMail {
            id: 1.into(),
            to_address: "a@example.jp".into(),
            subject: "【お申込みを受け付けました】セミナー".into(),
            body: "山田 太郎 様\n\n受け付けました。\n".into(),
            link_path: Some("/events/cancel/abc".into()),
            kind: josei_store::NotificationKind::EventRegistration,
            dedupe_key: "k".into(),
            created_at: String::new(),
            sent_at: None,
            attempts: 0,
            last_error: None,
        };
        let text = crate::mail::compose(&mail, Some("https://josei.example.jp"));
        assert!(
            text.contains("取り消す場合は、次のページから")
                && text.contains("\nhttps://josei.example.jp/events/cancel/abc\n"),
            "{text}"
        );
        assert!(
            !text.contains("ログイン") && !text.contains("アカウント"),
            "{text}"
        );
        let spent = josei_store::OutboxMail {
            link_path: None,
            ..mail
        };
        assert!(!crate::mail::compose(&spent, Some("https://x.jp")).contains("取り消す"));
    }

    #[test]
    fn registration_closes_on_the_deadline_and_the_day() {
        let f = parse_event_form(&form()).unwrap();
        let mut e = Event {
            id: 1.into(),
            fields: f,
            status: EventStatus::Published,
            created_at: String::new(),
            updated_at: String::new(),
            taken: 0,
            waiting: 0,
            materials: 0,
        };
        let day = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(registration_closed(&e, day("2026-11-30")), None);
        assert!(registration_closed(&e, day("2026-12-01"))
            .unwrap()
            .contains("締め切りました"));
        assert!(registration_closed(&e, day("2026-12-02"))
            .unwrap()
            .contains("終了しました"));
        e.status = EventStatus::Cancelled;
        assert!(registration_closed(&e, day("2026-11-01"))
            .unwrap()
            .contains("中止"));
    }
}
