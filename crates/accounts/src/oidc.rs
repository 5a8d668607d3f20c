//! OpenID Connect sign-in with the council's own identity provider (Microsoft Entra ID, or any
//! OpenID Provider): discovery, the authorisation code flow with PKCE, `state` and `nonce`, and
//! the ID token checked for its signature, issuer, audience, expiry and nonce (the
//! `openidconnect` crate). Tokens from the provider are used once and never stored.

use chrono::{DateTime, Utc};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, Client, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields,
    IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// Every claim the provider sends beyond the standard ones, kept so that a configured claim
/// (`oid`, `groups`) can be read.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OtherClaims(pub BTreeMap<String, serde_json::Value>);
impl AdditionalClaims for OtherClaims {}

type TokenFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<TokenFields, CoreTokenType>;
type DiscoveredClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Which claim names the person to Redress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchClaim {
    /// `email`, only when the provider says it is verified (`email_verified`), or the provider
    /// is one that verifies every address it issues (Entra ID's tenant accounts).
    Email,
    /// Another claim whose value is a user's email in Redress, such as `preferred_username`
    /// (Entra ID's user principal name) or `upn`.
    Claim(String),
}

/// How Redress signs in with the provider, as the operator configured it.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// `{public URL}/sign-in/oidc/callback`.
    pub redirect_url: String,
    pub match_claim: MatchClaim,
    /// The claim holding the person's groups, when roles follow them.
    pub roles_claim: Option<String>,
    /// How far the provider's clock may be ahead of or behind ours.
    pub clock_skew: Duration,
}

/// Why a sign-in with the provider failed. None of these makes a session.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the identity provider's settings are wrong: {0}")]
    Settings(String),
    #[error("the identity provider could not be reached: {0}")]
    Unreachable(String),
    #[error("the identity provider refused: {0}")]
    Refused(String),
    #[error("the sign-in could not be checked: {0}")]
    Invalid(String),
}

/// What a sign-in needs to remember between sending the browser to the provider and its
/// return: kept server-side, under the `state`, for one use.
#[derive(Debug, Clone)]
pub struct PendingLogin {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go after signing in (a path on this site).
    pub next: String,
}

/// The person the provider vouched for, from a checked ID token.
#[derive(Debug, Clone)]
pub struct ProvidedPerson {
    pub subject: String,
    /// The value of the configured match claim, when the provider gave it (and, for `email`,
    /// said it is verified).
    pub matched: Option<String>,
    /// The groups in the roles claim, when one is configured and present.
    pub groups: Option<Vec<String>>,
}

/// A discovered provider, ready to send people to and check what comes back.
pub struct OidcProvider {
    client: DiscoveredClient,
    http: openidconnect::reqwest::Client,
    settings: OidcSettings,
    end_session: Option<String>,
}

impl std::fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProvider")
            .field("issuer", &self.settings.issuer)
            .field("client_id", &self.settings.client_id)
            .finish_non_exhaustive()
    }
}

/// `http://` sends codes and tokens in the clear: only a provider on this machine may use it.
pub fn check_issuer(issuer: &str) -> Result<(), OidcError> {
    let url = url::Url::parse(issuer)
        .map_err(|e| OidcError::Settings(format!("issuer '{issuer}': {e}")))?;
    match url.scheme() {
        "https" => Ok(()),
        "http" => {
            let loopback = match url.host() {
                Some(url::Host::Domain(d)) => d == "localhost",
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if loopback {
                Ok(())
            } else {
                Err(OidcError::Settings(format!(
                    "issuer '{issuer}' is http://: use https:// (only a loopback address may use http://)"
                )))
            }
        }
        other => Err(OidcError::Settings(format!(
            "issuer '{issuer}' is {other}://, not https://"
        ))),
    }
}

impl OidcProvider {
    /// Reads the provider's discovery document and keys.
    pub async fn discover(settings: OidcSettings) -> Result<OidcProvider, OidcError> {
        check_issuer(&settings.issuer)?;
        let issuer = IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| OidcError::Settings(format!("issuer: {e}")))?;
        let redirect = RedirectUrl::new(settings.redirect_url.clone())
            .map_err(|e| OidcError::Settings(format!("redirect URL: {e}")))?;
        // Following redirects would let a hostile document send us anywhere (SSRF).
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| OidcError::Settings(e.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .map_err(|e| OidcError::Unreachable(error_chain(&e)))?;
        let end_session = discovery_field(&http, &settings.issuer, "end_session_endpoint").await;
        let client = DiscoveredClient::from_provider_metadata(
            metadata,
            ClientId::new(settings.client_id.clone()),
            settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect);
        Ok(OidcProvider {
            client,
            http,
            settings,
            end_session,
        })
    }

    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// Where to send the browser, and what to remember until it comes back.
    pub fn start(&self, next: &str) -> (String, PendingLogin) {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = self
            .client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge);
        if self.settings.roles_claim.is_some() {
            // Entra ID sends `groups` in the ID token when the app registration asks for it;
            // other providers want the scope.
            request = request.add_scope(Scope::new("groups".into()));
        }
        let (url, state, nonce) = request.url();
        (
            url.to_string(),
            PendingLogin {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                next: next.to_string(),
            },
        )
    }

    /// Trades the code for tokens and checks the ID token: its signature against the
    /// provider's keys, issuer, audience, expiry (allowing the configured clock skew) and the
    /// nonce this sign-in sent.
    pub async fn finish(
        &self,
        code: &str,
        pending: &PendingLogin,
        now: DateTime<Utc>,
    ) -> Result<ProvidedPerson, OidcError> {
        let tokens = self
            .client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| OidcError::Settings(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Refused(error_chain(&e)))?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| OidcError::Invalid("the provider sent no ID token".into()))?;
        let skew = chrono::Duration::from_std(self.settings.clock_skew).unwrap_or_default();
        let verifier = self
            .client
            .id_token_verifier()
            .set_time_fn(move || now - skew)
            .set_issue_time_verifier_fn(move |issued| {
                if issued > now + skew {
                    Err(format!("issued in the future ({issued})"))
                } else {
                    Ok(())
                }
            });
        let claims = id_token
            .claims(&verifier, &Nonce::new(pending.nonce.clone()))
            .map_err(|e| OidcError::Invalid(error_chain(&e)))?;
        let other = &claims.additional_claims().0;
        let matched = match &self.settings.match_claim {
            MatchClaim::Email => claims
                .email()
                .filter(|_| claims.email_verified().unwrap_or(false))
                .map(|e| e.to_string()),
            MatchClaim::Claim(name) => match name.as_str() {
                "preferred_username" => claims.preferred_username().map(|u| u.to_string()),
                "email" => claims.email().map(|e| e.to_string()),
                other_name => other
                    .get(other_name)
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
            },
        };
        let groups = self.settings.roles_claim.as_ref().and_then(|name| {
            other.get(name).and_then(|v| v.as_array()).map(|items| {
                items
                    .iter()
                    .filter_map(|g| g.as_str().map(str::to_string))
                    .collect()
            })
        });
        Ok(ProvidedPerson {
            subject: claims.subject().to_string(),
            matched,
            groups,
        })
    }

    /// Where to send the browser to end the provider's session too (RP-initiated logout),
    /// when the provider offers it; it comes back to `after`.
    pub fn sign_out_url(&self, after: &str) -> Option<String> {
        let endpoint = self.end_session.as_ref()?;
        let mut url = url::Url::parse(endpoint).ok()?;
        url.query_pairs_mut()
            .append_pair("client_id", &self.settings.client_id)
            .append_pair("post_logout_redirect_uri", after);
        Some(url.to_string())
    }
}

/// One field of the discovery document that the core metadata type leaves out.
async fn discovery_field(
    http: &openidconnect::reqwest::Client,
    issuer: &str,
    field: &str,
) -> Option<String> {
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let body = http.get(url).send().await.ok()?.bytes().await.ok()?;
    let document: serde_json::Value = serde_json::from_slice(&body).ok()?;
    document[field].as_str().map(str::to_string)
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_in_the_clear_are_for_loopback_only() {
        assert!(check_issuer("https://login.microsoftonline.com/tenant/v2.0").is_ok());
        assert!(check_issuer("http://127.0.0.1:3000").is_ok());
        assert!(check_issuer("http://localhost:3000").is_ok());
        let refused = check_issuer("http://idp.council.gov.uk").unwrap_err();
        assert!(refused.to_string().contains("https://"), "{refused}");
        assert!(check_issuer("ftp://x").is_err());
        assert!(check_issuer("not a url").is_err());
    }
}
