// Account, session, token and audit-log queries, compiled for each backend by `backends.rs`
// with `Conn` and `Db` set to SQLite's or PostgreSQL's types.

use crate::{SessionRow, TokenRow, UserRow};
use chrono::{DateTime, Utc};
use redress_store::StoreError;
use sqlx::{QueryBuilder, Row};

type Rows = Vec<<Db as sqlx::Database>::Row>;

const USER_COLUMNS: &str =
    "id, email, display_name, password_hash, must_change_password, system_admin, disabled";

fn user_row(row: &<Db as sqlx::Database>::Row) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        must_change_password: row.try_get("must_change_password")?,
        system_admin: row.try_get("system_admin")?,
        disabled: row.try_get("disabled")?,
    })
}

pub async fn user_count(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")
}

pub async fn user_by_email(conn: &mut Conn, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(user_row).transpose()
}

pub async fn user_by_id(conn: &mut Conn, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(user_row).transpose()
}

pub async fn all_users(conn: &mut Conn) -> Result<Vec<UserRow>, sqlx::Error> {
    let rows: Rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY email"))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(user_row).collect()
}

pub async fn insert_user(
    conn: &mut Conn,
    row: &UserRow,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (email, display_name, password_hash, must_change_password,
            system_admin, disabled, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(row.email.as_str())
    .bind(row.display_name.as_str())
    .bind(row.password_hash.as_deref())
    .bind(row.must_change_password)
    .bind(row.system_admin)
    .bind(row.disabled)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")
}

pub async fn set_password_hash(
    conn: &mut Conn,
    user_id: i64,
    hash: &str,
    must_change: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
        .bind(hash)
        .bind(must_change)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_disabled(
    conn: &mut Conn,
    user_id: i64,
    disabled: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(disabled)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Gives the user `role` (and exactly `team_ids`) in the organisation.
pub async fn set_membership(
    conn: &mut Conn,
    user_id: i64,
    organisation_id: i64,
    role: &str,
    team_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO memberships (user_id, organisation_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, organisation_id) DO UPDATE SET role = excluded.role",
    )
    .bind(user_id)
    .bind(organisation_id)
    .bind(role)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM membership_teams WHERE user_id = $1 AND organisation_id = $2")
        .bind(user_id)
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?;
    for team_id in team_ids {
        sqlx::query(
            "INSERT INTO membership_teams (user_id, organisation_id, team_id) VALUES ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(organisation_id)
        .bind(*team_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Removes the user from the organisation; false when they were not in it.
pub async fn remove_membership(
    conn: &mut Conn,
    user_id: i64,
    organisation_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM membership_teams WHERE user_id = $1 AND organisation_id = $2")
        .bind(user_id)
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND organisation_id = $2")
        .bind(user_id)
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// (organisation id, slug, name, role, team id, team name) rows, one per team (or one with no
/// team).
#[allow(clippy::type_complexity)]
pub async fn memberships(
    conn: &mut Conn,
    user_id: i64,
) -> Result<Vec<(i64, String, String, String, Option<i64>, Option<String>)>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT m.organisation_id, o.slug, o.name, m.role, t.id AS team_id, t.name AS team_name
         FROM memberships m
         JOIN organisations o ON o.id = m.organisation_id
         LEFT JOIN membership_teams mt
            ON mt.user_id = m.user_id AND mt.organisation_id = m.organisation_id
         LEFT JOIN teams t ON t.id = mt.team_id
         WHERE m.user_id = $1
         ORDER BY o.slug, t.name",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("organisation_id")?,
                r.try_get("slug")?,
                r.try_get("name")?,
                r.try_get("role")?,
                r.try_get("team_id")?,
                r.try_get("team_name")?,
            ))
        })
        .collect()
}

pub async fn insert_session(
    conn: &mut Conn,
    id_hash: &str,
    user_id: i64,
    csrf_token: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn session(conn: &mut Conn, id_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT user_id, csrf_token, last_seen_at, expires_at FROM sessions WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(SessionRow {
            user_id: r.try_get("user_id")?,
            csrf_token: r.try_get("csrf_token")?,
            last_seen_at: r.try_get("last_seen_at")?,
            expires_at: r.try_get("expires_at")?,
        })
    })
    .transpose()
}

pub async fn touch_session(
    conn: &mut Conn,
    id_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn delete_session(conn: &mut Conn, id_hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_sessions_expired_by(
    conn: &mut Conn,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn delete_sessions_of(conn: &mut Conn, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends every session of the user but `keep` (an id hash).
pub async fn delete_sessions_of_except(
    conn: &mut Conn,
    user_id: i64,
    keep: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Revokes every live token of the user.
pub async fn revoke_tokens_of(
    conn: &mut Conn,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn token_row(r: &<Db as sqlx::Database>::Row) -> Result<TokenRow, sqlx::Error> {
    Ok(TokenRow {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        organisation_id: r.try_get("organisation_id")?,
        role: r.try_get("role")?,
        name: r.try_get("name")?,
        created_at: r.try_get("created_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

const TOKEN_COLUMNS: &str = "id, user_id, organisation_id, role, name, created_at, revoked_at";

#[allow(clippy::too_many_arguments)]
pub async fn insert_token(
    conn: &mut Conn,
    user_id: i64,
    organisation_id: i64,
    role: &str,
    name: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO api_tokens (user_id, organisation_id, role, name, token_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user_id)
    .bind(organisation_id)
    .bind(role)
    .bind(name)
    .bind(token_hash)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")
}

pub async fn token_by_hash(conn: &mut Conn, hash: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1"
    ))
    .bind(hash)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(token_row).transpose()
}

pub async fn tokens_of(conn: &mut Conn, user_id: i64) -> Result<Vec<TokenRow>, sqlx::Error> {
    let rows: Rows = sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id"
    ))
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(token_row).collect()
}

/// Revokes one of the user's own tokens; false if they have no such live token.
pub async fn revoke_token(
    conn: &mut Conn,
    id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<TokenRow>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "UPDATE api_tokens SET revoked_at = $1
         WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL
         RETURNING {TOKEN_COLUMNS}"
    ))
    .bind(now)
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(token_row).transpose()
}

/// The times of recent failed sign-ins by this account name or from this address, newest
/// first, at most `limit` of each.
/// Holds the lock under which password checks are counted and recorded (PostgreSQL; SQLite's
/// write transaction is exclusive already).
pub async fn lock_password_checks(conn: &mut Conn) -> Result<(), sqlx::Error> {
    if let Some(sql) = PASSWORD_CHECK_LOCK {
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    Ok(())
}

/// When recent password checks that did not succeed were made (failed, or still in flight),
/// newest first, by `column` (email or address).
pub async fn unsuccessful_password_checks(
    conn: &mut Conn,
    column: &'static str,
    value: &str,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DateTime<Utc>>, sqlx::Error> {
    let rows: Rows = sqlx::query(&format!(
        "SELECT attempted_at FROM password_attempts
         WHERE {column} = $1 AND attempted_at > $2 AND NOT succeeded
         ORDER BY attempted_at DESC LIMIT $3"
    ))
    .bind(value)
    .bind(since)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| r.try_get("attempted_at")).collect()
}

/// Records a password check about to be made, and forgets those older than `forget_before`.
pub async fn insert_password_check(
    conn: &mut Conn,
    email: &str,
    address: &str,
    now: DateTime<Utc>,
    forget_before: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query("DELETE FROM password_attempts WHERE attempted_at < $1")
        .bind(forget_before)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO password_attempts (email, address, attempted_at) VALUES ($1, $2, $3)
         RETURNING id",
    )
    .bind(email)
    .bind(address)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")
}

pub async fn mark_password_check_succeeded(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE password_attempts SET succeeded = TRUE WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A page of an organisation's audit log, newest first: events in the organisation, and
/// sign-in events of its members.
pub async fn audit(
    conn: &mut Conn,
    organisation_id: i64,
    filter: &crate::AuditFilter,
    limit: i64,
) -> Result<Vec<crate::AuditEntry>, StoreError> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT e.id, e.occurred_at, e.kind, e.actor, u.email AS user_email, e.case_id,
            c.reference, e.address, e.before_json, e.after_json
         FROM events e
         LEFT JOIN users u ON u.id = e.user_id
         LEFT JOIN cases c ON c.id = e.case_id
         WHERE (e.organisation_id = ",
    );
    query
        .push_bind(organisation_id)
        .push(
            " OR (e.organisation_id IS NULL AND e.user_id IN \
             (SELECT user_id FROM memberships WHERE organisation_id = ",
        )
        .push_bind(organisation_id)
        .push(")))");
    if let Some(case_id) = filter.case_id {
        query.push(" AND e.case_id = ").push_bind(case_id);
    }
    if let Some(email) = &filter.user {
        query
            .push(" AND e.user_id IN (SELECT id FROM users WHERE email = ")
            .push_bind(redress_core::Email::lookup_key(email))
            .push(")");
    }
    if let Some(from) = filter.from {
        query
            .push(" AND e.occurred_at >= ")
            .push_bind(from.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    if let Some(to) = filter.to {
        let next = to.succ_opt().unwrap_or(to);
        query
            .push(" AND e.occurred_at < ")
            .push_bind(next.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    if let Some(before) = filter.before {
        query.push(" AND e.id < ").push_bind(before);
    }
    if let Some(kind) = &filter.kind {
        query.push(" AND e.kind = ").push_bind(kind.clone());
    }
    query.push(" ORDER BY e.id DESC LIMIT ").push_bind(limit);
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let before: Option<String> = r.try_get("before_json")?;
            let after: Option<String> = r.try_get("after_json")?;
            Ok(crate::AuditEntry {
                id: r.try_get("id")?,
                occurred_at: r.try_get("occurred_at")?,
                kind: r.try_get("kind")?,
                actor: r.try_get("actor")?,
                user: r.try_get("user_email")?,
                case_id: r.try_get("case_id")?,
                case_reference: r.try_get("reference")?,
                address: r.try_get("address")?,
                before: before
                    .map(|b| StoreError::from_stored_json("before_json", &b))
                    .transpose()?,
                after: after
                    .map(|a| StoreError::from_stored_json("after_json", &a))
                    .transpose()?,
            })
        })
        .collect()
}

pub async fn insert_oidc_login(
    conn: &mut Conn,
    state_hash: &str,
    pending: &crate::oidc::PendingLogin,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO oidc_logins (state_hash, nonce, pkce_verifier, next, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(state_hash)
    .bind(&pending.nonce)
    .bind(&pending.pkce_verifier)
    .bind(&pending.next)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The sign-in under way with this state, removed as it is read: a state works once.
pub async fn take_oidc_login(
    conn: &mut Conn,
    state_hash: &str,
) -> Result<Option<(String, String, String, DateTime<Utc>)>, sqlx::Error> {
    let row = sqlx::query(
        "DELETE FROM oidc_logins WHERE state_hash = $1
         RETURNING nonce, pkce_verifier, next, created_at",
    )
    .bind(state_hash)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get("nonce")?,
            r.try_get("pkce_verifier")?,
            r.try_get("next")?,
            r.try_get("created_at")?,
        ))
    })
    .transpose()
}

pub async fn delete_oidc_logins_before(
    conn: &mut Conn,
    cutoff: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM oidc_logins WHERE created_at < $1")
        .bind(cutoff)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An organisation's sign-in policy as stored: (passwords allowed, break-glass JSON, group
/// roles JSON).
pub async fn sign_in_policy(
    conn: &mut Conn,
    organisation_id: i64,
) -> Result<Option<(bool, String, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT passwords_allowed, break_glass, group_roles FROM sign_in_policies
         WHERE organisation_id = $1",
    )
    .bind(organisation_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get("passwords_allowed")?,
            r.try_get("break_glass")?,
            r.try_get("group_roles")?,
        ))
    })
    .transpose()
}

pub async fn set_sign_in_policy(
    conn: &mut Conn,
    organisation_id: i64,
    passwords_allowed: bool,
    break_glass: &str,
    group_roles: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sign_in_policies (organisation_id, passwords_allowed, break_glass, group_roles,
            updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organisation_id) DO UPDATE SET passwords_allowed = excluded.passwords_allowed,
            break_glass = excluded.break_glass, group_roles = excluded.group_roles,
            updated_at = excluded.updated_at",
    )
    .bind(organisation_id)
    .bind(passwords_allowed)
    .bind(break_glass)
    .bind(group_roles)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every organisation's policy: (organisation id, passwords allowed, break-glass JSON, group
/// roles JSON).
pub async fn sign_in_policies(
    conn: &mut Conn,
) -> Result<Vec<(i64, bool, String, String)>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT organisation_id, passwords_allowed, break_glass, group_roles FROM sign_in_policies",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("organisation_id")?,
                r.try_get("passwords_allowed")?,
                r.try_get("break_glass")?,
                r.try_get("group_roles")?,
            ))
        })
        .collect()
}
