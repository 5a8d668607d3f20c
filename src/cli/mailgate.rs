//! `redress mailgate`: reads one raw message on standard input and hands it to a Redress
//! server's complaints mailbox (`POST /api/v1/organisations/{slug}/inbound`), as RT's
//! `rt-mailgate` does. Its exit status follows sysexits(3), which Postfix and Exim read: a
//! temporary failure (75) leaves the message queued to be tried again, so none is lost while
//! the server is down.

use clap::Args;
use std::io::Read;
use std::time::Duration;

#[derive(Args)]
pub struct MailgateArgs {
    /// The Redress server, e.g. https://complaints.council.example
    #[arg(long, env = "REDRESS_MAILGATE_URL")]
    url: String,
    /// The organisation whose mailbox this is.
    #[arg(long, env = "REDRESS_MAILGATE_ORGANISATION")]
    organisation: String,
    /// A `mail_gate` API token. Prefer the environment or --token-file: a command line is
    /// visible to every user of the machine.
    #[arg(long, env = "REDRESS_MAILGATE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// A file holding the token.
    #[arg(long, env = "REDRESS_MAILGATE_TOKEN_FILE")]
    token_file: Option<std::path::PathBuf>,
    /// Seconds to wait for the server before the message is left queued.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
}

// The token stays out of any debug output.
impl std::fmt::Debug for MailgateArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailgateArgs")
            .field("url", &self.url)
            .field("organisation", &self.organisation)
            .field("token_file", &self.token_file)
            .finish_non_exhaustive()
    }
}

/// sysexits(3): the message is refused for what it is (the mail server bounces it).
const EX_DATAERR: i32 = 65;
/// The server could not be reached or was busy: the mail server tries again later.
const EX_TEMPFAIL: i32 = 75;
/// The token was refused.
const EX_NOPERM: i32 = 77;
/// The organisation or URL is wrong.
const EX_CONFIG: i32 = 78;

pub fn run(args: MailgateArgs) -> anyhow::Result<()> {
    let (code, said) = deliver(&args);
    if code == 0 {
        println!("{said}");
        return Ok(());
    }
    eprintln!("redress mailgate: {said}");
    std::process::exit(code);
}

fn deliver(args: &MailgateArgs) -> (i32, String) {
    let token = match (&args.token, &args.token_file) {
        (Some(token), _) => token.trim().to_string(),
        (None, Some(path)) => match std::fs::read_to_string(path) {
            Ok(text) => text.trim().to_string(),
            Err(e) => return (EX_CONFIG, format!("cannot read {}: {e}", path.display())),
        },
        (None, None) => {
            return (
                EX_CONFIG,
                "give the token in REDRESS_MAILGATE_TOKEN or --token-file".into(),
            )
        }
    };
    let limit = redress_app::intake::message::MAX_MESSAGE_BYTES;
    let mut raw = Vec::new();
    if let Err(e) = std::io::stdin()
        .take(limit as u64 + 1)
        .read_to_end(&mut raw)
    {
        return (EX_TEMPFAIL, format!("cannot read the message: {e}"));
    }
    if raw.len() > limit {
        return (
            EX_DATAERR,
            format!("the message is over {} MB", limit / 1024 / 1024),
        );
    }
    let url = format!(
        "{}/api/v1/organisations/{}/inbound",
        args.url.trim_end_matches('/'),
        args.organisation
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(args.timeout)))
        .http_status_as_error(false)
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into();
    let response = agent
        .post(&url)
        .header("authorization", &format!("Bearer {token}"))
        .header("content-type", "message/rfc822")
        .send(&raw[..]);
    let mut response = match response {
        Ok(response) => response,
        Err(e) => return (EX_TEMPFAIL, format!("{url}: {e}")),
    };
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_string()
        .unwrap_or_default();
    let code = match status {
        200 | 201 => 0,
        401 | 403 => EX_NOPERM,
        404 => EX_CONFIG,
        413 | 422 => EX_DATAERR,
        _ => EX_TEMPFAIL,
    };
    (code, format!("{status} {}", body.trim()))
}
