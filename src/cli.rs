//! The command line: `serve` (default), `migrate`, `create-admin`, `seed-demo`, `seed-bench`,
//! `purge`, `match`, `healthcheck`, `check`, `backup`, `restore`.

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use secrecy::SecretString;

use crate::configuration::Settings;
use crate::domain::student::Language;
use crate::domain::{EmailAddress, Password, Role};
use crate::startup::{self, Application};
use crate::store::{self, users, DbConnection};

#[derive(Debug, Parser)]
#[command(
    name = "devicepool",
    version,
    about = "Lends donated kit to students who would otherwise drop out of tech training."
)]
pub struct Cli {
    /// A settings file, read after the built-in defaults and the settings folder.
    #[arg(long, env = "DEVICEPOOL_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// A folder whose default.toml and {environment}.toml (each optional) override the built-in
    /// defaults.
    #[arg(long, env = "DEVICEPOOL_CONFIG_DIR", default_value = "config", global = true)]
    pub config_dir: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default).
    Serve {
        /// Load the demo data set first (only into an empty or demo database).
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an admin account. The password comes from DEVICEPOOL_ADMIN_PASSWORD or standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
    /// Load the demo data set (hubs, schools, donors, accounts) and print the accounts.
    SeedDemo,
    /// Fill an empty database with a made-up programme for benchmarks: two years of
    /// intake, loans, returns and a waiting queue (see BENCHMARKS.md). Not for production.
    SeedBench {
        #[arg(long, default_value_t = 50_000)]
        students: usize,
        #[arg(long, default_value_t = 20_000)]
        devices: usize,
        #[arg(long, default_value_t = 100_000)]
        loans: usize,
        /// The same seed gives the same data.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Housekeeping, once: lapse reservations not picked up in time, erase students past the
    /// retention period and expire requests of ended programmes.
    Purge,
    /// Print the API's OpenAPI document (JSON), as the server serves it, for generating a
    /// client offline; with --markdown, the table of every operation in docs/API.md.
    Openapi {
        #[arg(long)]
        markdown: bool,
    },
    /// Solve a matching instance file without a database and print the result as JSON
    /// (the format is in src/domain/matching.rs). Bad input exits 2.
    Match {
        /// The instance file, or - for standard input.
        #[arg(long)]
        input: PathBuf,
        /// Use the greedy baseline instead of the exact solver.
        #[arg(long)]
        greedy: bool,
    },
    /// Exit 0 when the server on this machine answers /healthz (for container health checks).
    Healthcheck {
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
    },
    /// Check that devices, seats, requests, allocations and loans agree (after a crash or a
    /// restore). Exits 1 and names each broken rule if they do not.
    Check,
    /// Write a consistent copy of the SQLite database to a new file, while the server runs.
    /// (PostgreSQL: pg_dump, see the README.)
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a backup made by `backup` in place of the SQLite database, then migrate and check
    /// it. Stop the server first.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
}

/// Input a command cannot use: the process exits with 2.
pub use crate::error::BadInput;

pub fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::Match { input, greedy }) = &cli.command {
        return match_instance(input, *greedy);
    }
    if let Some(Command::Openapi { markdown }) = &cli.command {
        use std::io::Write;
        let doc = serde_json::to_value(startup::openapi())?;
        let out = if *markdown {
            crate::openapi::operations_table(&doc)
        } else {
            serde_json::to_string_pretty(&doc)?
        };
        // A closed pipe (`| head`) is no error of ours.
        let _ = writeln!(std::io::stdout(), "{out}");
        return Ok(());
    }
    let settings = Settings::load(&cli.config_dir, cli.config.as_deref())?;
    crate::telemetry::init(&settings.log);
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(settings, demo),
        Command::Migrate => {
            let (_, pool) = startup::connect(&settings)?;
            drop(pool);
            println!("The database is up to date.");
            Ok(())
        }
        Command::CreateAdmin { email } => {
            let (_, pool) = startup::connect(&settings)?;
            let password = admin_password()?;
            let mut conn = pool.get()?;
            let message = create_admin(&mut conn, &email, &password)?;
            println!("{message}");
            Ok(())
        }
        Command::SeedDemo => {
            settings.refuse_in_production("seed-demo")?;
            let (_, pool) = startup::connect(&settings)?;
            print_demo_accounts(&crate::demo::seed(&mut *pool.get()?, &settings)?);
            Ok(())
        }
        Command::SeedBench { students, devices, loans, seed } => {
            if settings.is_production() {
                bail!("seed-bench makes up students and loans; it refuses to run in production");
            }
            let (_, pool) = startup::connect(&settings)?;
            let started = std::time::Instant::now();
            let size = crate::bench_seed::BenchSize { students, devices, loans, seed };
            let s = crate::bench_seed::seed(&mut *pool.get()?, size, store::now().date())?;
            println!(
                "Made {} students, {} devices ({} history events), {} loans and {} waiting requests in {:.0} s.",
                s.students,
                s.devices,
                s.device_events,
                s.loans,
                s.waiting,
                started.elapsed().as_secs_f64()
            );
            println!("Create an admin (devicepool create-admin --email …) to sign in and read the reports.");
            Ok(())
        }
        Command::Purge => {
            let (_, pool) = startup::connect(&settings)?;
            let report = crate::workflows::housekeeping::run(&mut *pool.get()?, &settings)
                .map_err(|e| anyhow::anyhow!("purge failed: {e}"))?;
            println!(
                "Lapsed {} reservations not picked up in time; erased {} students past the retention period of {} months; expired {} requests.",
                report.reservations_lapsed,
                report.students_erased,
                settings.privacy.retention_months,
                report.requests_expired
            );
            Ok(())
        }
        Command::Healthcheck { host } => healthcheck(&host, settings.server.port),
        Command::Check => {
            let (_, pool) = startup::connect(&settings)?;
            check(&mut *pool.get()?)
        }
        Command::Backup { to } => {
            let (url, _) = startup::connect(&settings)?;
            crate::backup::backup(&url, &to)?;
            println!("The database is copied to {}.", to.display());
            Ok(())
        }
        Command::Restore { from } => {
            let url = store::DatabaseUrl::parse(secrecy::ExposeSecret::expose_secret(&settings.database.url))
                .map_err(|e| anyhow::anyhow!("database.url: {e}"))?;
            crate::backup::restore(&url, &from)?;
            println!("The database is restored from {}.", from.display());
            let (_, pool) = startup::connect(&settings)?;
            check(&mut *pool.get()?)
        }
        Command::Match { .. } | Command::Openapi { .. } => {
            unreachable!("handled before the settings are read")
        }
    }
}

fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    if demo {
        settings.refuse_in_production("serve --demo")?;
    }
    if settings.is_production()
        && settings.server.tls_ends_at_proxy
        && settings.server.public_base_url.starts_with("http://")
    {
        tracing::warn!(
            "server.public_base_url is http://: the links in mails travel unencrypted to the proxy"
        );
    }
    let (url, pool) = startup::connect(&settings)?;
    if demo {
        print_demo_accounts(&crate::demo::seed(&mut *pool.get()?, &settings)?);
    }
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build_with_pool(settings.clone(), url.clone(), pool)?;
        tracing::info!(
            port = app.port(),
            backend = url.backend_name(),
            environment = %settings.environment,
            "devicepool is listening; API docs at /docs"
        );
        app.run_until_stopped().await.context("server stopped with an error")
    })
}

fn print_demo_accounts(accounts: &[(String, Role)]) {
    println!("Demo accounts (password for all: {}):", crate::demo::DEMO_PASSWORD);
    for (email, role) in accounts {
        println!("  {:<8} {email}", role.as_str());
    }
}

/// The admin password from the environment, or the first line of standard input; never argv,
/// where other users of the machine could read it.
fn admin_password() -> anyhow::Result<SecretString> {
    if let Ok(p) = std::env::var("DEVICEPOOL_ADMIN_PASSWORD") {
        return Ok(SecretString::from(p));
    }
    eprint!("Password for the new admin (12 to 128 characters): ");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if line.is_empty() {
        let mut rest = String::new();
        std::io::stdin().read_to_string(&mut rest).ok();
        bail!("no password given: set DEVICEPOOL_ADMIN_PASSWORD or type it on standard input");
    }
    Ok(SecretString::from(line))
}

/// Creates an admin; an existing admin with this address is left as it is.
pub fn create_admin(conn: &mut DbConnection, email: &str, password: &SecretString) -> anyhow::Result<String> {
    use secrecy::ExposeSecret;
    let email = EmailAddress::parse("email", email)
        .map_err(|e| anyhow::anyhow!("--email: {}", crate::i18n::say(&e.message, Language::En)))?;
    let password = Password::parse("password", password.expose_secret())
        .map_err(|e| anyhow::anyhow!("the password: {}", crate::i18n::say(&e.message, Language::En)))?;
    if let Some(existing) = users::find_by_email(conn, email.as_str())? {
        if existing.role == Role::Admin.as_str() {
            return Ok(format!("{} is already an admin; nothing changed.", email.as_str()));
        }
        bail!("{} already has a {} account", email.as_str(), existing.role);
    }
    let hash = crate::auth::password::hash_blocking(password.secret())?;
    let now = store::now();
    let id = store::new_id();
    users::insert(
        conn,
        &users::NewUser {
            id: &id,
            email: email.as_str(),
            role: Role::Admin.as_str(),
            organisation_id: None,
            password_hash: Some(&hash),
            preferred_language: None,
            created_at: now,
            updated_at: now,
        },
    )?;
    Ok(format!("Admin {} created.", email.as_str()))
}

/// Prints what the integrity rules find; an error (exit 1) if any rule is broken.
fn check(conn: &mut DbConnection) -> anyhow::Result<()> {
    let findings = store::integrity::check(conn)?;
    if findings.is_empty() {
        println!("Devices, seats, requests, allocations and loans agree.");
        return Ok(());
    }
    for f in &findings {
        println!("Broken: {} ({} rows, for example {})", f.rule, f.rows, f.examples.join(", "));
    }
    bail!("integrity rules broken: {}", findings.len())
}

/// A plain HTTP/1.0 GET of /healthz, so the container image needs no curl.
fn healthcheck(host: &str, port: u16) -> anyhow::Result<()> {
    use std::net::TcpStream;
    use std::time::Duration;
    let mut stream =
        TcpStream::connect((host, port)).with_context(|| format!("nothing listens on {host}:{port}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(stream, "GET /healthz HTTP/1.0\r\nHost: {host}\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    if response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200") {
        Ok(())
    } else {
        bail!("/healthz answered: {}", response.lines().next().unwrap_or("nothing"))
    }
}

/// `devicepool match`: reads an instance, solves it, prints the outcome.
fn match_instance(input: &std::path::Path, greedy: bool) -> anyhow::Result<()> {
    use crate::domain::matching;
    let text = if input.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("reading standard input")?;
        text
    } else {
        std::fs::read_to_string(input).map_err(|e| BadInput(format!("{}: {e}", input.display())))?
    };
    let mut de = serde_json::Deserializer::from_str(&text);
    let instance: matching::Instance = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let place = e.path().to_string();
        BadInput(format!("{}: {}", if place == "." { "input".to_owned() } else { place }, e.inner()))
    })?;
    let outcome = if greedy { matching::greedy(&instance) } else { matching::solve(&instance) }
        .map_err(|e| BadInput(e.0))?;
    println!("{}", serde_json::to_string_pretty(&outcome)?);
    Ok(())
}
