//! Signing in through the council's identity provider: the sign-in under way kept server-side
//! for one use, and the person the provider vouched for matched to a Redress user. The
//! session that follows is Redress's own, as after a password sign-in.

use crate::backends::{postgres, sqlite};
use crate::oidc::{PendingLogin, ProvidedPerson};
use crate::secrets;
use crate::Accounts;
use chrono::{DateTime, Duration, Utc};
use redress_store::{read, write, Actor, StoreError};

/// How long a browser may take at the provider before its sign-in is forgotten.
const PENDING_MINUTES: i64 = 10;

/// The outcome of a sign-in through the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderSignIn {
    Accepted {
        user_id: i64,
    },
    /// The provider vouched for someone Redress does not know, or whose account is disabled;
    /// `who` is how the refusal names them.
    Refused {
        who: String,
    },
}

impl Accounts {
    /// Keeps a sign-in under way until the browser returns with its `state`.
    pub async fn remember_oidc_login(
        &self,
        pending: &PendingLogin,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write!(self, |conn, ops| {
            ops::delete_oidc_logins_before(conn, now - Duration::minutes(PENDING_MINUTES)).await?;
            ops::insert_oidc_login(conn, &secrets::digest(&pending.state), pending, now).await?;
        });
        Ok(())
    }

    /// The sign-in under way with `state`, once: a second return with the same state (a
    /// replay), or one after ten minutes, finds nothing.
    pub async fn take_oidc_login(
        &self,
        state: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<PendingLogin>, StoreError> {
        let taken = write!(self, |conn, ops| ops::take_oidc_login(
            conn,
            &secrets::digest(state)
        )
        .await?);
        Ok(taken
            .filter(|(_, _, _, created_at)| *created_at > now - Duration::minutes(PENDING_MINUTES))
            .map(|(nonce, pkce_verifier, next, _)| PendingLogin {
                state: state.to_string(),
                nonce,
                pkce_verifier,
                next,
            }))
    }

    /// Matches the person the provider vouched for to a Redress user by the configured claim.
    /// A person with no user (or a disabled one) is refused, and the refusal is audited.
    pub async fn sign_in_with_provider(
        &self,
        person: &ProvidedPerson,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<ProviderSignIn, StoreError> {
        let who = person
            .matched
            .clone()
            .unwrap_or_else(|| format!("subject {} (no matching claim)", person.subject));
        let user = match &person.matched {
            Some(email) => {
                let key = redress_core::Email::lookup_key(email);
                read!(self, |conn, ops| ops::user_by_email(conn, &key).await?)
            }
            None => None,
        };
        let actor = Actor {
            label: who.clone(),
            user_id: user.as_ref().map(|u| u.id),
            address: Some(address.to_string()),
        };
        let detail =
            serde_json::json!({ "method": "identity provider", "subject": person.subject });
        match user.filter(|u| !u.disabled) {
            Some(user) => {
                if let Some(groups) = &person.groups {
                    self.apply_group_roles(user.id, &user.email, groups, now)
                        .await?;
                }
                self.store
                    .log(actor.event("signed_in", now).after(detail))
                    .await?;
                Ok(ProviderSignIn::Accepted { user_id: user.id })
            }
            None => {
                self.store
                    .log(actor.event("sign_in_refused", now).after(detail))
                    .await?;
                Ok(ProviderSignIn::Refused { who })
            }
        }
    }
}
