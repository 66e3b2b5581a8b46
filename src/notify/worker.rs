//! The delivery worker: claims due outbox rows, renders and sends them, and marks each sent,
//! to be retried (back-off with jitter) or dead. Several instances may run it on one
//! PostgreSQL: claims lock rows with `SKIP LOCKED` and hold them for a lease, so each message
//! goes to one worker; its `Message-ID` comes from the row id, so a receiver can drop the
//! rare duplicate of a worker that died after sending and before marking.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rand::Rng;
use secrecy::ExposeSecret;

use super::templates;
use crate::auth::keys::ServerKeys;
use crate::configuration::{EmailSettings, EmailTransport, Settings, SmtpTls};
use crate::domain::retry::{retry_delay_seconds, should_retry};
use crate::domain::student::Language;
use crate::error::ApiError;
use crate::store::{self, outbox, outbox::OutboxMessage, DbPool};

/// Where messages go.
#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// One `.eml` file per message, named by its id (development, the demo).
    File(PathBuf),
    /// A log line per message.
    Log,
}

/// Why a message did not go out; a permanent failure is not retried.
#[derive(Debug)]
pub struct SendFailure {
    pub permanent: bool,
    pub reason: String,
}

impl Mailer {
    pub fn from_settings(e: &EmailSettings) -> anyhow::Result<Mailer> {
        Ok(match e.transport {
            EmailTransport::Log => Mailer::Log,
            EmailTransport::File => Mailer::File(e.file_dir.clone()),
            EmailTransport::Smtp => {
                let builder = match e.smtp_tls {
                    SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&e.smtp_host),
                    SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&e.smtp_host)?,
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&e.smtp_host)?,
                };
                let mut builder =
                    builder.port(e.smtp_port).timeout(Some(Duration::from_secs(e.smtp_timeout_seconds)));
                if !e.smtp_username.is_empty() {
                    builder = builder.credentials(Credentials::new(
                        e.smtp_username.clone(),
                        e.smtp_password.expose_secret().to_owned(),
                    ));
                }
                Mailer::Smtp(builder.build())
            }
        })
    }

    async fn send(&self, id: &str, message: Message) -> Result<(), SendFailure> {
        match self {
            Mailer::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendFailure { permanent: e.is_permanent(), reason: e.to_string() }),
            Mailer::File(dir) => {
                let write = async {
                    tokio::fs::create_dir_all(dir).await?;
                    tokio::fs::write(dir.join(format!("{id}.eml")), message.formatted()).await
                };
                write.await.map_err(|e| SendFailure { permanent: false, reason: e.to_string() })
            }
            Mailer::Log => {
                let to =
                    message.envelope().to().iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                tracing::info!(message_id = id, to, "message (log transport)");
                Ok(())
            }
        }
    }
}

/// Builds the email of an outbox row: rendered in the reader's language, with its sealed
/// secret values (a link) opened and added to the payload, and a Message-ID made from the row
/// id. Anything wrong here will not get better by retrying.
pub fn build_message(
    m: &OutboxMessage,
    e: &EmailSettings,
    keys: &ServerKeys,
) -> Result<Message, SendFailure> {
    let permanent = |reason: String| SendFailure { permanent: true, reason };
    let lang = Language::parse(&m.language).unwrap_or(Language::En);
    let mut payload: serde_json::Value =
        serde_json::from_str(&m.payload).map_err(|e| permanent(format!("payload: {e}")))?;
    if let Some(sealed) = &m.secret {
        let secret = keys
            .open(sealed, m.id.as_bytes())
            .and_then(|plain| {
                serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&plain).ok()
            })
            .ok_or_else(|| {
                permanent("the secret part cannot be opened (was auth.jwt_secret changed?)".into())
            })?;
        if let Some(values) = payload.as_object_mut() {
            values.extend(secret);
        }
    }
    let rendered = templates::render(&m.template, lang, &payload, &e.contact).map_err(permanent)?;
    let from: Mailbox = e.from.parse().map_err(|e| permanent(format!("email.from: {e}")))?;
    let to: Mailbox = m.recipient.parse().map_err(|e| permanent(format!("recipient: {e}")))?;
    let domain = from.email.domain().to_owned();
    Message::builder()
        .from(from)
        .to(to)
        .subject(rendered.subject)
        .message_id(Some(format!("<{}@{domain}>", m.id)))
        .multipart(MultiPart::alternative_plain_html(rendered.text, rendered.html))
        .map_err(|e| permanent(e.to_string()))
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub retried: usize,
    pub dead: usize,
}

/// Claims the due messages, sends them and marks each; repeats until none is due.
pub async fn deliver_due(
    pool: &DbPool,
    settings: &Settings,
    mailer: &Mailer,
) -> Result<DeliveryReport, ApiError> {
    let mut report = DeliveryReport::default();
    let e = &settings.email;
    let keys = ServerKeys::derive(&settings.auth);
    loop {
        let claim = store::new_id();
        let (pool2, claim2, batch, lease) = (pool.clone(), claim.clone(), e.batch_size, e.lease_seconds);
        let claimed = blocking(pool2, move |conn| {
            let now = store::now();
            let until = now + chrono::Duration::seconds(lease);
            store::write_tx(conn, |conn| Ok(outbox::claim_due(conn, &claim2, now, until, batch)?))
        })
        .await?;
        if claimed.is_empty() {
            return Ok(report);
        }
        for m in claimed {
            let result = match build_message(&m, e, &keys) {
                Ok(message) => mailer.send(&m.id, message).await,
                Err(f) => Err(f),
            };
            let (id, claim) = (m.id.clone(), claim.clone());
            match result {
                Ok(()) => {
                    blocking(pool.clone(), move |conn| {
                        Ok(outbox::mark_sent(conn, &id, &claim, store::now())?)
                    })
                    .await?;
                    report.sent += 1;
                }
                Err(f) => {
                    let retry = should_retry(m.attempts, e.max_attempts, f.permanent);
                    let wait = retry_delay_seconds(
                        m.attempts,
                        e.retry_base_seconds,
                        e.retry_max_seconds,
                        rand::thread_rng().gen_range(0.0..=1.0),
                    );
                    tracing::warn!(message_id = %m.id, attempt = m.attempts, retry, error = %f.reason, "message not sent");
                    let reason = f.reason;
                    blocking(pool.clone(), move |conn| {
                        let at = retry.then(|| store::now() + chrono::Duration::seconds(wait));
                        Ok(outbox::mark_failed(conn, &id, &claim, at, &reason)?)
                    })
                    .await?;
                    if retry {
                        report.retried += 1;
                    } else {
                        report.dead += 1;
                    }
                }
            }
        }
    }
}

async fn blocking<T: Send + 'static>(
    pool: DbPool,
    f: impl FnOnce(&mut store::DbConnection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(move || store::with_connection(&pool, f))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
}

/// Delivers every `email.poll_interval_seconds` until the task is dropped.
pub async fn every_interval(pool: DbPool, settings: Arc<Settings>) {
    let seconds = settings.email.poll_interval_seconds;
    if seconds == 0 {
        return;
    }
    let mailer = match Mailer::from_settings(&settings.email) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "email transport cannot be set up; messages stay in the outbox");
            return;
        }
    };
    let mut ticks = tokio::time::interval(Duration::from_secs(seconds));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match deliver_due(&pool, &settings, &mailer).await {
            Ok(r) if r != DeliveryReport::default() => tracing::info!(?r, "outbox delivered"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "outbox delivery failed; will try again"),
        }
    }
}
