//! `GET /v1/auth/{token}`: the old introspection endpoint, kept for the old Go services (api/auth.md §4.1).
//! Validated locally as §2.3 with the shared JWKS; no Cognito call. The telemetry layer logs only the
//! matched route, so the token in the path never reaches a log.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use eshop_common::auth::{Role, TokenError, Verifier};
use eshop_common::envelope::{ok, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Path;
use eshop_common::AppResult;
use serde::Serialize;
use uuid::Uuid;

use super::KeysNotLoaded;

/// compat: the old `{user_id, role}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Introspection {
    /// compat; the token's `sub`
    pub user_id: Uuid,
    /// compat; from the token's groups
    pub role: Role,
}

/// Compat introspection of an access token (the path is the raw token)
///
/// api/auth.md §4.1. Validated locally as §2.3 with the shared JWKS; no Cognito call. For the old Go services.
/// Static segments (`me`, `users`, `login`, …) win over the token: a JWT always contains dots.
#[utoipa::path(
    get,
    path = "/v1/auth/{token}",
    operation_id = "introspect",
    tag = "auth",
    params(("token" = String, Path, description = "a raw access token (no `Bearer `)")),
    responses(
        (status = 200, description = "success get", body = Envelope<Introspection>,
            headers(("Cache-Control" = String, description = "no-store"))),
        (status = 401, description = "invalid, expired or ID token", body = ErrorBody,
            headers(("WWW-Authenticate" = String))),
        (status = 404, description = "the path segment is not UTF-8 once decoded", body = ErrorBody),
        KeysNotLoaded,
    )
)]
#[tracing::instrument(skip_all)]
pub async fn introspect(
    State(verifier): State<Arc<Verifier>>,
    Path(token): Path<String>,
) -> AppResult<impl IntoResponse> {
    let claims = verifier.verify(&token).await?;
    let user_id = claims
        .sub
        .as_deref()
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or(TokenError::Invalid("sub"))?;
    let role = Role::from_groups(&claims.groups);
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        ok(Introspection { user_id, role }),
    ))
}
