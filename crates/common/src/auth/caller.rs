//! The caller of a `/v1` route: extractors `AuthUser` and `MaybeAuthUser`, roles and guards (auth.md §2.4–2.5).

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use uuid::Uuid;

use super::verifier::{TokenError, Verifier};
use crate::error::AppError;

/// Roles, lowest first, so `>=` means "at least" (design §3). The OpenAPI schema `Role` lists the names
/// serde writes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[schema(
    description = "the highest of the user's role groups; customer when none (api/auth.md §2.4)"
)]
pub enum Role {
    Customer,
    WarehouseStaff,
    WarehouseManager,
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 4] = [
        Role::Customer,
        Role::WarehouseStaff,
        Role::WarehouseManager,
        Role::Admin,
    ];

    /// The highest known group; unknown groups are ignored, names are case-sensitive. `custom:role` is
    /// never read: it is client-writable.
    pub fn from_groups<S: AsRef<str>>(groups: &[S]) -> Role {
        groups
            .iter()
            .filter_map(|g| Role::from_group(g.as_ref()))
            .max()
            .unwrap_or(Role::Customer)
    }

    /// The role a Cognito group grants, if any.
    pub fn from_group(group: &str) -> Option<Role> {
        match group {
            "admin" => Some(Role::Admin),
            "warehouse_manager" => Some(Role::WarehouseManager),
            "warehouse_staff" => Some(Role::WarehouseStaff),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::WarehouseStaff => "warehouse_staff",
            Role::WarehouseManager => "warehouse_manager",
            Role::Admin => "admin",
        }
    }
}

/// A new role fails to compile here until [`Role::ALL`] lists it.
const fn _every_role_is_listed(role: Role) {
    match role {
        Role::Customer | Role::WarehouseStaff | Role::WarehouseManager | Role::Admin => {}
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signed-in caller. Missing or invalid token → 401 (503 while the key set has never loaded).
#[derive(Clone)]
pub struct AuthUser {
    pub user_id: Uuid,
    pub username: String,
    pub role: Role,
    pub groups: Vec<String>,
    /// The raw token, only for forwarding on calls made for this user.
    pub token: SecretString,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for AuthUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthUser")
            .field("user_id", &self.user_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl AuthUser {
    /// The guard `require_any`: the caller's role is one of `roles` (exact list), else 403.
    pub fn require_any(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// The guard `require_at_least`: the caller's role is `role` or above, else 403.
    pub fn require_at_least(&self, role: Role) -> Result<(), AppError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// `Bearer <token>` for forwarding.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.token.expose_secret())
    }
}

impl From<TokenError> for AppError {
    fn from(err: TokenError) -> Self {
        match err {
            TokenError::Missing => AppError::Unauthorized {
                message: "missing bearer token",
                token_sent: false,
            },
            TokenError::Expired => AppError::Unauthorized {
                message: "token expired",
                token_sent: true,
            },
            TokenError::Invalid(reason) => {
                tracing::debug!(reason, "token refused");
                AppError::Unauthorized {
                    message: "invalid token",
                    token_sent: true,
                }
            }
            TokenError::Unavailable => AppError::Unavailable {
                what: "authentication is temporarily unavailable".into(),
                detail: "the JWKS has not been loaded yet".into(),
            },
        }
    }
}

/// Check 1 of §2.3: present, ≤ 8 KiB, scheme `Bearer` (any case), one space, a non-empty token.
/// `Ok(None)` when there is no header at all.
fn bearer_token(parts: &Parts) -> Result<Option<&str>, TokenError> {
    let Some(value) = parts.headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    if value.len() > 8 * 1024 {
        return Err(TokenError::Invalid("header too long"));
    }
    let value = value
        .to_str()
        .map_err(|_| TokenError::Invalid("header not ASCII"))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or(TokenError::Invalid("no scheme"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() || token.contains(' ') {
        return Err(TokenError::Invalid("not a bearer token"));
    }
    Ok(Some(token))
}

async fn authenticate(verifier: &Verifier, token: &str) -> Result<AuthUser, TokenError> {
    let claims = verifier.verify(token).await?;
    let user_id = claims
        .sub
        .as_deref()
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or(TokenError::Invalid("sub"))?;
    let expires_at =
        DateTime::from_timestamp(claims.exp.unwrap_or_default(), 0).unwrap_or_default();
    Ok(AuthUser {
        user_id,
        username: claims.username.unwrap_or_default(),
        role: Role::from_groups(&claims.groups),
        groups: claims.groups,
        token: SecretString::from(token.to_string()),
        expires_at,
    })
}

impl<S> FromRequestParts<S> for AuthUser
where
    Arc<Verifier>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Arc::<Verifier>::from_ref(state);
        let token = bearer_token(parts)?.ok_or(TokenError::Missing)?;
        Ok(authenticate(&verifier, token).await?)
    }
}

/// `Option<AuthUser>`: no header → anonymous; a header that fails the checks → 401, never silently anonymous.
impl<S> OptionalFromRequestParts<S> for AuthUser
where
    Arc<Verifier>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        let verifier = Arc::<Verifier>::from_ref(state);
        match bearer_token(parts)? {
            None => Ok(None),
            Some(token) => Ok(Some(authenticate(&verifier, token).await?)),
        }
    }
}

/// The contract's name for `Option<AuthUser>`.
pub type MaybeAuthUser = Option<AuthUser>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_is_the_highest_known_group() {
        assert_eq!(Role::from_groups::<&str>(&[]), Role::Customer);
        assert_eq!(
            Role::from_groups(&["warehouse_staff"]),
            Role::WarehouseStaff
        );
        assert_eq!(
            Role::from_groups(&["warehouse_staff", "admin"]),
            Role::Admin
        );
        assert_eq!(Role::from_groups(&["Admin"]), Role::Customer);
        assert_eq!(Role::from_groups(&["vip"]), Role::Customer);
    }

    #[test]
    fn the_role_schema_lists_the_names_roles_are_written_as() {
        let schema = serde_json::to_value(<Role as utoipa::PartialSchema>::schema()).unwrap();
        let written: Vec<serde_json::Value> = Role::ALL
            .iter()
            .map(|r| serde_json::to_value(r).unwrap())
            .collect();
        assert_eq!(schema["enum"], serde_json::Value::from(written));
        for role in Role::ALL {
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
        assert_eq!(<Role as utoipa::ToSchema>::name(), "Role");
    }
}
