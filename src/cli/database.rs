use anyhow::Context;
use clap::Args;
use redress_store::Store;
use redress_web::auth::TrustedProxies;
use redress_web::AuthSettings;
use std::future::Future;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "REDRESS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub sessions: SessionArgs,
    #[command(flatten)]
    pub mail: MailArgs,
    #[command(flatten)]
    pub mailbox: super::mailbox::MailboxArgs,
    #[command(flatten)]
    pub single_sign_on: super::single_sign_on::SingleSignOnArgs,
}

/// Where mail goes. Without a server, mail waits in the outbox and says so.
#[derive(Debug, Clone, Args)]
pub struct MailArgs {
    /// The council's SMTP relay: smtp://USER:PASS@HOST:PORT (STARTTLS when offered),
    /// smtps://... (TLS from the start), or add ?tls=required.
    #[arg(long, env = "REDRESS_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The From address of every message, e.g. "Complaints <complaints@council.gov.uk>".
    #[arg(
        long,
        env = "REDRESS_MAIL_FROM",
        default_value = "complaints@localhost"
    )]
    pub mail_from: String,
    /// The address staff reach Redress at, for the links in messages, e.g.
    /// https://complaints.council.gov.uk (without it, links are paths such as /cases/12).
    #[arg(long, env = "REDRESS_PUBLIC_URL")]
    pub public_url: Option<String>,
}

impl MailArgs {
    pub fn mailer(&self) -> anyhow::Result<Option<redress_app::mail::Mailer>> {
        match &self.smtp_url {
            None => Ok(None),
            Some(url) => {
                let mut mailer = redress_app::mail::Mailer::new(url, &self.mail_from)?;
                mailer.site = self.public_url.clone();
                Ok(Some(mailer))
            }
        }
    }
}

/// How sign-in sessions behave.
#[derive(Debug, Clone, Args)]
pub struct SessionArgs {
    /// Minutes a session may sit unused before it ends.
    #[arg(long, env = "REDRESS_IDLE_TIMEOUT_MINUTES", default_value_t = 30)]
    pub idle_timeout_minutes: u64,
    /// Hours a session lasts from sign-in, however busy.
    #[arg(long, env = "REDRESS_SESSION_HOURS", default_value_t = 8)]
    pub session_hours: u64,
    /// Always mark the session cookie Secure (by default it is when the proxy says the
    /// request came over HTTPS in X-Forwarded-Proto).
    #[arg(long, env = "REDRESS_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// The reverse proxies in front: their number (each appends to X-Forwarded-For), or their
    /// addresses and networks, comma-separated (10.0.0.0/8,192.0.2.7). The client's address is
    /// the first from the right that is not a proxy. Bare `--trust-proxy` means one.
    #[arg(long, env = "REDRESS_TRUST_PROXY", default_value = "0", num_args = 0..=1,
        default_missing_value = "1", value_parser = TrustedProxies::from_str)]
    pub trust_proxy: TrustedProxies,
    /// Public complaint and compliment forms one address, or one email address given, may
    /// send an hour; one organisation takes ten times as many.
    #[arg(long, env = "REDRESS_PUBLIC_FORMS_PER_HOUR", default_value_t = 20)]
    pub public_forms_per_hour: u32,
}

impl SessionArgs {
    pub(super) fn settings(&self) -> AuthSettings {
        AuthSettings {
            idle_timeout: Duration::from_secs(self.idle_timeout_minutes.max(1) * 60),
            lifetime: Duration::from_secs(self.session_hours.max(1) * 3600),
            secure_cookies: self.secure_cookies.then_some(true),
            trusted_proxies: self.trust_proxy.clone(),
            public_submissions_per_hour: self.public_forms_per_hour,
            oidc: None,
        }
    }
}

pub fn block_on<F: Future<Output = anyhow::Result<()>>>(future: F) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(future)
}

/// Opens the database and brings its schema up to date.
pub async fn open(url: &str) -> anyhow::Result<Store> {
    Store::connect(url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(url)))
}

/// A URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub async fn migrate(url: &str) -> anyhow::Result<()> {
    let store = open(url).await?;
    println!(
        "database {} is up to date ({})",
        redact(url),
        store.backend()
    );
    store.close().await;
    Ok(())
}

pub async fn serve(url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let mailbox = args.mailbox.settings()?;
    let mut auth = args.sessions.settings();
    auth.oidc = args
        .single_sign_on
        .provider(args.mail.public_url.as_deref())
        .await?;
    let store = open(url).await?;
    bootstrap(&store).await?;
    if let Some(mailbox) = mailbox {
        store
            .organisation(&mailbox.organisation)
            .await
            .with_context(|| format!("--imap-organisation {}", mailbox.organisation))?;
        eprintln!(
            "  Reading the mailbox {}@{}/{} into {}'s drafts.",
            mailbox.url.user, mailbox.url.host, mailbox.url.mailbox, mailbox.organisation
        );
        tokio::spawn(redress_app::intake::imap::run(store.clone(), mailbox));
    }
    serve_store(store, args.listen, auth, &args.mail).await
}

/// On a database with no users, makes the first administrator: REDRESS_ADMIN_EMAIL (default
/// admin@localhost) with REDRESS_ADMIN_PASSWORD, or a one-time password printed once.
pub async fn bootstrap(store: &Store) -> anyhow::Result<()> {
    let email = std::env::var("REDRESS_ADMIN_EMAIL").unwrap_or_else(|_| "admin@localhost".into());
    let password = std::env::var("REDRESS_ADMIN_PASSWORD").ok();
    if let Some(added) = redress_accounts::Accounts::new(store.clone())
        .bootstrap_admin(&email, password)
        .await
        .context("cannot make the first administrator")?
    {
        match added.one_time_password {
            Some(password) => eprintln!(
                "\nNo users yet: made the system administrator {} with the one-time password\n\n    {password}\n\nIt is shown only now. Sign in and change it; then add users with `redress user add`.\n",
                added.email
            ),
            None => eprintln!(
                "No users yet: made the system administrator {} with REDRESS_ADMIN_PASSWORD.",
                added.email
            ),
        }
    }
    Ok(())
}

pub async fn serve_store(
    store: Store,
    listen: SocketAddr,
    auth: AuthSettings,
    mail: &MailArgs,
) -> anyhow::Result<()> {
    let mailer = mail.mailer()?;
    if mailer.is_none() {
        eprintln!("  No mail server configured (--smtp-url): mail waits in the outbox.");
    }
    eprintln!(
        "Redress is serving on http://{listen} ({} database)",
        store.backend()
    );
    eprintln!("  API:      http://{listen}/api/v1/cases");
    eprintln!("  API docs: http://{listen}/api/v1/docs");
    if let Some(provider) = &auth.oidc {
        eprintln!(
            "  Staff sign in with their council account at {} (passwords work too).",
            provider.settings().issuer
        );
    }
    redress_web::serve(store.clone(), auth, listen, mailer)
        .await
        .with_context(|| format!("cannot serve on {listen}"))?;
    store.close().await;
    Ok(())
}
