//! Reading a council's complaints mailbox over IMAP. Each message in the mailbox is filed by
//! the intake (its Message-ID claimed in the same transaction as its case), and only then moved
//! to `Redress/Filed`; one that cannot be filed is moved to `Redress/Failed` with its reason
//! recorded. A crash between the commit and the move leaves the message in the mailbox, and the
//! next pass finds it already filed and only moves it: nothing is filed twice, nothing is lost.

use super::{file_message, message::MAX_MESSAGE_BYTES, IntakeError};
use async_imap::{Authenticator, Client, Session};
use futures_util::TryStreamExt;
use redress_store::{Access, Actor, InboundFailure, MailboxPlace, Store, StoreError};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// The folders filed and failed messages are moved to, under `Redress`.
pub const FILED: &str = "Filed";
pub const FAILED: &str = "Failed";

/// A mailbox's address: `imaps://USER@HOST[:PORT]/MAILBOX` (TLS from the first byte, port 993),
/// or `imap://` without TLS (port 143), which only a loopback address may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxUrl {
    pub tls: bool,
    pub user: String,
    pub host: String,
    pub port: u16,
    pub mailbox: String,
}

impl std::str::FromStr for MailboxUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (tls, rest) = if let Some(rest) = text.strip_prefix("imaps://") {
            (true, rest)
        } else if let Some(rest) = text.strip_prefix("imap://") {
            (false, rest)
        } else {
            return Err(format!("'{text}' is not an imaps:// or imap:// address"));
        };
        let (authority, mailbox) = rest.split_once('/').unwrap_or((rest, "INBOX"));
        let (user, server) = authority
            .rsplit_once('@')
            .ok_or_else(|| "give the mailbox's user: imaps://USER@HOST/INBOX".to_string())?;
        let user = percent_decoded(user)?;
        let (host, port) = match server.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || server.starts_with('[') => (
                host,
                port.parse::<u16>()
                    .map_err(|_| format!("'{port}' is not a port number"))?,
            ),
            _ => (server, if tls { 993 } else { 143 }),
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        if user.is_empty() || host.is_empty() {
            return Err("give the user and the server: imaps://USER@HOST/INBOX".into());
        }
        // A password or token sent in the clear is readable by anyone on the way; only a
        // server on this machine may be spoken to without TLS.
        if !tls && !is_loopback(&host) {
            return Err(format!(
                "imap:// sends the password in the clear: use imaps:// for {host} (only a loopback address may use imap://)"
            ));
        }
        let mailbox = percent_decoded(mailbox)?;
        Ok(MailboxUrl {
            tls,
            user,
            host,
            port,
            mailbox: if mailbox.is_empty() {
                "INBOX".into()
            } else {
                mailbox
            },
        })
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `%40` and the like, as a user name with an `@` must be written in a URL.
fn percent_decoded(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("'{text}' has a broken %-escape"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("'{text}' is not UTF-8"))
}

/// How Redress proves itself to the mailbox.
#[derive(Clone)]
pub enum MailboxSecret {
    /// A password, for IMAP LOGIN.
    Password(String),
    /// An OAuth 2.0 access token in a file, for XOAUTH2 (Exchange Online, Gmail). The file is
    /// read again at each connection, so whatever renews the token can rewrite it.
    OAuthTokenFile(PathBuf),
}

impl std::fmt::Debug for MailboxSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailboxSecret::Password(_) => f.write_str("Password(..)"),
            MailboxSecret::OAuthTokenFile(path) => write!(f, "OAuthTokenFile({})", path.display()),
        }
    }
}

/// One organisation's mailbox, and how often to look when the server cannot tell us (IDLE).
#[derive(Debug, Clone)]
pub struct MailboxSettings {
    pub url: MailboxUrl,
    pub organisation: String,
    pub secret: MailboxSecret,
    pub poll_every: Duration,
}

/// What went wrong with the mailbox itself (not with one message).
#[derive(Debug, thiserror::Error)]
pub enum MailboxError {
    #[error("cannot reach {0}")]
    Connect(String),
    #[error("the mailbox refused to sign in: {0}")]
    SignIn(String),
    #[error("IMAP: {0}")]
    Imap(#[from] async_imap::error::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one pass over the mailbox did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PassReport {
    pub filed: usize,
    pub failed: usize,
}

trait Stream: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug> Stream for T {}
type Connection = Session<Box<dyn Stream>>;

struct XOAuth2 {
    user: String,
    token: String,
}

impl Authenticator for XOAuth2 {
    type Response = String;

    // RFC 7628-style XOAUTH2, as Microsoft and Google document it.
    fn process(&mut self, _challenge: &[u8]) -> String {
        format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.token)
    }
}

async fn connect(settings: &MailboxSettings) -> Result<Connection, MailboxError> {
    let url = &settings.url;
    let address = format!("{}:{}", url.host, url.port);
    let tcp = tokio::time::timeout(Duration::from_secs(30), TcpStream::connect(&address))
        .await
        .map_err(|_| MailboxError::Connect(format!("{address}: timed out")))?
        .map_err(|e| MailboxError::Connect(format!("{address}: {e}")))?;
    let stream: Box<dyn Stream> = if url.tls {
        use rustls_platform_verifier::BuilderVerifierExt;
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|b| b.with_platform_verifier())
            .map_err(|e| MailboxError::Connect(format!("TLS: {e}")))?
            .with_no_client_auth();
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(url.host.clone())
            .map_err(|e| MailboxError::Connect(format!("{}: {e}", url.host)))?;
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .map_err(|e| MailboxError::Connect(format!("{address}: TLS: {e}")))?;
        Box::new(tls)
    } else {
        Box::new(tcp)
    };
    let mut client = Client::new(stream);
    client
        .read_response()
        .await
        .map_err(|e| MailboxError::Connect(format!("{address}: {e}")))?
        .ok_or_else(|| MailboxError::Connect(format!("{address}: closed before its greeting")))?;
    let session = match &settings.secret {
        MailboxSecret::Password(password) => client.login(&url.user, password).await,
        MailboxSecret::OAuthTokenFile(path) => {
            let token = std::fs::read_to_string(path)
                .map_err(|e| MailboxError::SignIn(format!("{}: {e}", path.display())))?;
            let auth = XOAuth2 {
                user: url.user.clone(),
                token: token.trim().to_string(),
            };
            client.authenticate("XOAUTH2", auth).await
        }
    };
    session.map_err(|(e, _)| MailboxError::SignIn(e.to_string()))
}

/// The folder under `Redress` in the server's own hierarchy separator, made if missing.
async fn folder(session: &mut Connection, name: &str) -> Result<String, MailboxError> {
    let separator = {
        let mut listed = session.list(Some(""), Some("")).await?;
        let mut separator = None;
        while let Some(name) = listed.try_next().await? {
            separator = name.delimiter().map(str::to_string);
        }
        separator.unwrap_or_else(|| "/".into())
    };
    let path = format!("Redress{separator}{name}");
    // Made once; "already exists" is the answer every later time.
    let _ = session.create(&path).await;
    Ok(path)
}

async fn move_message(
    session: &mut Connection,
    uid: u32,
    to: &str,
    can_move: bool,
) -> Result<(), MailboxError> {
    let uid = uid.to_string();
    if can_move {
        session.uid_mv(&uid, to).await?;
    } else {
        session.uid_copy(&uid, to).await?;
        session
            .uid_store(&uid, "+FLAGS.SILENT (\\Deleted)")
            .await?
            .try_collect::<Vec<_>>()
            .await?;
        session
            .uid_expunge(&uid)
            .await?
            .try_collect::<Vec<_>>()
            .await?;
    }
    Ok(())
}

/// Reads every message now in the mailbox once: files each and moves it out.
pub async fn read_once(
    store: &Store,
    settings: &MailboxSettings,
) -> Result<PassReport, MailboxError> {
    let mut session = connect(settings).await?;
    let report = read_mailbox(store, settings, &mut session).await;
    let _ = session.logout().await;
    report
}

async fn read_mailbox(
    store: &Store,
    settings: &MailboxSettings,
    session: &mut Connection,
) -> Result<PassReport, MailboxError> {
    let organisation = store.organisation(&settings.organisation).await?;
    let filed_folder = folder(session, FILED).await?;
    let failed_folder = folder(session, FAILED).await?;
    let can_move = session.capabilities().await?.has_str("MOVE");
    let selected = session.select(&settings.url.mailbox).await?;
    let uid_validity = selected.uid_validity.unwrap_or(0);
    let mut uids: Vec<u32> = session.uid_search("ALL").await?.into_iter().collect();
    uids.sort_unstable();
    let actor = Actor::system(&format!(
        "mailbox {}@{}",
        settings.url.user, settings.url.host
    ));
    let mut report = PassReport::default();
    for uid in uids {
        let place = MailboxPlace {
            mailbox: settings.url.mailbox.clone(),
            uid_validity,
            uid,
        };
        let size = {
            let fetched: Vec<_> = session
                .uid_fetch(uid.to_string(), "(UID RFC822.SIZE)")
                .await?
                .try_collect()
                .await?;
            fetched.first().and_then(|f| f.size).unwrap_or(0) as usize
        };
        let outcome = if size > MAX_MESSAGE_BYTES {
            Err(IntakeError::Unreadable(format!(
                "the message is {} MB, more than the {} MB read",
                size / 1024 / 1024,
                MAX_MESSAGE_BYTES / 1024 / 1024
            )))
        } else {
            let fetched: Vec<_> = session
                .uid_fetch(uid.to_string(), "(UID BODY.PEEK[])")
                .await?
                .try_collect()
                .await?;
            let raw = fetched
                .first()
                .and_then(|f| f.body())
                .map(<[u8]>::to_vec)
                .unwrap_or_default();
            file_message(
                store,
                &Access::System,
                &settings.organisation,
                &raw,
                Some(place.clone()),
                &actor,
            )
            .await
        };
        match outcome {
            Ok(_) => {
                move_message(session, uid, &filed_folder, can_move).await?;
                report.filed += 1;
            }
            // The message itself is at fault: it goes where a person will look, with why,
            // and the mailbox keeps being read.
            Err(IntakeError::Unreadable(reason))
            | Err(IntakeError::Store(StoreError::Invalid {
                message: reason, ..
            })) => {
                store
                    .record_inbound_failure(
                        &organisation,
                        &InboundFailure {
                            message_id: None,
                            place: Some(place),
                            reason,
                            failed_at: store.clock().now(),
                        },
                    )
                    .await?;
                move_message(session, uid, &failed_folder, can_move).await?;
                report.failed += 1;
            }
            // The database is away: leave the message where it is for the next pass.
            Err(IntakeError::Store(e)) => return Err(e.into()),
        }
    }
    Ok(report)
}

/// Reads the mailbox for as long as the server runs: a pass, then a wait for new mail (IDLE
/// where the server offers it, else `poll_every`), and after an error a wait that doubles up to
/// ten minutes. Errors are logged, never fatal: the mailbox is read again when it comes back.
pub async fn run(store: Store, settings: MailboxSettings) {
    let mut backoff = Duration::from_secs(5);
    loop {
        match read_once(&store, &settings).await {
            Ok(report) => {
                backoff = Duration::from_secs(5);
                if report.filed + report.failed > 0 {
                    tracing::info!(
                        organisation = %settings.organisation,
                        filed = report.filed,
                        failed = report.failed,
                        "mailbox read"
                    );
                }
                wait_for_mail(&settings).await;
            }
            Err(e) => {
                tracing::warn!(organisation = %settings.organisation, error = %e, "mailbox not read");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(600));
            }
        }
    }
}

/// Waits until the server says something changed (IDLE), or `poll_every` passes.
async fn wait_for_mail(settings: &MailboxSettings) {
    let idled = async {
        let mut session = connect(settings).await.ok()?;
        if !session.capabilities().await.ok()?.has_str("IDLE") {
            return None;
        }
        session.select(&settings.url.mailbox).await.ok()?;
        let mut idle = session.idle();
        idle.init().await.ok()?;
        let (wait, _stop) = idle.wait_with_timeout(settings.poll_every);
        let _ = wait.await;
        let _ = idle.done().await;
        Some(())
    }
    .await;
    if idled.is_none() {
        tokio::time::sleep(settings.poll_every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_and_clear_text_is_for_loopback_only() {
        let url: MailboxUrl = "imaps://complaints%40council.gov.uk@outlook.office365.com/INBOX"
            .parse()
            .unwrap();
        assert_eq!(url.user, "complaints@council.gov.uk");
        assert_eq!(
            (url.host.as_str(), url.port, url.tls),
            ("outlook.office365.com", 993, true)
        );
        assert_eq!(url.mailbox, "INBOX");
        let local: MailboxUrl = "imap://box@127.0.0.1:1430/Complaints".parse().unwrap();
        assert_eq!(
            (local.port, local.tls, local.mailbox.as_str()),
            (1430, false, "Complaints")
        );
        let refused = "imap://box@mail.council.gov.uk/INBOX"
            .parse::<MailboxUrl>()
            .unwrap_err();
        assert!(refused.contains("in the clear"), "{refused}");
        assert!("https://x@y/".parse::<MailboxUrl>().is_err());
        assert!("imaps://nouser/INBOX".parse::<MailboxUrl>().is_err());
        assert!("imaps://a@b:99999/".parse::<MailboxUrl>().is_err());
    }
}
