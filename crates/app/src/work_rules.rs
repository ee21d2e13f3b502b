//! モデル就業規則: a short questionnaire (who may telework, the procedure,
//! working hours, 中抜け, costs, training, information security, contact)
//! turned into a テレワーク勤務規程 draft as a Word document (.docx), in the
//! order and wording of the MHLW テレワークモデル就業規則, which the employer
//! or 社労士 then edits.
//!
//! A draft is recorded on its case (the answers, who made it, when, and the
//! file's SHA-256) with an audit entry; it is downloaded again by making the
//! document anew from the stored answers, byte for byte the same file (the
//! archive's entries carry a fixed time). Once the employer confirms that
//! the rules were adopted, the day feeds the case's
//! `work_rules_established_on` through the case-input use case
//! ([`crate::cases::save_checked`]: version check, refused while the case is
//! locked), and the draft is marked adopted.
//!
//! Access: the employer and 社労士 of the case's organisation make and adopt
//! drafts; the labour bureau of its prefecture (and administrators) see the
//! drafts and download them; everyone else gets 404 ([`visible_case`]).

use crate::access::{require_role, visible_case};
use crate::text::forbidden_char;
use crate::{today, App, Error, Result};
use jiff::civil::Date;
use josei_rules::civil::parse_iso_date;
use josei_rules::wareki::format_wareki;
use josei_store::{CaseId, CaseRow, Role, User, WorkRulesDraft, WorkRulesDraftId};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::Write;

/// The file name people get (Content-Disposition).
pub const FILE_NAME: &str = "テレワーク勤務規程.docx";
/// The media type of a Word document.
pub const DOCX_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The longest 事業主の名称.
pub const MAX_COMPANY_CHARS: usize = 100;
/// The longest 職種 text.
pub const MAX_JOBS_CHARS: usize = 100;
/// The longest 連絡先 (e.g. 所属長).
pub const MAX_CONTACT_CHARS: usize = 30;
/// The largest monthly allowance (yen).
pub const MAX_ALLOWANCE_YEN: u64 = 100_000;

/// One choice of a question: its value, the code a form posts and the
/// words people read.
pub trait Choice: Sized + Copy + PartialEq + 'static {
    /// Every choice: (value, code, label).
    const ALL: &'static [(Self, &'static str, &'static str)];

    fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(v, _, _)| *v == self)
            .map_or("", |(_, c, _)| c)
    }

    fn label(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(v, _, _)| *v == self)
            .map_or("", |(_, _, l)| l)
    }

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, c, _)| *c == code.trim())
            .map(|(v, _, _)| *v)
    }
}

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($v:ident = $code:literal : $label:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $v,)*
        }

        impl Choice for $name {
            const ALL: &'static [(Self, &'static str, &'static str)] = &[$(($name::$v, $code, $label),)*];
        }
    };
}

choice! {
    /// 対象者.
    Eligibility {
        All = "all": "テレワークを希望する全従業員",
        Tenure = "tenure": "一定の期間以上勤続した従業員",
        Jobs = "jobs": "特定の職種の従業員",
    }
}

choice! {
    /// 申請手続.
    Application {
        Approval = "approval": "事前に申請し、所属長の許可を受ける",
        Notice = "notice": "事前に所属長へ届け出る",
    }
}

choice! {
    /// 労働時間.
    Hours {
        Standard = "standard": "通常の労働時間制（就業規則の始業・終業時刻）",
        Flex = "flex": "フレックスタイム制",
        Deemed = "deemed": "事業場外みなし労働時間制",
    }
}

choice! {
    /// 中抜け時間の扱い.
    BreakOut {
        Break = "break": "休憩時間として扱い、終業時刻を繰り下げる",
        Leave = "leave": "時間単位の年次有給休暇として扱う",
        Either = "either": "本人の申出により、上のどちらかで扱う",
    }
}

choice! {
    /// 時間外・休日・深夜労働.
    Overtime {
        Approval = "approval": "事前に所属長の許可を受ければ行える",
        Prohibited = "prohibited": "原則として行わない（やむを得ない場合は事前の許可）",
    }
}

choice! {
    /// Who bears 通信費 / 水道光熱費.
    Cost {
        Company = "company": "会社が負担する",
        Employee = "employee": "本人が負担する",
        Allowance = "allowance": "手当（月額）を支給する",
    }
}

choice! {
    /// パソコン等の情報通信機器.
    Equipment {
        Lend = "lend": "会社が貸与する",
        Own = "own": "本人所有の機器を会社の許可を受けて使う",
        Allowance = "allowance": "本人が用意し、手当（月額）を支給する",
    }
}

choice! {
    /// 教育訓練.
    Training {
        BeforeStart = "before_start": "テレワークを始める前に研修を行う",
        AsNeeded = "as_needed": "必要に応じて研修を行う",
    }
}

choice! {
    /// 情報の持ち出し.
    Takeout {
        Approval = "approval": "所属長の許可を受けた場合に限り持ち出せる",
        Prohibited = "prohibited": "持ち出さない（会社のシステムに接続して業務を行う）",
    }
}

/// The questionnaire's answers, checked: what a draft is made from and what
/// it stores (JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    /// 事業主の名称 (the 会社 of 第1条).
    pub company: String,
    /// テレワークの種類: 在宅勤務, サテライトオフィス勤務, モバイル勤務.
    pub place_home: bool,
    pub place_satellite: bool,
    pub place_mobile: bool,
    pub eligibility: Eligibility,
    /// 勤続期間 (months), with [`Eligibility::Tenure`].
    pub tenure_months: Option<u32>,
    /// 職種, with [`Eligibility::Jobs`].
    pub jobs: Option<String>,
    pub application: Application,
    /// How many days before (1 = 前日).
    pub notice_days: u32,
    pub hours: Hours,
    pub break_out: BreakOut,
    pub overtime: Overtime,
    pub comm: Cost,
    pub comm_yen: Option<u64>,
    pub utility: Cost,
    pub utility_yen: Option<u64>,
    pub equipment: Equipment,
    pub equipment_yen: Option<u64>,
    pub training: Training,
    pub takeout: Takeout,
    /// 公衆無線LANでの業務を禁止する.
    pub no_public_wifi: bool,
    /// 連絡先 (所属長).
    pub contact: String,
    /// 始業・終業の報告.
    pub report_start_end: bool,
    /// 施行日 (blank in the draft when not known yet).
    pub effective_on: Option<Date>,
}

impl Answers {
    /// The defaults, for the employer `company`.
    pub fn defaults(company: &str) -> Answers {
        Answers {
            company: company.trim().chars().take(MAX_COMPANY_CHARS).collect(),
            place_home: true,
            place_satellite: false,
            place_mobile: false,
            eligibility: Eligibility::All,
            tenure_months: None,
            jobs: None,
            application: Application::Approval,
            notice_days: 7,
            hours: Hours::Standard,
            break_out: BreakOut::Either,
            overtime: Overtime::Approval,
            comm: Cost::Company,
            comm_yen: None,
            utility: Cost::Employee,
            utility_yen: None,
            equipment: Equipment::Lend,
            equipment_yen: None,
            training: Training::BeforeStart,
            takeout: Takeout::Approval,
            no_public_wifi: true,
            contact: "所属長".into(),
            report_start_end: true,
            effective_on: None,
        }
    }

    /// The answers as a form shows them.
    pub fn to_raw(&self) -> RawAnswers {
        let on = |b: bool| b.then(|| "1".to_string());
        let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        RawAnswers {
            company: self.company.clone(),
            place_home: on(self.place_home),
            place_satellite: on(self.place_satellite),
            place_mobile: on(self.place_mobile),
            eligibility: self.eligibility.code().into(),
            tenure_months: self
                .tenure_months
                .map(|m| m.to_string())
                .unwrap_or_default(),
            jobs: self.jobs.clone().unwrap_or_default(),
            application: self.application.code().into(),
            notice_days: self.notice_days.to_string(),
            hours: self.hours.code().into(),
            break_out: self.break_out.code().into(),
            overtime: self.overtime.code().into(),
            comm: self.comm.code().into(),
            comm_yen: n(self.comm_yen),
            utility: self.utility.code().into(),
            utility_yen: n(self.utility_yen),
            equipment: self.equipment.code().into(),
            equipment_yen: n(self.equipment_yen),
            training: self.training.code().into(),
            takeout: self.takeout.code().into(),
            no_public_wifi: on(self.no_public_wifi),
            contact: self.contact.clone(),
            report_start_end: on(self.report_start_end),
            effective_on: self.effective_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// The questionnaire as a form posts it: text as typed, a check box present
/// when ticked.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawAnswers {
    pub company: String,
    pub place_home: Option<String>,
    pub place_satellite: Option<String>,
    pub place_mobile: Option<String>,
    pub eligibility: String,
    pub tenure_months: String,
    pub jobs: String,
    pub application: String,
    pub notice_days: String,
    pub hours: String,
    pub break_out: String,
    pub overtime: String,
    pub comm: String,
    pub comm_yen: String,
    pub utility: String,
    pub utility_yen: String,
    pub equipment: String,
    pub equipment_yen: String,
    pub training: String,
    pub takeout: String,
    pub no_public_wifi: Option<String>,
    pub contact: String,
    pub report_start_end: Option<String>,
    pub effective_on: String,
}

/// A refused answer: the form field (its name and the id of its input or
/// group) and what to do, in Japanese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

/// Digits as typed (full-width read as half-width; commas and 円 dropped).
fn digits(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .filter(|c| !matches!(c, ',' | '，' | '円' | ' ' | '　'))
        .collect()
}

/// Reads and checks the questionnaire; every problem, in the form's order.
pub fn parse(raw: &RawAnswers) -> std::result::Result<Answers, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut bad = |field: &'static str, message: String| {
        problems.push(Problem { field, message });
    };
    let text = |v: &str, max: usize, what: &str| -> std::result::Result<String, String> {
        let t = v.trim();
        if t.is_empty() {
            return Err(format!("{what}を入力してください"));
        }
        if t.chars().count() > max {
            return Err(format!("{what}は{max}文字以内で入力してください"));
        }
        if let Some(c) = t.chars().find(|c| forbidden_char(*c, false)) {
            return Err(format!(
                "{what}に使えない文字（U+{:04X}）が含まれています",
                c as u32
            ));
        }
        Ok(t.to_string())
    };
    let company = text(&raw.company, MAX_COMPANY_CHARS, "事業主の名称")
        .map_err(|m| bad("company", m))
        .unwrap_or_default();
    let ticked = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let (home, satellite, mobile) = (
        ticked(&raw.place_home),
        ticked(&raw.place_satellite),
        ticked(&raw.place_mobile),
    );
    if !(home || satellite || mobile) {
        bad("places", "テレワークの種類を1つ以上選んでください".into());
    }
    fn choose<T: Choice>(
        code: &str,
        field: &'static str,
        what: &str,
        bad: &mut dyn FnMut(&'static str, String),
    ) -> T {
        match T::from_code(code) {
            Some(v) => v,
            None => {
                bad(field, format!("{what}を選んでください"));
                T::ALL[0].0
            }
        }
    }
    let eligibility: Eligibility = choose(&raw.eligibility, "eligibility", "対象者", &mut bad);
    let mut tenure_months = None;
    let mut jobs = None;
    match eligibility {
        Eligibility::Tenure => match digits(&raw.tenure_months).parse::<u32>() {
            Ok(m) if (1..=120).contains(&m) => tenure_months = Some(m),
            _ => bad(
                "tenure_months",
                "勤続期間を1〜120か月の数字で入力してください".into(),
            ),
        },
        Eligibility::Jobs => match text(&raw.jobs, MAX_JOBS_CHARS, "対象とする職種") {
            Ok(j) => jobs = Some(j),
            Err(m) => bad("jobs", m),
        },
        Eligibility::All => {}
    }
    let application: Application = choose(&raw.application, "application", "申請の手続", &mut bad);
    let notice_days = match digits(&raw.notice_days).parse::<u32>() {
        Ok(d) if (1..=30).contains(&d) => d,
        _ => {
            bad(
                "notice_days",
                "申請・届出の期限を1〜30日前の数字で入力してください".into(),
            );
            7
        }
    };
    let hours: Hours = choose(&raw.hours, "hours", "労働時間の制度", &mut bad);
    let break_out: BreakOut = choose(&raw.break_out, "break_out", "中抜け時間の扱い", &mut bad);
    let overtime: Overtime = choose(&raw.overtime, "overtime", "時間外労働の扱い", &mut bad);
    let allowance = |cost_is_allowance: bool,
                     typed: &str,
                     field: &'static str,
                     what: &str,
                     bad: &mut dyn FnMut(&'static str, String)|
     -> Option<u64> {
        if !cost_is_allowance {
            return None;
        }
        match digits(typed).parse::<u64>() {
            Ok(n) if (1..=MAX_ALLOWANCE_YEN).contains(&n) => Some(n),
            _ => {
                bad(
                    field,
                    format!("{what}の手当の月額を1〜100,000円の数字で入力してください"),
                );
                None
            }
        }
    };
    let comm: Cost = choose(&raw.comm, "comm", "通信費の負担", &mut bad);
    let comm_yen = allowance(
        comm == Cost::Allowance,
        &raw.comm_yen,
        "comm_yen",
        "通信費",
        &mut bad,
    );
    let utility: Cost = choose(&raw.utility, "utility", "水道光熱費の負担", &mut bad);
    let utility_yen = allowance(
        utility == Cost::Allowance,
        &raw.utility_yen,
        "utility_yen",
        "水道光熱費",
        &mut bad,
    );
    let equipment: Equipment = choose(&raw.equipment, "equipment", "情報通信機器の用意", &mut bad);
    let equipment_yen = allowance(
        equipment == Equipment::Allowance,
        &raw.equipment_yen,
        "equipment_yen",
        "情報通信機器",
        &mut bad,
    );
    let training: Training = choose(&raw.training, "training", "教育訓練", &mut bad);
    let takeout: Takeout = choose(&raw.takeout, "takeout", "情報の持ち出し", &mut bad);
    let contact = text(&raw.contact, MAX_CONTACT_CHARS, "連絡・報告の相手")
        .map_err(|m| bad("contact", m))
        .unwrap_or_default();
    let effective_on = match raw.effective_on.trim() {
        "" => None,
        t => match parse_iso_date(t) {
            Ok(d) if d.year() >= 2000 && d.year() <= 2100 => Some(d),
            _ => {
                bad(
                    "effective_on",
                    "施行日は 2026-04-01 の形の正しい日付で入力してください（未定なら空欄のままにしてください）".into(),
                );
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Answers {
        company,
        place_home: home,
        place_satellite: satellite,
        place_mobile: mobile,
        eligibility,
        tenure_months,
        jobs,
        application,
        notice_days,
        hours,
        break_out,
        overtime,
        comm,
        comm_yen,
        utility,
        utility_yen,
        equipment,
        equipment_yen,
        training,
        takeout,
        no_public_wifi: ticked(&raw.no_public_wifi),
        contact,
        report_start_end: ticked(&raw.report_start_end),
        effective_on,
    })
}

// ---------------------------------------------------------------------------
// The document.

/// A block of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Title(String),
    Note(String),
    /// An article's caption: 「（目的）」.
    Caption(String),
    /// A paragraph: 「第1条　…」 or 「2　…」.
    Para(String),
    /// An item of a list: 「（1）…」.
    Item(String),
}

/// 1,234.
fn commas(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The draft's text, block by block: the articles of the MHLW model (目的,
/// 定義, 対象者, 申請手続, 服務規律, 労働時間, 休憩時間, 時間外労働, 中抜け時間,
/// 連絡体制, 費用の負担, 教育訓練, 情報管理) numbered 第1条…, then 附則.
pub fn blocks(a: &Answers) -> Vec<Block> {
    let mut out = vec![
        Block::Title("テレワーク勤務規程".into()),
        Block::Note("（案）この規程は、厚生労働省の「テレワークモデル就業規則」をもとに作成した案です。「就業規則第○条」などは自社の就業規則に合わせて書き換え、労働者の過半数代表者等の意見を聴いたうえで制定してください。".into()),
    ];
    let mut n = 0;
    let mut article = |out: &mut Vec<Block>, caption: &str, paras: Vec<Vec<Block>>| {
        n += 1;
        out.push(Block::Caption(format!("（{caption}）")));
        for (i, mut p) in paras.into_iter().enumerate() {
            if let Some(Block::Para(first)) = p.first_mut() {
                *first = if i == 0 {
                    format!("第{n}条　{first}")
                } else {
                    format!("{}　{first}", i + 1)
                };
            }
            out.extend(p);
        }
    };
    let para = |t: String| vec![Block::Para(t)];
    let with_items = |t: String, items: Vec<String>| {
        let mut v = vec![Block::Para(t)];
        v.extend(
            items
                .into_iter()
                .enumerate()
                .map(|(i, x)| Block::Item(format!("（{}）{x}", i + 1))),
        );
        v
    };
    let company = &a.company;
    let contact = &a.contact;

    article(&mut out, "目的", vec![para(format!(
        "この規程は、{company}（以下「会社」という。）の就業規則第○条に基づき、従業員がテレワーク勤務をする場合の必要な事項について定めたものである。"
    ))]);

    let mut kinds = Vec::new();
    if a.place_home {
        kinds.push("在宅勤務：従業員の自宅その他自宅に準じる場所（会社が認めた場所に限る。）において情報通信機器を利用した業務をいう。".to_string());
    }
    if a.place_satellite {
        kinds.push("サテライトオフィス勤務：会社所有の所属事業場以外の会社専用施設（専用型）又は会社が契約している他会社所有の共用施設（共用型）において情報通信機器を利用した業務をいう。".to_string());
    }
    if a.place_mobile {
        kinds.push("モバイル勤務：在宅勤務及びサテライトオフィス勤務以外で、かつ、社外で情報通信機器を利用した業務をいう。".to_string());
    }
    article(
        &mut out,
        "定義",
        vec![with_items(
            "この規程において「テレワーク勤務」とは、次の各号に掲げる勤務をいう。".into(),
            kinds,
        )],
    );

    let mut who = Vec::new();
    match a.eligibility {
        Eligibility::All => {}
        Eligibility::Tenure => {
            who.push(format!("勤続{}か月以上の者", a.tenure_months.unwrap_or(6)))
        }
        Eligibility::Jobs => who.push(format!(
            "{}に従事する者",
            a.jobs.as_deref().unwrap_or("会社が指定する職種")
        )),
    }
    who.push("テレワーク勤務を希望する者".into());
    who.push("自宅等の執務環境及びセキュリティ環境が適正と認められる者".into());
    article(&mut out, "対象者", vec![with_items(
        "テレワーク勤務の対象者は、就業規則第○条に規定する従業員であって、次の各号の条件をすべて満たした者とする。".into(),
        who,
    )]);

    let when = if a.notice_days == 1 {
        "前日までに".to_string()
    } else {
        format!("{}日前までに", a.notice_days)
    };
    let apply = match a.application {
        Application::Approval => vec![
            para(format!("テレワーク勤務を希望する者は、所定の申請書に必要事項を記入のうえ、テレワーク勤務を行う日の{when}所属長に申請し、その許可を受けなければならない。")),
            para("会社は、業務上その他の事由により、前項によるテレワーク勤務の許可を取り消すことがある。".into()),
        ],
        Application::Notice => vec![
            para(format!("テレワーク勤務を希望する者は、テレワーク勤務を行う日の{when}、所定の届出書により所属長に届け出なければならない。")),
            para("会社は、業務上その他の事由により、テレワーク勤務を行わないよう命ずることがある。".into()),
        ],
    };
    article(&mut out, "申請手続", apply);

    article(&mut out, "服務規律", vec![with_items(
        "テレワーク勤務に従事する者（以下「テレワーク勤務者」という。）は、就業規則第○条に定めるもののほか、次の各号に定める事項を守らなければならない。".into(),
        vec![
            "テレワーク勤務中は業務に専念すること。".into(),
            "会社の情報及び作成した成果物を第三者が閲覧、複写等しないよう最大の注意を払うこと。".into(),
            "会社の情報及び作成した成果物を紛失、毀損しないよう丁寧に取り扱い、会社の定める方法で保管・管理すること。".into(),
            "会社が認めた場所以外でテレワーク勤務を行わないこと。".into(),
        ],
    )]);

    let hours = match a.hours {
        Hours::Standard => vec![
            para("テレワーク勤務時の労働時間については、就業規則第○条の定めるところによる。".into()),
            para("前項にかかわらず、テレワーク勤務者は、所属長の承認を受けて、始業時刻及び終業時刻を繰り上げ又は繰り下げることができる。".into()),
        ],
        Hours::Flex => vec![
            para("テレワーク勤務時の労働時間については、就業規則第○条の定めるところにより、フレックスタイム制を適用する。始業及び終業の時刻については、テレワーク勤務者の自主的な決定に委ねるものとする。".into()),
            para("清算期間、清算期間における総労働時間、標準となる1日の労働時間その他フレックスタイム制に必要な事項は、労使協定で定めるところによる。".into()),
        ],
        Hours::Deemed => vec![
            para("テレワーク勤務者が、労働時間の全部又は一部について事業場外で業務に従事し、労働時間を算定し難いときは、就業規則第○条に定める所定労働時間労働したものとみなす。".into()),
            para("前項の場合であって、当該業務を遂行するためには通常所定労働時間を超えて労働することが必要となるときは、労使協定で定める時間労働したものとみなす。".into()),
        ],
    };
    article(&mut out, "労働時間", hours);

    article(
        &mut out,
        "休憩時間",
        vec![para(
            "テレワーク勤務者の休憩時間については、就業規則第○条の定めるところによる。".into(),
        )],
    );

    let first = match a.overtime {
        Overtime::Approval => "テレワーク勤務者が時間外労働、休日労働及び深夜労働をする場合は、所定の手続を経て、あらかじめ所属長の許可を受けなければならない。",
        Overtime::Prohibited => "テレワーク勤務者は、原則として時間外労働、休日労働及び深夜労働を行わないものとする。ただし、業務上やむを得ない場合は、あらかじめ所属長の許可を受けなければならない。",
    };
    article(&mut out, "時間外及び休日労働等", vec![
        para(first.into()),
        para("時間外及び休日労働について必要な事項は、就業規則第○条の定めるところによる。".into()),
        para("時間外、休日及び深夜の労働については、賃金規程に基づき、時間外勤務手当、休日勤務手当及び深夜勤務手当を支給する。".into()),
    ]);

    let how = match a.break_out {
        BreakOut::Break => "休憩時間として取り扱い、その時間分、終業時刻を繰り下げるものとする。",
        BreakOut::Leave => "時間単位の年次有給休暇として取り扱うものとする。",
        BreakOut::Either => "テレワーク勤務者の申出により、休憩時間として取り扱い終業時刻を繰り下げるか、時間単位の年次有給休暇として取り扱うものとする。",
    };
    article(&mut out, "中抜け時間", vec![
        para("テレワーク勤務者は、勤務時間中に所定の休憩時間を除き一定程度業務から離れる時間（以下「中抜け時間」という。）をとるときは、その開始と終了の時刻を所属長に報告しなければならない。".into()),
        para(format!("中抜け時間については、{how}")),
    ]);

    let mut ways = vec![
        format!("事故・トラブルが発生したときは、{contact}に連絡すること。{contact}が不在のときは、{contact}が指名した代理の者に連絡すること。"),
        format!("社内における従業員への緊急連絡事項が生じたときは、テレワーク勤務者へは{contact}が連絡すること。テレワーク勤務者は、不測の事態が生じた場合に確実に連絡がとれる方法を、あらかじめ{contact}に届け出ておくこと。"),
        format!("情報通信機器に不具合が生じ、緊急を要するときは、{contact}に連絡をとり、その指示を受けること。"),
    ];
    if a.report_start_end {
        ways.push(format!(
            "テレワーク勤務者は、始業及び終業の時刻に、電子メール、チャット等により{contact}に報告すること。"
        ));
    }
    article(
        &mut out,
        "連絡体制",
        vec![with_items(
            "テレワーク勤務時における連絡体制は、次の各号のとおりとする。".into(),
            ways,
        )],
    );

    let cost = |what: &str, c: Cost, yen: Option<u64>| {
        match c {
        Cost::Company => format!("テレワーク勤務に伴って発生する{what}は、会社が負担する。"),
        Cost::Employee => format!("テレワーク勤務に伴って発生する{what}は、テレワーク勤務者の負担とする。"),
        Cost::Allowance => format!(
            "テレワーク勤務に伴って発生する{what}のうち業務に係る分として、テレワーク勤務手当（{what}分）月額{}円を支給する。",
            commas(yen.unwrap_or(0))
        ),
    }
    };
    let equipment = match a.equipment {
        Equipment::Lend => "会社は、テレワーク勤務者が業務に使用するパソコン等の情報通信機器を貸与する。貸与する機器の費用は、会社が負担する。".to_string(),
        Equipment::Own => "テレワーク勤務者は、会社の許可を受けて、自ら所有する情報通信機器を業務に使用することができる。この場合の機器の費用は、テレワーク勤務者の負担とする。".to_string(),
        Equipment::Allowance => format!(
            "テレワーク勤務者が自ら用意して業務に使用する情報通信機器の費用として、月額{}円を支給する。",
            commas(a.equipment_yen.unwrap_or(0))
        ),
    };
    article(&mut out, "費用の負担", vec![
        para(cost("通信費", a.comm, a.comm_yen)),
        para(cost("水道光熱費", a.utility, a.utility_yen)),
        para(equipment),
        para("業務に必要な郵送費、事務用品費、消耗品費その他会社が認めた費用は、会社が負担する。".into()),
        para("手当の支給方法その他必要な事項は、賃金規程の定めるところによる。".into()),
    ]);

    let training = match a.training {
        Training::BeforeStart => "会社は、テレワーク勤務者に対して、テレワーク勤務を始める前に、業務に必要な知識、情報通信機器の操作、情報セキュリティ及び労務管理に関する研修を行う。",
        Training::AsNeeded => "会社は、テレワーク勤務者に対して、業務に必要な知識、技能を高め、資質の向上を図るため、必要に応じて情報通信機器の操作、情報セキュリティ及び労務管理に関する研修を行う。",
    };
    article(&mut out, "教育訓練", vec![
        para(training.into()),
        para("テレワーク勤務者は、会社から教育訓練を受講するよう指示されたときは、特段の事由がない限り、指示された教育訓練を受けなければならない。".into()),
    ]);

    let mut security = vec![para(match a.takeout {
        Takeout::Approval => "テレワーク勤務者は、会社の情報を社外に持ち出すときは、あらかじめ所属長の許可を受けなければならない。".to_string(),
        Takeout::Prohibited => "テレワーク勤務者は、会社の情報を紙媒体、記録媒体等により社外に持ち出してはならない。テレワーク勤務における業務は、会社が認めた方法で会社のシステムに接続して行うものとする。".to_string(),
    })];
    if a.no_public_wifi {
        security.push(para(
            "テレワーク勤務者は、暗号化されていない公衆無線LANを利用して業務を行ってはならない。"
                .into(),
        ));
    }
    security.push(para("テレワーク勤務者は、情報通信機器の紛失、盗難、情報の漏えい又はそのおそれがあるときは、直ちに所属長に報告し、その指示に従わなければならない。".into()));
    article(&mut out, "情報管理", security);

    out.push(Block::Caption("附則".into()));
    let day = a
        .effective_on
        .map(format_wareki)
        .unwrap_or_else(|| "令和　年　月　日".into());
    out.push(Block::Para(format!("この規程は、{day}から施行する。")));
    out
}

/// The document's text, a line per block (for tests and summaries).
pub fn plain_text(a: &Answers) -> String {
    blocks(a)
        .into_iter()
        .map(|b| match b {
            Block::Title(t)
            | Block::Note(t)
            | Block::Caption(t)
            | Block::Para(t)
            | Block::Item(t) => t,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A paragraph of WordprocessingML.
fn paragraph(text: &str, ppr: &str, rpr: &str) -> String {
    format!(
        "<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        xml_escape(text)
    )
}

fn document_xml(a: &Answers) -> String {
    let mut body = String::new();
    for b in blocks(a) {
        body.push_str(&match b {
            Block::Title(t) => paragraph(
                &t,
                "<w:jc w:val=\"center\"/><w:spacing w:after=\"240\"/>",
                "<w:b/><w:sz w:val=\"32\"/>",
            ),
            Block::Note(t) => paragraph(
                &t,
                "<w:spacing w:after=\"240\"/>",
                "<w:color w:val=\"595959\"/><w:sz w:val=\"18\"/>",
            ),
            Block::Caption(t) => paragraph(&t, "<w:keepNext/><w:spacing w:before=\"180\"/>", ""),
            Block::Para(t) => paragraph(&t, "<w:ind w:left=\"210\" w:hanging=\"210\"/>", ""),
            Block::Item(t) => paragraph(&t, "<w:ind w:left=\"630\" w:hanging=\"420\"/>", ""),
        });
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1701\" w:right=\"1418\" w:bottom=\"1418\" w:left=\"1418\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>";

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Century\" w:eastAsia=\"ＭＳ 明朝\" w:hAnsi=\"Century\"/><w:kern w:val=\"2\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"en-US\" w:eastAsia=\"ja-JP\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"a\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style></w:styles>";

fn core_xml(a: &Answers) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>テレワーク勤務規程（案）</dc:title><dc:creator>{}</dc:creator></cp:coreProperties>",
        xml_escape(&a.company)
    )
}

/// The Word document of `a`: the same bytes for the same answers (its
/// entries are dated 1980-01-01, the archive's earliest time).
pub fn docx(a: &Answers) -> Result<Vec<u8>> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::DEFAULT);
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let parts: [(&str, String); 5] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core_xml(a)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/styles.xml", STYLES.to_string()),
    ];
    let fail = |e: &dyn std::fmt::Display| Error::internal(format!("work rules docx: {e}"));
    let document = document_xml(a);
    for (name, text) in parts
        .iter()
        .map(|(n, t)| (*n, t.as_str()))
        .chain([("word/document.xml", document.as_str())])
    {
        z.start_file(name, options).map_err(|e| fail(&e))?;
        z.write_all(text.as_bytes()).map_err(|e| fail(&e))?;
    }
    let out = z.finish().map_err(|e| fail(&e))?;
    Ok(out.into_inner())
}

/// The SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

// ---------------------------------------------------------------------------
// The use cases.

/// What the page of a case's work rules shows.
#[derive(Debug)]
pub struct View {
    pub case: CaseRow,
    pub drafts: Vec<WorkRulesDraft>,
    /// The questionnaire's starting answers: the newest draft's, else the defaults.
    pub answers: Answers,
    /// The user may make drafts (employer or 社労士, the case still open).
    pub can_make: bool,
    /// The user may record the adoption (employer or 社労士, the case's
    /// records still editable).
    pub can_adopt: bool,
    /// The case's 就業規則等の整備日, if any.
    pub established_on: Option<String>,
    /// The engine's check of that day as of today (就業規則等の整備), when
    /// the case can be evaluated.
    pub check: Option<josei_rules::evaluate::Check>,
}

fn applicant(user: &User) -> bool {
    matches!(user.role, Role::Employer | Role::Agent)
}

/// The page of case `id`'s work rules for `user` (404 when the case is out
/// of the user's scope).
pub async fn view(app: &App, user: &User, id: CaseId) -> Result<View> {
    let case = visible_case(app, user, id).await?;
    let drafts = app.db.work_rules_drafts(case.id).await?;
    let doc = app.db.case_document(&case).await?;
    let check = crate::cases::case_view(app, &case, user)
        .await?
        .evaluation
        .and_then(|e| {
            e.equipment_subsidy
                .checks
                .into_iter()
                .find(|c| c.id == josei_rules::evaluate::CheckId::WorkRulesEstablished)
        });
    let answers = drafts
        .last()
        .and_then(|d| serde_json::from_value::<Answers>(d.answers.clone()).ok())
        .unwrap_or_else(|| Answers::defaults(doc["employer"]["name"].as_str().unwrap_or("")));
    Ok(View {
        can_make: applicant(user) && case.status.is_open(),
        can_adopt: applicant(user) && case.status.records_editable(),
        established_on: doc["work_rules_established_on"]
            .as_str()
            .map(str::to_string),
        case,
        drafts,
        answers,
        check,
    })
}

/// Makes a draft of case `id` from the questionnaire `raw` (employer or
/// 社労士 of the case; an open case): the document, and its record with the
/// audit entry. A refused answer is `Invalid`, naming the first field at
/// fault ([`parse`] lists them all).
pub async fn generate(
    app: &App,
    user: &User,
    id: CaseId,
    raw: &RawAnswers,
) -> Result<(WorkRulesDraft, Vec<u8>)> {
    let case = visible_case(app, user, id).await?;
    require_role(user, &[Role::Employer, Role::Agent])?;
    if !case.status.is_open() {
        return Err(Error::conflict(format!(
            "「{}」の申請では、テレワーク勤務規程の案を作れません",
            case.status.label_ja()
        )));
    }
    let answers = parse(raw).map_err(|p| {
        let first = &p[0];
        Error::invalid(first.field, first.message.clone())
    })?;
    let bytes = docx(&answers)?;
    let stored = serde_json::to_value(&answers).map_err(|e| Error::internal(e.to_string()))?;
    let draft = app
        .db
        .create_work_rules_draft(case.id, &stored, &sha256_hex(&bytes), user.id)
        .await?;
    Ok((draft, bytes))
}

/// Draft `draft` of case `id` and its document, made again from its answers
/// (anyone who may see the case).
pub async fn download(
    app: &App,
    user: &User,
    id: CaseId,
    draft: WorkRulesDraftId,
) -> Result<(WorkRulesDraft, Vec<u8>)> {
    let case = visible_case(app, user, id).await?;
    let d = app
        .db
        .work_rules_draft(case.id, draft)
        .await?
        .ok_or_else(Error::not_found)?;
    let answers: Answers = serde_json::from_value(d.answers.clone())
        .map_err(|e| Error::internal(format!("work rules draft {}: {e}", d.id)))?;
    let bytes = docx(&answers)?;
    Ok((d, bytes))
}

/// Records that draft `draft` of case `id` was adopted on `on` (as typed):
/// the case's 就業規則等の整備日 is set through the case-input use case
/// (version `version`; refused while the case is locked), then the draft is
/// marked adopted. Employer or 社労士 of the case only.
pub async fn adopt(
    app: &App,
    user: &User,
    id: CaseId,
    draft: WorkRulesDraftId,
    version: i64,
    on: &str,
) -> Result<CaseRow> {
    let case = visible_case(app, user, id).await?;
    require_role(user, &[Role::Employer, Role::Agent])?;
    let d = app
        .db
        .work_rules_draft(case.id, draft)
        .await?
        .ok_or_else(|| Error::invalid("draft", "制定した規程の案を選んでください"))?;
    let day = parse_iso_date(on.trim()).map_err(|_| {
        Error::invalid(
            "adopted_on",
            "制定日を 2026-04-01 の形の正しい日付で入力してください",
        )
    })?;
    let today = today(app).await?;
    if day > today {
        return Err(Error::invalid(
            "adopted_on",
            format!(
                "制定日は今日（{}）以前の日付を入力してください。制定の後に記録してください",
                format_wareki(today)
            ),
        ));
    }
    if day.year() < 2000 {
        return Err(Error::invalid(
            "adopted_on",
            "制定日を 2026-04-01 の形の正しい日付で入力してください",
        ));
    }
    if !case.status.records_editable() {
        return Err(Error::conflict(format!(
            "「{}」の申請は、いまの状態では就業規則等の整備日を変更できません",
            case.status.label_ja()
        )));
    }
    let mut doc = app.db.case_document(&case).await?;
    doc["work_rules_established_on"] = json!(day.to_string());
    let updated = crate::cases::save_checked(app, &case, version, doc, Some(user.id), None).await?;
    app.db
        .adopt_work_rules_draft(case.id, d.id, &day.to_string(), user.id)
        .await?;
    Ok(updated)
}

/// A draft's answers in one line for a list: 対象者 and 労働時間.
pub fn summary(answers: &Value) -> String {
    match serde_json::from_value::<Answers>(answers.clone()) {
        Ok(a) => {
            let who = match a.eligibility {
                Eligibility::All => "全従業員".to_string(),
                Eligibility::Tenure => format!("勤続{}か月以上", a.tenure_months.unwrap_or(0)),
                Eligibility::Jobs => a.jobs.unwrap_or_default(),
            };
            format!("対象者：{who}　労働時間：{}", short_hours(a.hours))
        }
        Err(_) => String::new(),
    }
}

fn short_hours(h: Hours) -> &'static str {
    match h {
        Hours::Standard => "通常の労働時間制",
        Hours::Flex => "フレックスタイム制",
        Hours::Deemed => "事業場外みなし労働時間制",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawAnswers {
        Answers::defaults("株式会社みなと商店").to_raw()
    }

    #[test]
    fn the_defaults_read_back_as_themselves() {
        let a = Answers::defaults("株式会社みなと商店");
        assert_eq!(parse(&a.to_raw()).unwrap(), a);
        let stored = serde_json::to_value(&a).unwrap();
        assert_eq!(stored["eligibility"], "all");
        assert_eq!(serde_json::from_value::<Answers>(stored).unwrap(), a);
    }

    #[test]
    fn every_problem_is_named_with_its_field() {
        let mut r = raw();
        r.company = "  ".into();
        r.place_home = None;
        r.eligibility = "tenure".into();
        r.tenure_months = "0".into();
        r.comm = "allowance".into();
        r.comm_yen = "１０万１".into();
        r.hours = "night".into();
        r.effective_on = "2026-02-30".into();
        let p = parse(&r).unwrap_err();
        let fields: Vec<&str> = p.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "company",
                "places",
                "tenure_months",
                "hours",
                "comm_yen",
                "effective_on"
            ]
        );
        assert!(
            p.iter().all(|p| !p
                .message
                .chars()
                .any(|c| c.is_ascii_alphabetic() && c != 'U')),
            "{p:?}"
        );
        assert_eq!(p[0].message, "事業主の名称を入力してください");
    }

    #[test]
    fn answers_reach_the_articles() {
        let mut r = raw();
        r.eligibility = "jobs".into();
        r.jobs = "営業職".into();
        r.comm = "allowance".into();
        r.comm_yen = "３，０００円".into();
        r.hours = "deemed".into();
        r.effective_on = "2026-04-01".into();
        let a = parse(&r).unwrap();
        assert_eq!(a.comm_yen, Some(3000));
        let t = plain_text(&a);
        assert!(
            t.contains("株式会社みなと商店（以下「会社」という。）"),
            "{t}"
        );
        assert!(t.contains("（1）営業職に従事する者"), "{t}");
        assert!(t.contains("月額3,000円"), "{t}");
        assert!(t.contains("所定労働時間労働したものとみなす"), "{t}");
        assert!(t.contains("令和8年4月1日から施行する"), "{t}");
        for n in 1..=13 {
            assert!(t.contains(&format!("第{n}条　")), "第{n}条: {t}");
        }
        assert!(!t.contains("第14条"));
    }

    #[test]
    fn the_same_answers_make_the_same_bytes() {
        let mut a = Answers::defaults("A&B <株式会社>");
        a.place_satellite = true;
        let one = docx(&a).unwrap();
        let two = docx(&a).unwrap();
        assert_eq!(one, two);
        assert_eq!(sha256_hex(&one).len(), 64);
        assert_eq!(&one[..2], b"PK");
        let xml = document_xml(&a);
        assert!(xml.contains("A&amp;B &lt;株式会社&gt;"), "{xml}");
    }
}
