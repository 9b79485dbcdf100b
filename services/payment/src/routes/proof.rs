//! `GET /v1/payments/{id}/proof` — the proof link (contract: api/payment.md §2.5): a link signed with
//! `PROOF_LINK_SECRET`, or a bearer token of the owner or an admin, answers 302 to a fresh presigned URL.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use eshop_common::auth::AuthUser;
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Path, Query};
use eshop_common::openapi::DatabaseUnavailable;
use eshop_common::{AppError, AppResult};
use secrecy::ExposeSecret;
use uuid::Uuid;

use super::list::{payment_id, readable};
use crate::domain::link;
use crate::store::payments;
use crate::AppState;

fn signed_link_valid(state: &AppState, id: Uuid, query: &HashMap<String, String>) -> bool {
    match (query.get("exp"), query.get("sig")) {
        (Some(exp), Some(sig)) => link::verify(
            state.link_secret.expose_secret().as_bytes(),
            id,
            exp,
            sig,
            chrono::Utc::now().timestamp(),
        ),
        _ => false,
    }
}

/// Proof link: 302 to a fresh presigned URL
///
/// api/payment.md §2.5. Either a link signed with PROOF_LINK_SECRET (exp in the future, sig = hex
/// HMAC-SHA256 of "{id}|{exp}"), no token needed; or a bearer token of the owner or an admin.
#[utoipa::path(
    get,
    path = "/v1/payments/{id}/proof",
    operation_id = "paymentProof",
    tag = "payments",
    params(
        ("id" = Uuid, Path, description = "payment id (a non-UUID answers 400)"),
        ("exp" = Option<i64>, Query, nullable = false, description = "unix seconds"),
        ("sig" = Option<String>, Query, nullable = false, description = "64 hex digits"),
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 302, description = "Location = a presigned GET URL; Cache-Control: no-store; no body",
            headers(("Location" = String), ("Cache-Control" = String))),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        (status = 401, description = "no token and no valid signature (expired or altered link included), or an invalid token", body = ErrorBody),
        (status = 403, description = "another customer's payment", body = ErrorBody),
        (status = 404, description = "unknown payment", body = ErrorBody),
        (status = 500, description = "a real fault, e.g. signing the URL failed (the message carries the request id)", body = ErrorBody),
        DatabaseUnavailable,
    )
)]
#[tracing::instrument(skip_all)]
pub async fn proof(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    user: Result<Option<AuthUser>, AppError>,
) -> AppResult<Response> {
    let id = payment_id(&raw)?;
    let payment = if signed_link_valid(&state, id, &query) {
        payments::find(&state.pool, id)
            .await?
            .ok_or_else(|| AppError::not_found("payment not found"))?
    } else {
        match user? {
            Some(user) => readable(&state, &user, id).await?,
            // No token and no valid signature: an expired or altered link included.
            None => {
                return Err(AppError::Unauthorized {
                    message: "missing bearer token or valid proof link",
                    token_sent: false,
                })
            }
        }
    };
    let signed = state
        .proofs
        .presign(&payment.object_key, &payment.content_type)
        .await
        .map_err(|e| AppError::internal("signing the proof URL failed", e))?;
    Ok((
        StatusCode::FOUND,
        [
            (header::LOCATION, signed.url),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response())
}
