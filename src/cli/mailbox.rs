//! `redress serve --imap-url ...`: the complaints mailbox `serve` reads, and its secret. The
//! secret comes from the environment or a file, never the command line (which every user of
//! the machine can read) and never the database.

use anyhow::{bail, Context};
use clap::Args;
use redress_app::intake::imap::{MailboxSecret, MailboxSettings, MailboxUrl};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Args)]
pub struct MailboxArgs {
    /// The complaints mailbox to read into draft cases: imaps://USER@HOST/INBOX (a user name
    /// with an @ is written %40). imap:// without TLS only on a loopback address.
    #[arg(long, env = "REDRESS_IMAP_URL", requires = "imap_organisation")]
    pub imap_url: Option<String>,
    /// The organisation whose mailbox it is.
    #[arg(long, env = "REDRESS_IMAP_ORGANISATION")]
    pub imap_organisation: Option<String>,
    /// A file holding the mailbox's password (or set REDRESS_IMAP_PASSWORD).
    #[arg(long, env = "REDRESS_IMAP_PASSWORD_FILE")]
    pub imap_password_file: Option<PathBuf>,
    /// A file holding an OAuth 2.0 access token, for XOAUTH2 (Exchange Online): read again at
    /// each connection, so the job that renews the token can rewrite it.
    #[arg(long, env = "REDRESS_IMAP_OAUTH_TOKEN_FILE")]
    pub imap_oauth_token_file: Option<PathBuf>,
    /// Seconds between looks at the mailbox when its server does not offer IDLE.
    #[arg(long, env = "REDRESS_IMAP_POLL_SECONDS", default_value_t = 60)]
    pub imap_poll_seconds: u64,
}

// The secret's file names may show; a password never does.
impl std::fmt::Debug for MailboxArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailboxArgs")
            .field("imap_url", &self.imap_url)
            .field("imap_organisation", &self.imap_organisation)
            .finish_non_exhaustive()
    }
}

impl MailboxArgs {
    /// The mailbox to read, if one is given; a wrong address or a missing secret is refused
    /// before the server starts.
    pub fn settings(&self) -> anyhow::Result<Option<MailboxSettings>> {
        let Some(url) = &self.imap_url else {
            return Ok(None);
        };
        let url: MailboxUrl = url
            .parse()
            .map_err(|e: String| anyhow::anyhow!("--imap-url: {e}"))?;
        let organisation = self
            .imap_organisation
            .clone()
            .context("--imap-organisation: name the organisation whose mailbox it is")?;
        let secret = match (&self.imap_oauth_token_file, &self.imap_password_file) {
            (Some(token), _) => MailboxSecret::OAuthTokenFile(token.clone()),
            (None, Some(file)) => MailboxSecret::Password(
                std::fs::read_to_string(file)
                    .with_context(|| format!("--imap-password-file {}", file.display()))?
                    .trim_end_matches(['\r', '\n'])
                    .to_string(),
            ),
            (None, None) => match std::env::var("REDRESS_IMAP_PASSWORD") {
                Ok(password) => MailboxSecret::Password(password),
                Err(_) => bail!(
                    "--imap-url needs a secret: REDRESS_IMAP_PASSWORD, --imap-password-file, or --imap-oauth-token-file"
                ),
            },
        };
        if self.imap_poll_seconds == 0 {
            bail!("--imap-poll-seconds must be at least 1");
        }
        Ok(Some(MailboxSettings {
            url,
            organisation,
            secret,
            poll_every: Duration::from_secs(self.imap_poll_seconds),
        }))
    }
}
