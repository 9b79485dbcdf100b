//! `GET /v1/payments` and `GET /v1/payments/{id}` (contract: api/payment.md §2.2, §2.3): admins see every
//! payment, everyone else only their own.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use eshop_common::auth::{AuthUser, Role};
use eshop_common::envelope::{Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Path, Query};
use eshop_common::openapi::{BearerRefused, DatabaseUnavailable, Fault};
use eshop_common::{AppError, AppResult};
use uuid::Uuid;

use super::view::{view, views, PaymentView};
use crate::domain::listing::ListQuery;
use crate::store::{payments, Payment};
use crate::AppState;

/// A `{id}` segment: a UUID, else 400 (§2.3).
pub(super) fn payment_id(raw: &str) -> AppResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| AppError::bad_request("the payment id must be a UUID"))
}

/// The payment `id`, readable by its owner and admins: 404 unknown, 403 someone else's.
pub(super) async fn readable(state: &AppState, user: &AuthUser, id: Uuid) -> AppResult<Payment> {
    let payment = payments::find(&state.pool, id)
        .await?
        .ok_or_else(|| AppError::not_found("payment not found"))?;
    if payment.user_id != user.user_id && user.role != Role::Admin {
        return Err(AppError::Forbidden("the payment is not yours".into()));
    }
    Ok(payment)
}

/// List payments: admins all, everyone else their own (compat)
///
/// api/payment.md §2.2. Newest first (createdAt, then id, descending).
#[utoipa::path(
    get,
    path = "/v1/payments",
    operation_id = "listPayments",
    tag = "payments",
    params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "payments retrieved successfully", body = Envelope<Vec<PaymentView>>),
        (status = 400, description = "invalid filter", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "a non-admin asked for another user's payments", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    Query(raw): Query<HashMap<String, String>>,
) -> AppResult<Reply<Vec<PaymentView>>> {
    let query = ListQuery::parse(&raw)
        .map_err(|causes| AppError::invalid_fields("invalid query", causes))?;
    let owner = if user.role == Role::Admin {
        None
    } else {
        // `userId` is an admin filter; one's own id is allowed.
        if query.user_id.is_some_and(|u| u != user.user_id) {
            return Err(AppError::Forbidden(
                "only admins may list other users' payments".into(),
            ));
        }
        Some(user.user_id)
    };
    let rows = payments::list(&state.pool, &query, owner).await?;
    Ok(Reply::new(
        StatusCode::OK,
        views(&state.proofs, rows).await?,
        "payments retrieved successfully",
    ))
}

/// One payment: its owner or an admin (compat)
#[utoipa::path(
    get,
    path = "/v1/payments/{id}",
    operation_id = "getPayment",
    tag = "payments",
    params(("id" = Uuid, Path, description = "payment id (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "payment retrieved successfully", body = Envelope<PaymentView>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not the owner and not an admin", body = ErrorBody),
        (status = 404, description = "unknown payment", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
pub async fn show(
    State(state): State<AppState>,
    user: AuthUser,
    Path(raw): Path<String>,
) -> AppResult<Reply<PaymentView>> {
    let id = payment_id(&raw)?;
    let payment = readable(&state, &user, id).await?;
    Ok(Reply::new(
        StatusCode::OK,
        view(&state.proofs, payment).await?,
        "payment retrieved successfully",
    ))
}
