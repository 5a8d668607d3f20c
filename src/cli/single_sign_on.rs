//! `redress serve --oidc-issuer ... --oidc-client-id ...`: staff sign in with their council
//! account. The client secret comes from the environment or a file, never the command line.

use anyhow::{bail, Context};
use clap::Args;
use redress_accounts::oidc::{MatchClaim, OidcProvider, OidcSettings};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Args)]
pub struct SingleSignOnArgs {
    /// The identity provider's issuer, e.g. https://login.microsoftonline.com/TENANT-ID/v2.0
    /// (http:// only on a loopback address).
    #[arg(long, env = "REDRESS_OIDC_ISSUER", requires = "oidc_client_id")]
    pub oidc_issuer: Option<String>,
    /// The application (client) ID Redress is registered under.
    #[arg(long, env = "REDRESS_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// A file holding the client secret (or set REDRESS_OIDC_CLIENT_SECRET).
    #[arg(long, env = "REDRESS_OIDC_CLIENT_SECRET_FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,
    /// The claim that names a Redress user: `email` (when verified), `preferred_username`, or
    /// another claim holding the user's email.
    #[arg(long, env = "REDRESS_OIDC_MATCH_CLAIM", default_value = "email")]
    pub oidc_match_claim: String,
    /// The claim listing the person's groups, for roles that follow them (e.g. `groups`).
    #[arg(long, env = "REDRESS_OIDC_ROLES_CLAIM")]
    pub oidc_roles_claim: Option<String>,
    /// Seconds the provider's clock may differ from ours.
    #[arg(long, env = "REDRESS_OIDC_CLOCK_SKEW_SECONDS", default_value_t = 120)]
    pub oidc_clock_skew_seconds: u64,
}

// The secret's file name may show; the secret never does.
impl std::fmt::Debug for SingleSignOnArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SingleSignOnArgs")
            .field("oidc_issuer", &self.oidc_issuer)
            .field("oidc_client_id", &self.oidc_client_id)
            .finish_non_exhaustive()
    }
}

impl SingleSignOnArgs {
    /// The provider, discovered, when one is configured. The redirect URI is
    /// `{public_url}/sign-in/oidc/callback`, so `--public-url` is needed with it.
    pub async fn provider(
        &self,
        public_url: Option<&str>,
    ) -> anyhow::Result<Option<Arc<OidcProvider>>> {
        let Some(issuer) = &self.oidc_issuer else {
            return Ok(None);
        };
        let Some(public_url) = public_url else {
            bail!("--oidc-issuer needs --public-url (REDRESS_PUBLIC_URL): the address the provider sends staff back to");
        };
        let client_secret = match &self.oidc_client_secret_file {
            Some(file) => Some(
                std::fs::read_to_string(file)
                    .with_context(|| format!("--oidc-client-secret-file {}", file.display()))?
                    .trim()
                    .to_string(),
            ),
            None => std::env::var("REDRESS_OIDC_CLIENT_SECRET").ok(),
        };
        let match_claim = match self.oidc_match_claim.as_str() {
            "email" => MatchClaim::Email,
            "" => bail!("--oidc-match-claim: name a claim"),
            other => MatchClaim::Claim(other.to_string()),
        };
        let settings = OidcSettings {
            issuer: issuer.clone(),
            client_id: self.oidc_client_id.clone().unwrap_or_default(),
            client_secret,
            redirect_url: format!("{}/sign-in/oidc/callback", public_url.trim_end_matches('/')),
            match_claim,
            roles_claim: self.oidc_roles_claim.clone(),
            clock_skew: Duration::from_secs(self.oidc_clock_skew_seconds),
        };
        let provider = OidcProvider::discover(settings)
            .await
            .with_context(|| format!("--oidc-issuer {issuer}"))?;
        Ok(Some(Arc::new(provider)))
    }
}
