//! The command line as `clap` reads it: every argument is checked here, once.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};
use josei_store::{CaseId, ImportKind, OrganizationId};

#[derive(Parser)]
#[command(
    name = "josei",
    version,
    about = "人材確保等支援助成金（テレワークコース）の判定エンジン",
    long_about = "人材確保等支援助成金（テレワークコース）の判定エンジン。\nケース（JSON）を評価し、日程・要件・支給額を出力します。"
)]
pub struct Cli {
    /// 制度データの訂正ファイル（TOML、data/regimes.toml と同じ形）。組み込みの値に項目ごとに重ねる
    #[arg(long, global = true, env = "JOSEI_REGIMES", value_name = "FILE.toml")]
    pub regimes: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// ケース（JSON）を評価する。FILE に - を指定すると標準入力から読む
    Evaluate {
        /// ケースファイル（- で標準入力）
        #[arg(required_unless_present = "batch", conflicts_with = "batch")]
        file: Option<String>,
        /// 1行に1ケースの JSON Lines を評価し、1行に1評価を入力順に出力する（- で標準入力）
        #[arg(long, value_name = "FILE.jsonl")]
        batch: Option<String>,
        /// 並列に使うスレッド数（既定: CPU のコア数）
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// 出力形式: json（契約どおりの JSON）または text（読みやすい日本語のレポート）
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// ケースに as_of がないときの評価日（既定: 日本時間の今日）
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// 提出日・認定日・評価期間の初日から、すべての期間と期限を表示する（令和7年度からは評価期間の初日だけ）
    Schedule {
        /// 計画提出日（令和6年度までの制度）
        #[arg(long, value_name = "YYYY-MM-DD")]
        submitted: Option<String>,
        /// 計画認定日
        #[arg(long, value_name = "YYYY-MM-DD")]
        certified: Option<String>,
        /// 評価期間（機器等導入助成・制度導入助成）の初日
        #[arg(long, value_name = "YYYY-MM-DD")]
        evaluation_start: Option<String>,
        /// 制度（既定: 提出日、なければ評価期間の初日から選ぶ）
        #[arg(long, value_name = "ID")]
        regime: Option<String>,
        /// 出力形式
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 事業主の母集団（CSV または Parquet）について、助成金の件数と総額を推計する
    Simulate {
        /// 母集団ファイル（.csv または .parquet。- で CSV を標準入力から）
        population: String,
        /// 制度パラメータを変更する改正案（TOML）。基準と並べて差を示す
        #[arg(long, value_name = "FILE.toml")]
        reform: Option<String>,
        /// 予算額（例: 420000000、4.2億、42000万）。賄える申請件数を示す
        #[arg(long, value_name = "YEN")]
        budget: Option<String>,
        /// 基準とする制度（既定: 最新の制度）
        #[arg(long, value_name = "ID")]
        regime: Option<String>,
        /// 同じ母集団を各年度の制度で評価し、年度ごとに並べる（件数・総額・1社あたり・予算）
        #[arg(long, conflicts_with_all = ["reform", "regime"])]
        compare_years: bool,
        /// 出力形式
        #[arg(long, value_enum, default_value_t = SimFormat::Table)]
        format: SimFormat,
        /// 並列に使うスレッド数（既定: CPU のコア数）
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// ベンチマーク用: 母集団を読んで検証するだけで、制度は評価しない
        #[arg(long, hide = true)]
        parse_only: bool,
    },
    /// 合成の母集団を作る（同じ seed なら同じ結果）
    Synth {
        /// 事業主数
        #[arg(long, value_name = "N")]
        employers: u64,
        /// 乱数の種
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// 出力先（.csv または .parquet。既定: CSV を標準出力へ）
        #[arg(long, value_name = "FILE")]
        output: Option<String>,
    },
    /// 母集団ファイル（simulate の入力）の列の一覧を表示する
    Columns,
    /// 各年度の制度の一覧（対象の日付、主な値、未確認の値の数）
    Regimes {
        /// 出力形式
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 申請・審査サービス（画面と REST API）を起動する
    Serve {
        /// 待ち受けるアドレスとポート
        #[arg(long, env = "JOSEI_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// データベース（SQLite のファイル、または postgres://…）
        #[arg(
            long,
            env = "DATABASE_URL",
            hide_env_values = true,
            default_value = "josei.db"
        )]
        database: String,
        /// セッション Cookie に Secure を付ける（HTTPS の背後で動かすとき）
        #[arg(long, env = "JOSEI_SECURE_COOKIES")]
        secure_cookies: bool,
        /// 管理者が「今日」の日付を設定できるようにする（研修・試験用）
        #[arg(long, hide = true)]
        clock_override: bool,
        /// リバースプロキシの背後で動かす: 接続元を X-Forwarded-For の最後のアドレスとみなす
        #[arg(long, env = "JOSEI_TRUSTED_PROXY")]
        trusted_proxy: bool,
        #[command(flatten)]
        mail: MailArgs,
        /// メールの送信間隔（秒、試験用）
        #[arg(long, hide = true, default_value_t = 30)]
        mail_interval_secs: u64,
    },
    /// 期限のお知らせ（30日・7日・1日前）を登録し、未送信のメールを送る（cron で1日1回など）
    Remind {
        #[arg(
            long,
            env = "DATABASE_URL",
            hide_env_values = true,
            default_value = "josei.db"
        )]
        database: String,
        #[command(flatten)]
        mail: MailArgs,
        /// 基準日（既定: 日本時間の今日）
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// ユーザーを管理する
    User {
        #[command(subcommand)]
        command: UserCommand,
        /// データベース（SQLite のファイル、または postgres://…）
        #[arg(
            long,
            env = "DATABASE_URL",
            hide_env_values = true,
            default_value = "josei.db",
            global = true
        )]
        database: String,
    },
    /// テレワーク実績または労働者名簿の CSV を申請に取り込む（全件か、何もしないか）
    Import {
        /// telework（テレワーク実績）または roster（労働者名簿）
        #[arg(value_parser = PossibleValuesParser::new(["telework", "roster"]).try_map(|s| s.parse::<ImportKind>()))]
        kind: ImportKind,
        /// 申請番号
        case_id: CaseId,
        /// CSV ファイル（UTF-8 または Shift_JIS）
        file: String,
        /// 既存の記録を置き換える（既定: 追加）
        #[arg(long)]
        replace: bool,
        /// 監査ログに記録する操作者のユーザー名
        #[arg(long, value_name = "USERNAME")]
        user: Option<String>,
        #[arg(
            long,
            env = "DATABASE_URL",
            hide_env_values = true,
            default_value = "josei.db"
        )]
        database: String,
    },
    /// 申請の一覧を書き出す（労働局向け）
    Export {
        /// 書き出すもの
        #[arg(value_parser = ["cases"])]
        what: String,
        /// 形式
        #[arg(long, value_parser = ["csv"], default_value = "csv")]
        format: String,
        /// 都道府県コード（1〜47）で絞り込む
        #[arg(long)]
        prefecture: Option<i64>,
        /// 評価日（既定: 日本時間の今日）
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(
            long,
            env = "DATABASE_URL",
            hide_env_values = true,
            default_value = "josei.db"
        )]
        database: String,
    },
    /// 研修・デモ・性能測定用のデータを空のデータベースに作成する（パスワードは JOSEI_DEMO_PASSWORD）
    Demo {
        /// 作成する申請の件数
        #[arg(long, value_name = "N")]
        cases: u64,
        /// 乱数の種（同じ種なら同じデータ）
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(
            long,
            env = "DATABASE_URL",
            hide_env_values = true,
            default_value = "josei.db"
        )]
        database: String,
    },
    /// SQLite のデータベースをオンラインでバックアップする
    Backup {
        /// バックアップ先のファイル（既にあってはならない）
        path: String,
        #[arg(
            long,
            env = "DATABASE_URL",
            hide_env_values = true,
            default_value = "josei.db"
        )]
        database: String,
    },
    /// ベンチマークの基準: JSON Lines を読み、各行を JSON として解析して書き戻すだけ
    #[command(hide = true)]
    JsonlRoundtrip {
        file: String,
        #[arg(long)]
        jobs: Option<usize>,
    },
}

/// How e-mail is sent (`serve`, `remind`).
#[derive(clap::Args)]
pub struct MailArgs {
    /// メールの中継サーバー: smtp://[ユーザー:パスワード@]ホスト:ポート（暗号化なしの SMTP。TLS は中継サーバーが行う）
    #[arg(long, env = "JOSEI_SMTP", hide_env_values = true, value_name = "URL")]
    pub smtp: Option<String>,
    /// 送信元のメールアドレス
    #[arg(
        long,
        env = "JOSEI_MAIL_FROM",
        default_value = "josei@localhost.localdomain",
        value_name = "ADDR"
    )]
    pub mail_from: String,
    /// メールに載せるリンクの先頭（例: https://josei.example.jp）
    #[arg(long, env = "JOSEI_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// ユーザーを作る（パスワードは JOSEI_PASSWORD、標準入力、または入力画面から）
    Add {
        #[arg(long)]
        username: String,
        /// employer, agent, officer, admin
        #[arg(long)]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
        /// 事業主ユーザーの事業所 ID
        #[arg(long)]
        organization: Option<OrganizationId>,
        /// 労働局職員の都道府県コード（1〜47）
        #[arg(long)]
        prefecture: Option<i64>,
        /// お知らせを送るメールアドレス（1つ）
        #[arg(long, value_name = "ADDR")]
        email: Option<String>,
        /// 社会保険労務士の登録番号（数字10桁まで。印刷する書類に載せる）
        #[arg(long, value_name = "NUMBER")]
        registration_number: Option<String>,
        /// 社会保険労務士の事務所名（100文字まで）
        #[arg(long, value_name = "NAME")]
        office_name: Option<String>,
    },
    /// ユーザーの一覧
    List,
    /// ユーザーを無効にする（ログイン中のセッションも終わる）
    Disable { username: String },
    /// 無効にしたユーザーを有効に戻す
    Enable { username: String },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimFormat {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Text,
}
