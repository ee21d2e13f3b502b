//! The case: everything the rules need to know about one employer's plan.
//!
//! These types are produced by [`crate::parse`] from the JSON contract
//! (`shared/spec/case-format.md`) and cannot hold values the contract forbids:
//! amounts are non-negative whole yen, dates are real civil dates within the
//! supported years, enums are closed, target-worker ids are unique and
//! `certified_on` is not before `submitted_on`.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares a closed set of snake_case names with `ALL`, `as_str` and `parse`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name used in JSON and data files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// The value with this name, if any.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted names, comma-separated, for error messages.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// Industry classes of the SME test (中小企業の範囲).
    Industry {
        /// 小売業（飲食店を含む）
        Retail = "retail",
        /// サービス業
        Service = "service",
        /// 卸売業
        Wholesale = "wholesale",
        /// その他の業種
        Other = "other",
    }
}

string_enum! {
    /// Where the employer stands with telework before the plan (支給要件 (イ)(ロ)).
    TeleworkStatus {
        /// Introducing it newly (新規に導入).
        None = "none",
        /// Trialling it now (試行的に導入している).
        TrialOngoing = "trial_ongoing",
        /// Trialled it before (試行的に導入していた).
        TrialEnded = "trial_ended",
        /// Already established: does not qualify.
        Established = "established",
        /// Expanding telework it already has (実施拡大事業主; 令和6年度 on).
        Expanding = "expanding",
    }
}

string_enum! {
    /// How a target worker is employed.
    Employment {
        /// 直接雇用
        Direct = "direct",
        /// 派遣労働者
        Dispatched = "dispatched",
    }
}

string_enum! {
    /// Where a day of work was done.
    Place {
        /// 自宅
        Home = "home",
        /// サテライトオフィス
        SatelliteOffice = "satellite_office",
        /// モバイル勤務
        Mobile = "mobile",
        /// 出社
        Office = "office",
    }
}

string_enum! {
    /// Expense categories (支給要領 0303; seed 002 ⑪).
    ExpenseCategory {
        /// ネットワーク機器
        NetworkEquipment = "network_equipment",
        /// サーバ機器
        ServerEquipment = "server_equipment",
        /// NAS機器
        NasEquipment = "nas_equipment",
        /// セキュリティ機器
        SecurityEquipment = "security_equipment",
        /// Web会議関係機器
        WebConferenceEquipment = "web_conference_equipment",
        /// サテライトオフィス利用料
        SatelliteOfficeFee = "satellite_office_fee",
        /// テレワーク用サービス 初期費用
        TeleworkServiceInitial = "telework_service_initial",
        /// テレワーク用サービス 利用料
        TeleworkServiceFee = "telework_service_fee",
        /// 労務管理担当者に対する研修
        ManagerTraining = "manager_training",
        /// 労働者に対する研修
        WorkerTraining = "worker_training",
        /// 外部専門家によるコンサルティング
        Consulting = "consulting",
        /// 就業規則等の作成・変更
        WorkRules = "work_rules",
        /// 旅費
        Travel = "travel",
        /// PC・タブレット・スマートフォン (purchase)
        PcTabletSmartphone = "pc_tablet_smartphone",
        /// PC・タブレット・スマートフォンのレンタル・リース (令和5年度 on)
        PcRentalLease = "pc_rental_lease",
        /// その他
        Other = "other",
    }
}

impl ExpenseCategory {
    /// The category's Japanese name, as in the seed's list of eligible expenses.
    pub fn label_ja(self) -> &'static str {
        match self {
            ExpenseCategory::NetworkEquipment => "ネットワーク機器",
            ExpenseCategory::ServerEquipment => "サーバ機器",
            ExpenseCategory::NasEquipment => "NAS機器",
            ExpenseCategory::SecurityEquipment => "セキュリティ機器",
            ExpenseCategory::WebConferenceEquipment => "Web会議関係機器",
            ExpenseCategory::SatelliteOfficeFee => "サテライトオフィス利用料",
            ExpenseCategory::TeleworkServiceInitial => "テレワーク用サービス 初期費用",
            ExpenseCategory::TeleworkServiceFee => "テレワーク用サービス 利用料",
            ExpenseCategory::ManagerTraining => "労務管理担当者に対する研修",
            ExpenseCategory::WorkerTraining => "労働者に対する研修",
            ExpenseCategory::Consulting => "外部専門家によるコンサルティング",
            ExpenseCategory::WorkRules => "就業規則等の作成・変更",
            ExpenseCategory::Travel => "旅費",
            ExpenseCategory::PcTabletSmartphone => "PC・タブレット・スマートフォン（購入）",
            ExpenseCategory::PcRentalLease => "PC・タブレット・スマートフォンのレンタル・リース",
            ExpenseCategory::Other => "その他",
        }
    }
}

string_enum! {
    /// A measure that enables telework (テレワークを可能とする取組), as the no-plan
    /// regimes list them (令和7年度 on); 職場風土作り is its own input.
    MeasureKind {
        /// 就業規則等の拡充 (for employers expanding telework)
        WorkRulesExpansion = "work_rules_expansion",
        /// 外部専門家によるコンサルティング
        Consulting = "consulting",
        /// 労務管理担当者に対する研修
        ManagerTraining = "manager_training",
        /// 労働者に対する研修
        WorkerTraining = "worker_training",
    }
}

impl MeasureKind {
    /// Japanese name.
    pub fn label_ja(self) -> &'static str {
        match self {
            MeasureKind::WorkRulesExpansion => "就業規則等の拡充",
            MeasureKind::Consulting => "外部専門家によるコンサルティング",
            MeasureKind::ManagerTraining => "労務管理担当者に対する研修",
            MeasureKind::WorkerTraining => "労働者に対する研修",
        }
    }
}

string_enum! {
    /// Common grounds for refusal of every employment subsidy (共通要領 不支給要件).
    Disqualification {
        /// 過去5年以内の不正受給
        FraudWithin5Years = "fraud_within_5_years",
        /// 労働保険料の滞納
        UnpaidLabourInsurance = "unpaid_labour_insurance",
        /// 労働関係法令違反による送検処分
        LabourLawProsecution = "labour_law_prosecution",
        /// 風俗営業等関係事業主
        AdultEntertainment = "adult_entertainment",
        /// 暴力団関係事業主
        OrganisedCrime = "organised_crime",
        /// 倒産
        Bankruptcy = "bankruptcy",
    }
}

impl Disqualification {
    /// Japanese name.
    pub fn label_ja(self) -> &'static str {
        match self {
            Disqualification::FraudWithin5Years => "過去5年以内に助成金の不正受給がある",
            Disqualification::UnpaidLabourInsurance => "労働保険料を滞納している",
            Disqualification::LabourLawProsecution => "労働関係法令違反で送検処分を受けている",
            Disqualification::AdultEntertainment => "風俗営業等関係事業主である",
            Disqualification::OrganisedCrime => "暴力団と関わりがある",
            Disqualification::Bankruptcy => "倒産している",
        }
    }
}

string_enum! {
    /// Why a worker left (離職理由).
    LeaveReason {
        /// 自己都合
        Voluntary = "voluntary",
        /// 解雇
        Dismissal = "dismissal",
        /// 重責解雇
        SeriousMisconductDismissal = "serious_misconduct_dismissal",
        /// 定年退職
        MandatoryRetirement = "mandatory_retirement",
        /// 役員昇格
        PromotedToOfficer = "promoted_to_officer",
        /// 契約期間満了
        ContractEnd = "contract_end",
        /// その他
        Other = "other",
    }
}

/// Whole yen, never negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Yen(pub u64);

impl Yen {
    /// `floor(self × percent / 100)`, exact.
    pub fn percent_floor(self, percent: u32) -> Yen {
        Yen((u128::from(self.0) * u128::from(percent) / 100) as u64)
    }

    /// Saturating sum.
    pub fn plus(self, other: Yen) -> Yen {
        Yen(self.0.saturating_add(other.0))
    }

    /// Saturating difference.
    pub fn minus(self, other: Yen) -> Yen {
        Yen(self.0.saturating_sub(other.0))
    }
}

impl fmt::Display for Yen {
    /// `1,234,567円`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        write!(f, "{out}円")
    }
}

/// One evaluated case.
#[derive(Clone, Debug)]
pub struct Case {
    /// The regime named by the case, if any (validated by the parser).
    pub regime: Option<String>,
    /// "Today" for the evaluation.
    pub as_of: Date,
    pub employer: Employer,
    pub plan: Plan,
    pub work_rules_established_on: Option<Date>,
    /// 職場風土作り (令和4年度 on).
    pub workplace_climate: WorkplaceClimate,
    /// Measures of the no-plan regimes (令和7年度 on).
    pub measures: Vec<Measure>,
    pub evaluation_start: Option<Date>,
    /// Telework instances of the target workers in the 3 months before the plan
    /// (or before period 1 in the no-plan regimes), for expanding employers.
    pub telework_before_count: Option<u64>,
    pub telework: Vec<TeleworkDay>,
    pub expenses: Vec<Expense>,
    /// `None` without a roster (absent, null or empty).
    pub roster: Option<Vec<RosterEntry>>,
    pub equipment_application_filed_on: Option<Date>,
    pub goal_application_filed_on: Option<Date>,
    pub productivity: Option<Productivity>,
    /// The wage requirement (賃金要件, 令和5年度 on).
    pub wage_increase: Option<WageIncrease>,
}

/// The employer (支給申請事業主).
#[derive(Clone, Debug)]
pub struct Employer {
    pub name: String,
    pub industry: Industry,
    /// `None`: no capital (e.g. a sole proprietor).
    pub capital_yen: Option<Yen>,
    pub regular_employees: u64,
    pub employment_insurance: bool,
    pub telework_status: TeleworkStatus,
    pub work_rules_have_telework: bool,
    pub received_telework_subsidy: bool,
    /// 令和3年度 before the amendment: any national or local telework subsidy.
    pub received_other_telework_subsidy: bool,
    /// Common grounds for refusal; `None` when not declared.
    pub disqualifications: Option<Vec<Disqualification>>,
}

/// The telework plan (テレワーク実施計画).
#[derive(Clone, Debug)]
pub struct Plan {
    /// `None` in the no-plan regimes (令和7年度 on).
    pub submitted_on: Option<Date>,
    /// Invariant: not before `submitted_on`; `None` until certified, and always
    /// in the no-plan regimes.
    pub certified_on: Option<Date>,
    /// Invariant: ids are unique.
    pub target_workers: Vec<TargetWorker>,
}

/// A target worker (テレワーク実施対象労働者).
#[derive(Clone, Debug)]
pub struct TargetWorker {
    pub id: String,
    pub employment: Employment,
}

/// One day of work by one worker at one place.
#[derive(Clone, Debug)]
pub struct TeleworkDay {
    pub worker: String,
    pub date: Date,
    pub place: Place,
}

/// One expense item.
#[derive(Clone, Debug)]
pub struct Expense {
    pub id: String,
    pub category: ExpenseCategory,
    pub amount_yen: Yen,
    pub delivered_on: Option<Date>,
    pub paid_on: Option<Date>,
    /// For travel: the measure it served, as written (may be anything).
    pub travel_for: Option<String>,
    pub description: Option<String>,
    /// Already funded by another subsidy (支給要領 0303 ロ(ラ)): never eligible.
    pub funded_by_other_subsidy: bool,
    /// Whole months the payment covers (used for rental/lease); at least 1.
    pub months: Option<u64>,
}

/// 職場風土作り: a message from the top (or a company-wide call), and cases
/// collected and shared in the company.
#[derive(Clone, Debug, Default)]
pub struct WorkplaceClimate {
    pub top_message_on: Option<Date>,
    pub case_sharing_on: Option<Date>,
}

/// One measure carried out (no-plan regimes).
#[derive(Clone, Debug)]
pub struct Measure {
    pub kind: MeasureKind,
    pub on: Date,
}

/// The wage requirement (賃金要件), stated or computed.
#[derive(Clone, Copy, Debug)]
pub enum WageIncrease {
    Stated {
        met: bool,
    },
    /// Total wages of the establishment's workers in the 3 months before and
    /// after the raise.
    Figures {
        before_yen: Yen,
        after_yen: Yen,
    },
}

/// One period of employment of one worker of the 対象事業所.
#[derive(Clone, Debug)]
pub struct RosterEntry {
    pub id: String,
    pub hired_on: Date,
    /// Last day of employment. Invariant: not before `hired_on`.
    pub left_on: Option<Date>,
    pub leave_reason: Option<LeaveReason>,
}

/// The productivity requirement (生産性要件), stated or computed.
#[derive(Clone, Debug)]
pub enum Productivity {
    /// The user states whether it is met.
    Stated { met: bool },
    /// Figures of two fiscal years three years apart.
    Figures {
        base_year: ProductivityYear,
        latest_year: ProductivityYear,
        financial_institution_evaluation: bool,
    },
}

/// One fiscal year's figures for the productivity formula.
#[derive(Clone, Debug)]
pub struct ProductivityYear {
    /// 営業利益 (may be a loss).
    pub operating_profit: i64,
    /// 人件費
    pub personnel_cost: Yen,
    /// 減価償却費
    pub depreciation: Yen,
    /// 動産・不動産賃借料
    pub rent: Yen,
    /// 租税公課
    pub taxes: Yen,
    /// 雇用保険被保険者数. Invariant: at least 1.
    pub insured_workers: u64,
}

impl ProductivityYear {
    /// The numerator of productivity: 営業利益 + 人件費 + 減価償却費 + 動産・不動産賃借料 + 租税公課.
    pub fn value_added(&self) -> i128 {
        i128::from(self.operating_profit)
            + i128::from(self.personnel_cost.0)
            + i128::from(self.depreciation.0)
            + i128::from(self.rent.0)
            + i128::from(self.taxes.0)
    }
}
