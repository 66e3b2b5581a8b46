//! Typed settings, read from `config/default.toml`, `config/{environment}.toml` and the
//! environment. Passed around in app state; never a global.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// The signing key shipped in `config/default.toml`; production refuses it.
pub const DEVELOPMENT_JWT_SECRET: &str = "development-only-secret-do-not-use-in-production";

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// `development`, `test` or `production`; from `DEVICEPOOL_ENVIRONMENT`.
    #[serde(default = "default_environment")]
    pub environment: String,
    pub server: ServerSettings,
    pub imports: ImportSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub priority: crate::domain::priority::PriorityWeights,
    pub matching: MatchingSettings,
    pub loans: LoanSettings,
    pub class_sets: ClassSetSettings,
    pub programme_end: ProgrammeEndSettings,
    pub in_use: InUseSettings,
    pub email: EmailSettings,
    pub reminders: ReminderSettings,
    pub reports: ReportSettings,
    pub privacy: PrivacySettings,
    pub metrics: MetricsSettings,
    pub web: WebSettings,
    pub tracks: Vec<TrackSettings>,
    pub log: LogSettings,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MatchingSettings {
    pub grade_cost_a: i64,
    pub grade_cost_b: i64,
    pub grade_cost_c: i64,
    pub waste_cost_per_gb: i64,
}

impl MatchingSettings {
    /// What lending a device of each grade costs in a match.
    pub fn grade_costs(&self) -> std::collections::BTreeMap<crate::domain::device::Grade, i64> {
        use crate::domain::device::Grade;
        [(Grade::A, self.grade_cost_a), (Grade::B, self.grade_cost_b), (Grade::C, self.grade_cost_c)].into()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct LoanSettings {
    pub grace_days: i64,
    pub agreement_version: String,
    /// A folder with agreement texts (`{version}.nl.md`, `{version}.en.md`) that replace or
    /// add to those built into the binary; empty: the built-in texts only.
    #[serde(default)]
    pub agreement_dir: String,
    pub pick_up_days: i64,
    pub max_extension_days: i64,
    pub dongle_min_plan_days: i64,
    pub offer_available_kit: bool,
    /// Checklist per device kind (`laptop`, `wifi_dongle`).
    pub accessories: std::collections::BTreeMap<String, Vec<String>>,
    /// The agreement's text in each language: from `agreement_dir` if it has them, else built in.
    #[serde(skip)]
    pub agreement: AgreementTexts,
}

/// Sets of devices a school borrows for a course.
#[derive(Debug, Clone, Deserialize)]
pub struct ClassSetSettings {
    /// The most devices one set may ask for.
    pub max_count: i32,
    /// The longest course a set is lent for, first day to last, in weeks.
    pub max_weeks: i64,
    /// A set whose first day is this near, and still short of devices, is on staff's list for today.
    pub soon_days: i64,
    /// The coordinator is reminded this many days before the course's last day.
    pub ending_reminder_days: i64,
    /// The version of the set agreement coordinators accept, like `loans.agreement_version`
    /// (texts in `config/class-set-agreement/`, replaceable from `agreement_dir`).
    pub agreement_version: String,
    #[serde(default)]
    pub agreement_dir: String,
    #[serde(skip)]
    pub agreement: AgreementTexts,
}

/// The end of a student's programme: the mail before it, and a gift of the kit.
#[derive(Debug, Clone, Deserialize)]
pub struct ProgrammeEndSettings {
    /// Days before a student's programme ends that they are told what happens next.
    pub notice_days: i64,
    /// The version of the transfer-of-ownership text a student accepts for a gift (texts in
    /// `config/gift-agreement/`, replaceable from `gift_agreement_dir`).
    pub gift_agreement_version: String,
    #[serde(default)]
    pub gift_agreement_dir: String,
    #[serde(skip)]
    pub gift_agreement: AgreementTexts,
}

/// "Still in use?" rounds over every active loan.
#[derive(Debug, Clone, Deserialize)]
pub struct InUseSettings {
    /// Months between rounds the server opens itself; 0: only rounds staff start.
    pub every_months: u32,
    /// Days until a loan answered "not used" is due back.
    pub recall_days: i64,
    /// Days after a round opened that a loan without an answer is on staff's list.
    pub unanswered_days: i64,
}

#[derive(Debug, Clone, Default)]
pub struct AgreementTexts {
    pub nl: String,
    pub en: String,
}

impl LoanSettings {
    /// The accessories checklist of a device kind.
    pub fn checklist(&self, device_kind: &str) -> &[String] {
        self.accessories.get(device_kind).map_or(&[], Vec::as_slice)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailTransport {
    Smtp,
    File,
    Log,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EmailSettings {
    pub transport: EmailTransport,
    pub file_dir: PathBuf,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_tls: SmtpTls,
    pub smtp_username: String,
    pub smtp_password: SecretString,
    pub from: String,
    pub contact: String,
    pub pool_address: String,
    pub default_language: crate::domain::student::Language,
    pub max_attempts: i32,
    pub retry_base_seconds: i64,
    pub retry_max_seconds: i64,
    pub poll_interval_seconds: u64,
    pub batch_size: i64,
    pub lease_seconds: i64,
    pub smtp_timeout_seconds: u64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct ReminderSettings {
    pub due_soon_days: i64,
    pub pick_up_days: i64,
    pub expiry_warning_days: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReportSettings {
    /// Impact figures describing fewer students than this are hidden (small-cell suppression).
    pub min_cell_size: i64,
    /// The factor set of the impact report's environmental figures.
    pub environment: crate::domain::environment::FactorSet,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PrivacySettings {
    pub retention_months: u32,
    pub housekeeping_interval_minutes: u64,
    /// Sent messages are deleted from the outbox after this many days.
    pub sent_message_days: i64,
}

/// How long a signed-in browser stays signed in. Students read on their own phones and come
/// back from mail links, so theirs last longer; every other account reaches other people's
/// data, so theirs end sooner.
#[derive(Debug, Clone, Deserialize)]
pub struct WebSettings {
    pub session_idle_minutes: i64,
    pub session_hours: i64,
    pub student_session_idle_days: i64,
    pub student_session_days: i64,
}

/// Who may read `/metrics`: anyone when both are empty.
#[derive(Debug, Clone, Deserialize)]
pub struct MetricsSettings {
    /// A scraper sends `Authorization: Bearer <token>`.
    pub token: SecretString,
    /// Addresses or networks (after trusted proxies) that may read without the token.
    pub allowed_addresses: Vec<String>,
}

/// A programme track as configured: the seed of the `tracks` table.
#[derive(Debug, Clone, Deserialize)]
pub struct TrackSettings {
    pub code: crate::domain::student::Track,
    pub name: String,
    pub min_ram_gb: i32,
    pub min_storage_gb: i32,
    pub software: Vec<String>,
}

fn default_environment() -> String {
    "development".into()
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub workers: usize,
    pub max_body_bytes: usize,
    pub max_import_bytes: usize,
    pub shutdown_timeout_seconds: u64,
    pub public_base_url: String,
    /// Reverse proxies whose forwarding header names the client (addresses or networks).
    pub trusted_proxies: Vec<String>,
    pub forwarded_header: crate::domain::client_address::ForwardedHeader,
    /// Production accepts an `http://` public_base_url only when this says TLS ends at a proxy.
    pub tls_ends_at_proxy: bool,
}

/// The most rows one uploaded file may have; a longer file is refused whole. They bound the
/// work and memory of one upload, and keep one person from filling the pool for everyone.
#[derive(Debug, Clone, Deserialize)]
pub struct ImportSettings {
    pub max_student_rows: usize,
    pub max_device_rows: usize,
    pub max_asset_list_rows: usize,
    pub max_erasure_report_rows: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: SecretString,
    pub max_connections: u32,
    pub acquire_timeout_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    pub jwt_secret: SecretString,
    #[serde(default)]
    pub jwt_secret_file: String,
    pub issuer: String,
    pub audience: String,
    pub token_lifetime_minutes: i64,
    /// Seconds a signed-in account may be served from memory without reading it again, at
    /// most. Changes made through the service reach the cache at once (on PostgreSQL, every
    /// instance's); this bounds only what none tells it of (the CLI on SQLite). 0: no cache.
    pub account_cache_seconds: u64,
    pub max_concurrent_hashes: usize,
    /// Password checks that may wait for a free hasher; past this, 503.
    pub max_queued_hashes: usize,
    pub max_failed_logins_per_account: i32,
    pub max_failed_logins_per_address: i32,
    pub failed_login_window_minutes: i64,
    pub login_delay_seconds: i64,
    pub max_login_delay_minutes: i64,
    pub magic_link_minutes: i64,
    pub invitation_days: i64,
    pub password_reset_minutes: i64,
    pub max_magic_links_per_address: i32,
    pub magic_link_window_minutes: i64,
    /// Requests to the endpoints anyone may call (sign-in and its links), per client address.
    pub anonymous_requests_per_minute: u32,
    /// "We have sent a link" answers take at least this long, known address or not.
    pub link_answer_ms: u64,
}

impl AuthSettings {
    /// Failed sign-ins per account, or per network address (`max_failures`).
    pub fn login_policy(&self, max_failures: i32) -> crate::domain::throttle::Policy {
        crate::domain::throttle::Policy {
            free_attempts: max_failures,
            first_delay: chrono::TimeDelta::seconds(self.login_delay_seconds),
            max_delay: chrono::TimeDelta::minutes(self.max_login_delay_minutes),
            forget_after: chrono::TimeDelta::minutes(self.failed_login_window_minutes),
        }
    }

    /// Links mailed to one email address (sign-in links, password resets).
    pub fn link_policy(&self) -> crate::domain::throttle::Policy {
        let window = chrono::TimeDelta::minutes(self.magic_link_window_minutes);
        crate::domain::throttle::Policy {
            free_attempts: self.max_magic_links_per_address,
            first_delay: window,
            max_delay: window,
            forget_after: window,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    pub format: LogFormat,
    pub level: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The settings files built into the binary, so that it runs from any folder: the defaults and
/// each environment's overrides.
const BUILT_IN: &[(&str, &str)] = &[
    ("default", include_str!("../config/default.toml")),
    ("production", include_str!("../config/production.toml")),
    ("test", include_str!("../config/test.toml")),
];

/// The loan agreement texts built into the binary: (version, Dutch, English).
const BUILT_IN_AGREEMENTS: &[(&str, &str, &str)] = &[(
    "2026-11",
    include_str!("../config/agreement/2026-11.nl.md"),
    include_str!("../config/agreement/2026-11.en.md"),
)];

/// The class-set agreement texts built into the binary: (version, Dutch, English).
const BUILT_IN_SET_AGREEMENTS: &[(&str, &str, &str)] = &[(
    "2026-12",
    include_str!("../config/class-set-agreement/2026-12.nl.md"),
    include_str!("../config/class-set-agreement/2026-12.en.md"),
)];

/// The gift (transfer of ownership) texts built into the binary: (version, Dutch, English).
const BUILT_IN_GIFT_AGREEMENTS: &[(&str, &str, &str)] = &[(
    "2026-12",
    include_str!("../config/gift-agreement/2026-12.nl.md"),
    include_str!("../config/gift-agreement/2026-12.en.md"),
)];

/// The texts of agreement `version` (of the settings section `section`): from the folder set
/// in `dir_setting` (else `default_dir`) if it has them, else built in.
fn agreement_texts(
    section: &str,
    version: &str,
    dir_setting: &str,
    default_dir: &Path,
    built_in: &[(&str, &str, &str)],
) -> anyhow::Result<AgreementTexts> {
    let version = version.trim();
    if version.is_empty() || !version.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        bail!("{section}.agreement_version must be set, in letters, digits, '-' and '.'");
    }
    let dir = match dir_setting.trim() {
        "" => default_dir.to_path_buf(),
        set => PathBuf::from(set),
    };
    let built_in = built_in.iter().find(|(v, _, _)| *v == version);
    let read = |lang: &str| -> anyhow::Result<String> {
        let path = dir.join(format!("{version}.{lang}.md"));
        match (std::fs::read_to_string(&path), built_in) {
            (Ok(text), _) => Ok(text),
            (Err(_), Some((_, nl, en))) => Ok(if lang == "nl" { nl } else { en }.to_string()),
            (Err(e), None) => Err(anyhow::anyhow!(
                "{section}.agreement_version {version}: no such text is built in, and {} cannot be read: {e}",
                path.display()
            )),
        }
    };
    Ok(AgreementTexts { nl: read("nl")?, en: read("en")? })
}

impl Settings {
    /// Reads the settings: `default.toml` and `{environment}.toml` from `config_dir`, each
    /// one the folder lacks from those built in; then `config_file` if given (it must exist);
    /// then the process environment.
    pub fn load(config_dir: &Path, config_file: Option<&Path>) -> anyhow::Result<Settings> {
        let environment = std::env::var("DEVICEPOOL_ENVIRONMENT").unwrap_or_else(|_| default_environment());
        Self::read_files(config_dir, config_file, &environment, true)
    }

    /// Reads the settings of `environment` as `load` does, without a settings file; the
    /// process environment only when `from_env` (tests leave it out, so that parallel tests
    /// do not see each other's variables).
    pub fn read(config_dir: &Path, environment: &str, from_env: bool) -> anyhow::Result<Settings> {
        Self::read_files(config_dir, None, environment, from_env)
    }

    fn read_files(
        config_dir: &Path,
        config_file: Option<&Path>,
        environment: &str,
        from_env: bool,
    ) -> anyhow::Result<Settings> {
        let mut builder = config::Config::builder();
        // Each file from the settings folder when it has it, else the one built in.
        for name in ["default", environment] {
            let on_disk = config_dir.join(format!("{name}.toml"));
            if on_disk.is_file() {
                builder = builder.add_source(config::File::from(on_disk).required(true));
            } else if let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) {
                builder = builder.add_source(config::File::from_str(text, config::FileFormat::Toml));
            }
        }
        if let Some(file) = config_file {
            if !file.is_file() {
                bail!("--config: no settings file at {}", file.display());
            }
            builder = builder.add_source(config::File::from(file).required(true));
        }
        let mut builder = builder.set_override("environment", environment)?;
        if !from_env {
            let settings: Settings = builder
                .build()
                .and_then(|c| c.try_deserialize())
                .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
            return settings.with_agreement(config_dir)?.validated();
        }
        builder = builder.add_source(
            config::Environment::with_prefix("DEVICEPOOL")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true),
        );
        // The conventional variables of container platforms win over everything else.
        if let Ok(url) = std::env::var("DATABASE_URL") {
            builder = builder.set_override("database.url", url)?;
        }
        if let Ok(port) = std::env::var("PORT") {
            let port: u16 = port
                .parse()
                .with_context(|| format!("PORT must be a number from 0 to 65535, not {port:?}"))?;
            builder = builder.set_override("server.port", port)?;
        }
        let settings: Settings = builder
            .build()
            .and_then(|c| c.try_deserialize())
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        settings.with_secret_files()?.with_agreement(config_dir)?.validated()
    }

    fn with_agreement(mut self, config_dir: &Path) -> anyhow::Result<Settings> {
        self.loans.agreement = agreement_texts(
            "loans",
            &self.loans.agreement_version,
            &self.loans.agreement_dir,
            &config_dir.join("agreement"),
            BUILT_IN_AGREEMENTS,
        )?;
        self.class_sets.agreement = agreement_texts(
            "class_sets",
            &self.class_sets.agreement_version,
            &self.class_sets.agreement_dir,
            &config_dir.join("class-set-agreement"),
            BUILT_IN_SET_AGREEMENTS,
        )?;
        self.programme_end.gift_agreement = agreement_texts(
            "programme_end",
            &self.programme_end.gift_agreement_version,
            &self.programme_end.gift_agreement_dir,
            &config_dir.join("gift-agreement"),
            BUILT_IN_GIFT_AGREEMENTS,
        )?;
        Ok(self)
    }

    fn with_secret_files(mut self) -> anyhow::Result<Settings> {
        if !self.auth.jwt_secret_file.trim().is_empty() {
            let path = PathBuf::from(self.auth.jwt_secret_file.trim());
            let key = std::fs::read_to_string(&path)
                .with_context(|| format!("auth.jwt_secret_file: cannot read {}", path.display()))?;
            self.auth.jwt_secret = SecretString::from(key.trim().to_owned());
        }
        Ok(self)
    }

    /// Checks what types alone cannot; each message names the setting.
    pub fn validated(self) -> anyhow::Result<Settings> {
        if !["development", "test", "production"].contains(&self.environment.as_str()) {
            bail!(
                "DEVICEPOOL_ENVIRONMENT must be development, test or production, not {:?}",
                self.environment
            );
        }
        let secret = self.auth.jwt_secret.expose_secret();
        if secret.len() < 32 {
            bail!("auth.jwt_secret must be at least 32 bytes long");
        }
        if self.is_production() && secret == DEVELOPMENT_JWT_SECRET {
            bail!("auth.jwt_secret is the development key: set DEVICEPOOL__AUTH__JWT_SECRET for production");
        }
        // The development key is published: anyone could sign tokens with it, so it only ever
        // serves a listener that nobody else can reach.
        if secret == DEVELOPMENT_JWT_SECRET && !is_loopback(&self.server.host) {
            bail!(
                "auth.jwt_secret is the published development key, which only works on a loopback address \
                 (server.host is {:?}): set DEVICEPOOL__AUTH__JWT_SECRET",
                self.server.host
            );
        }
        let i = &self.imports;
        if [i.max_student_rows, i.max_device_rows, i.max_asset_list_rows, i.max_erasure_report_rows]
            .iter()
            .any(|v| !(1..=1_000_000).contains(v))
        {
            bail!("imports: every max_*_rows must be between 1 and 1000000");
        }
        if self.database.max_connections == 0 {
            bail!("database.max_connections must be at least 1");
        }
        if self.auth.token_lifetime_minutes < 1 || self.auth.token_lifetime_minutes > 24 * 60 {
            bail!("auth.token_lifetime_minutes must be between 1 and 1440");
        }
        if self.auth.account_cache_seconds > 300 {
            bail!("auth.account_cache_seconds must be at most 300");
        }
        if self.auth.max_concurrent_hashes == 0 {
            bail!("auth.max_concurrent_hashes must be at least 1");
        }
        if self.auth.max_failed_logins_per_account < 1 || self.auth.max_failed_logins_per_address < 1 {
            bail!("auth.max_failed_logins_per_account and _per_address must be at least 1");
        }
        if self.auth.failed_login_window_minutes < 1
            || !(1..=3600).contains(&self.auth.login_delay_seconds)
            || !(1..=24 * 60).contains(&self.auth.max_login_delay_minutes)
        {
            bail!("auth.failed_login_window_minutes must be at least 1, auth.login_delay_seconds 1 to 3600 and auth.max_login_delay_minutes 1 to 1440");
        }
        if self.auth.max_queued_hashes == 0 || self.auth.anonymous_requests_per_minute == 0 {
            bail!("auth.max_queued_hashes and auth.anonymous_requests_per_minute must be at least 1");
        }
        if self.auth.link_answer_ms > 5000 {
            bail!("auth.link_answer_ms must be at most 5000");
        }
        if !(5..=24 * 60).contains(&self.auth.password_reset_minutes) {
            bail!("auth.password_reset_minutes must be between 5 and 1440");
        }
        if !(1..=30).contains(&self.auth.invitation_days) {
            bail!("auth.invitation_days must be between 1 and 30");
        }
        if !(1..=15).contains(&self.auth.magic_link_minutes) {
            bail!("auth.magic_link_minutes must be between 1 and 15");
        }
        if self.auth.max_magic_links_per_address < 1 || self.auth.magic_link_window_minutes < 1 {
            bail!("auth.max_magic_links_per_address and auth.magic_link_window_minutes must be at least 1");
        }
        let w = &self.priority;
        if [w.urgency_weight, w.urgency_horizon_days, w.waiting_weight, w.max_waiting_days, w.lacks_weight]
            .iter()
            .any(|v| !(0..=100_000).contains(v))
        {
            bail!("priority: every weight and limit must be between 0 and 100000");
        }
        if let Some(problem) = self.reports.environment.problem() {
            bail!(problem);
        }
        let m = &self.matching;
        if [m.grade_cost_a, m.grade_cost_b, m.grade_cost_c, m.waste_cost_per_gb]
            .iter()
            .any(|v| !(0..=10_000).contains(v))
        {
            bail!("matching: every cost must be between 0 and 10000");
        }
        let (p, u) = (&self.programme_end, &self.in_use);
        if !(0..=120).contains(&p.notice_days) || u.every_months > 36 {
            bail!("programme_end.notice_days must be 0 to 120 and in_use.every_months 0 to 36");
        }
        if !(1..=120).contains(&u.recall_days) || !(1..=120).contains(&u.unanswered_days) {
            bail!("in_use: recall_days and unanswered_days must be 1 to 120");
        }
        let c = &self.class_sets;
        if !(1..=500).contains(&c.max_count)
            || !(1..=104).contains(&c.max_weeks)
            || !(0..=90).contains(&c.soon_days)
            || !(0..=30).contains(&c.ending_reminder_days)
        {
            bail!("class_sets: max_count 1 to 500, max_weeks 1 to 104, soon_days 0 to 90, ending_reminder_days 0 to 30");
        }
        let l = &self.loans;
        if !(0..=365).contains(&l.grace_days) || l.agreement_version.trim().is_empty() {
            bail!("loans.grace_days must be 0 to 365 and loans.agreement_version must be set");
        }
        if !(1..=90).contains(&l.pick_up_days)
            || !(1..=365).contains(&l.max_extension_days)
            || !(0..=365).contains(&l.dongle_min_plan_days)
        {
            bail!("loans: pick_up_days must be 1 to 90, max_extension_days 1 to 365, dongle_min_plan_days 0 to 365");
        }
        for (kind, items) in &l.accessories {
            if crate::domain::device::DeviceKind::parse(kind).is_none() {
                bail!("loans.accessories: {kind:?} is not a device kind (laptop, wifi_dongle)");
            }
            let tidy = |a: &String| {
                !a.is_empty() && a.len() <= 40 && a.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            };
            if !items.iter().all(tidy) {
                bail!("loans.accessories.{kind}: names are short words in a-z and _, like \"charger\"");
            }
        }
        let e = &self.email;
        if self.is_production() && e.transport == EmailTransport::Smtp && e.smtp_tls == SmtpTls::None {
            bail!(
                "email.smtp_tls is \"none\": production sends sign-in links only over TLS (starttls or tls)"
            );
        }
        if self.is_production() && e.transport != EmailTransport::Smtp {
            bail!("email.transport must be \"smtp\" in production (set DEVICEPOOL__EMAIL__SMTP_HOST and friends)");
        }
        if e.from.parse::<lettre::message::Mailbox>().is_err() {
            bail!("email.from is not an address: {:?}", e.from);
        }
        if e.transport == EmailTransport::Smtp && e.smtp_host.trim().is_empty() {
            bail!("email.smtp_host must be set when email.transport is smtp");
        }
        if !(1..=100).contains(&e.max_attempts)
            || e.retry_base_seconds < 1
            || e.retry_max_seconds < e.retry_base_seconds
            || !(1..=1000).contains(&e.batch_size)
            || e.lease_seconds < 10
            || e.smtp_timeout_seconds == 0
            || e.smtp_timeout_seconds as i64 >= e.lease_seconds
        {
            bail!("email: max_attempts 1 to 100, retry_base_seconds at least 1 and at most retry_max_seconds, batch_size 1 to 1000, lease_seconds at least 10 and above smtp_timeout_seconds");
        }
        if !(1..=60).contains(&self.reminders.due_soon_days)
            || !(0..=30).contains(&self.reminders.pick_up_days)
        {
            bail!("reminders: due_soon_days must be 1 to 60 and pick_up_days 0 to 30");
        }
        if !(2..=100).contains(&self.reports.min_cell_size) {
            bail!("reports.min_cell_size must be 2 to 100");
        }
        if self.privacy.retention_months == 0 {
            bail!("privacy.retention_months must be at least 1");
        }
        if !(1..=3650).contains(&self.privacy.sent_message_days) {
            bail!("privacy.sent_message_days must be 1 to 3650");
        }
        crate::domain::client_address::Networks::parse(&self.server.trusted_proxies)
            .map_err(|e| anyhow::anyhow!("server.trusted_proxies: {e}"))?;
        crate::domain::client_address::Networks::parse(&self.metrics.allowed_addresses)
            .map_err(|e| anyhow::anyhow!("metrics.allowed_addresses: {e}"))?;
        for track in &self.tracks {
            if track.min_ram_gb < 0 || track.min_storage_gb < 0 || track.name.trim().is_empty() {
                bail!("tracks: {} needs a name and minimums of 0 or more", track.code.as_str());
            }
        }
        if self.server.max_body_bytes < 1024 {
            bail!("server.max_body_bytes must be at least 1024");
        }
        let base = url::Url::parse(&self.server.public_base_url).map_err(|e| {
            anyhow::anyhow!("server.public_base_url is not a URL ({e}): {:?}", self.server.public_base_url)
        })?;
        if self.is_production() && base.scheme() != "https" && !self.server.tls_ends_at_proxy {
            bail!(
                "server.public_base_url is {:?}: links in mails must use https:// in production \
                 (set server.tls_ends_at_proxy = true only if a proxy in front ends TLS)",
                self.server.public_base_url
            );
        }
        DatabaseUrl::parse(self.database.url.expose_secret())
            .map_err(|e| anyhow::anyhow!("database.url: {e}"))?;
        Ok(self)
    }

    pub fn is_production(&self) -> bool {
        self.environment == "production"
    }

    /// Refuses what must never run on production data (demo accounts with known passwords).
    pub fn refuse_in_production(&self, what: &str) -> anyhow::Result<()> {
        if self.is_production() {
            bail!("{what} makes accounts with published passwords; it refuses to run in production");
        }
        Ok(())
    }
}

/// A host name or address that only this machine can reach.
fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A database URL whose scheme we understand. Anything else is refused with a clear message
/// (diesel alone would turn `postgresql:nodb` into an SQLite file of that name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() || path == ":memory:" {
                return Err("sqlite:// needs a file path (in-memory databases are not shared between pooled connections)".into());
            }
            Ok(DatabaseUrl::Sqlite(std::path::PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            if url::Url::parse(url).is_err() {
                return Err(
                    "the PostgreSQL URL is malformed; expected postgres://user:password@host:port/database"
                        .into(),
                );
            }
            Ok(DatabaseUrl::Postgres(url.to_owned()))
        } else {
            Err("must start with sqlite:// or postgres://".into())
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgres",
        }
    }
}
