//! `GET /v1/auth/{token}`: the old introspection endpoint, kept for the old Go services (api/auth.md §4.1).
//! Validated locally as §2.3 with the shared JWKS; no Cognito call. The telemetry layer logs only the
//! matched route, so the token in the path never reaches a log.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use eshop_common::auth::{Role, TokenError, Verifier};
use eshop_common::envelope::ok;
use eshop_common::extract::Path;
use eshop_common::AppResult;
use serde::Serialize;
use uuid::Uuid;

/// compat: the old `{user_id, role}`.
#[derive(Serialize)]
pub struct Introspection {
    pub user_id: Uuid,
    pub role: Role,
}

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
