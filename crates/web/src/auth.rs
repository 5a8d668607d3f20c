//! Who is asking: a session cookie (with a CSRF token on every change) or a bearer token.
//! Handlers take a [`Principal`]; the store then limits every case query to what it reaches.

use crate::error::ApiError;
pub use crate::proxy::TrustedProxies;
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use cookie::{Cookie, SameSite};
use redress_accounts::secrets;
use redress_store::{Access, Account, Actor, Role};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "redress_session";
/// The header that carries the session's CSRF token on every change made with a cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How sessions behave; the defaults suit a council office.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// A session unused for this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, however busy.
    pub lifetime: Duration,
    /// Mark the cookie Secure. None: when the request arrived over TLS, as the reverse proxy
    /// says in X-Forwarded-Proto.
    pub secure_cookies: Option<bool>,
    /// The reverse proxies whose X-Forwarded-For entries are believed.
    pub trusted_proxies: TrustedProxies,
    /// Public complaint and compliment forms one address, or one email address given, may
    /// send an hour; one organisation takes ten times as many.
    pub public_submissions_per_hour: u32,
    /// The council's identity provider, when staff sign in with their council account.
    pub oidc: Option<std::sync::Arc<redress_accounts::oidc::OidcProvider>>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            idle_timeout: Duration::from_secs(30 * 60),
            lifetime: Duration::from_secs(8 * 60 * 60),
            secure_cookies: None,
            trusted_proxies: TrustedProxies::None,
            public_submissions_per_hour: 20,
            oidc: None,
        }
    }
}

/// How the principal proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    Session {
        id: String,
        csrf_token: String,
    },
    /// A bearer token: its id, and the role it acts with.
    Token {
        id: i64,
        role: Role,
    },
}

/// A signed-in user making this request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub account: Arc<Account>,
    pub access: Access,
    pub actor: Actor,
    pub via: Via,
}

/// A principal who may still have to change a one-time password: only the session routes
/// take this.
#[derive(Debug, Clone)]
pub struct PendingPrincipal(pub Principal);

/// The client's network address, for throttling and the audit log.
pub fn client_address(parts: &Parts, settings: &AuthSettings) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded_for: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    match settings.trusted_proxies.client(peer, &forwarded_for) {
        Some(ip) => ip.to_string(),
        None => "unknown".into(),
    }
}

/// The session id in the request's cookie, if any.
pub fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse(v.to_string()))
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_string())
}

fn secure(headers: &HeaderMap, settings: &AuthSettings) -> bool {
    settings.secure_cookies.unwrap_or_else(|| {
        headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
    })
}

/// The Set-Cookie value that opens a session (or, with no id, ends it).
pub fn session_cookie(id: Option<&str>, headers: &HeaderMap, settings: &AuthSettings) -> String {
    let mut cookie = Cookie::build((SESSION_COOKIE, id.unwrap_or_default().to_string()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure(headers, settings));
    cookie = match id {
        Some(_) => cookie.max_age(cookie::time::Duration::seconds(
            settings.lifetime.as_secs() as i64
        )),
        None => cookie.max_age(cookie::time::Duration::ZERO),
    };
    cookie.build().to_string()
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Principal, ApiError> {
    let address = client_address(parts, &state.auth);
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let secret = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::unauthenticated("send the token as `Authorization: Bearer rdr_...`")
            })?;
        let holder =
            state.accounts.token_account(secret).await?.ok_or_else(|| {
                ApiError::unauthenticated("the token is unknown or has been revoked")
            })?;
        let actor = Actor {
            label: format!("{} (token: {})", holder.account.email, holder.name),
            user_id: Some(holder.account.user_id),
            address: Some(address),
        };
        // A token's account holds one membership, with the token's role.
        let role = holder
            .account
            .memberships
            .first()
            .map_or(Role::Viewer, |m| m.role);
        let account = Arc::new(holder.account);
        return Ok(Principal {
            access: Access::Account(account.clone()),
            account,
            actor,
            via: Via::Token {
                id: holder.id,
                role,
            },
        });
    }
    let principal = session_principal(parts, state).await?;
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if let (false, Via::Session { csrf_token, .. }) = (safe, &principal.via) {
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !secrets::same_secret(sent, csrf_token) {
            return Err(ApiError::csrf());
        }
    }
    Ok(principal)
}

/// The principal of the request's session cookie, without checking a CSRF token: the web
/// pages check the one in the form instead (see `pages::StaffForm`).
pub(crate) async fn session_principal(
    parts: &Parts,
    state: &AppState,
) -> Result<Principal, ApiError> {
    let address = client_address(parts, &state.auth);
    let id =
        session_id(&parts.headers).ok_or_else(|| ApiError::unauthenticated("sign in first"))?;
    let (account, csrf_token) = state
        .accounts
        .session(&id, state.auth.idle_timeout, state.clock().now())
        .await?
        .ok_or_else(|| ApiError::unauthenticated("the session has ended: sign in again"))?;
    let actor = Actor {
        label: account.email.clone(),
        user_id: Some(account.user_id),
        address: Some(address),
    };
    let account = Arc::new(account);
    Ok(Principal {
        access: Access::Account(account.clone()),
        account,
        actor,
        via: Via::Session { id, csrf_token },
    })
}

impl FromRequestParts<AppState> for PendingPrincipal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(PendingPrincipal(authenticate(parts, state).await?))
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let principal = authenticate(parts, state).await?;
        if principal.account.must_change_password {
            return Err(ApiError::password_change_required());
        }
        Ok(principal)
    }
}

/// The client's address as an extractor, for the sign-in route (which has no principal yet).
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(parts, &state.auth)))
    }
}
