//! §3.7 `POST /v1/carts/checkout`: the chosen lines and the address go to the order service under a key
//! derived from them; the lines leave the cart only once the order exists. Cart keeps no checkout record
//! and takes no lock while the order is made: the order service's idempotency makes the key safe to replay.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::{Fault, NotJson};
use eshop_common::{AppError, Cause};
use serde::Serialize;
use uuid::Uuid;

use super::lines::read_back;
use crate::domain::checkout::{client_key, idempotency_key, CheckoutRequest, KeyedLine};
use crate::domain::input::Body;
use crate::error::ApiResult;
use crate::peers::order::{OrderItem, OrderRequest};
use crate::reads::cache_after_write;
use crate::store::lines as sql;
use crate::store::retrying;
use crate::AppState;

/// `data` of a successful checkout (new; the old body was null).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CheckoutDone {
    pub order_id: Uuid,
    /// the lines removed by this request
    pub cart_ids: Vec<Uuid>,
}

/// Order the chosen lines (compat); the lines are removed once the order exists
///
/// api/cart.md §3.7. The Idempotency-Key sent to the order service is the hex SHA-256 of the compact JSON
/// array [client_key, user_id, [[line_id, quantity, note]...] sorted by line id, [street, city, state,
/// zipcode, address_note]]: a retry with the same lines and address makes at most one order.
#[utoipa::path(
    post,
    path = "/v1/carts/checkout",
    operation_id = "checkout",
    tag = "carts",
    params(
        ("Idempotency-Key" = Option<String>, Header, nullable = false, pattern = "^[A-Za-z0-9._:-]{1,128}$",
            description = "the client's retry key; part of the key derived for the order service"),
    ),
    request_body = CheckoutRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the order made", body = Envelope<CheckoutDone>),
        (status = 400, description = "validation (causes), malformed JSON or a malformed Idempotency-Key", body = ErrorBody),
        (status = 401, description = "missing, invalid or expired access token (also when the order service refuses it)", body = ErrorBody),
        (status = 403, description = "a listed line is another user's (or the order service refused the role)", body = ErrorBody),
        (status = 409, description = "cart changed (causes name the ids not in the cart), not enough stock (order's message), or a checkout already in progress (with Retry-After)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "only when a checkout with the same key is in progress"))),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        NotJson,
        (status = 422, description = "order refused: <message>", body = ErrorBody),
        Fault,
        (status = 502, description = "order service unavailable", body = ErrorBody),
        (status = 503, description = "the database or the JWKS is unavailable (the message carries the request id)", body = ErrorBody),
        (status = 504, description = "the order service timed out (retry with the same key)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(user = %user.user_id))]
pub async fn checkout(
    user: AuthUser,
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<Body>,
) -> ApiResult<Reply<CheckoutDone>> {
    let client_key = client_key(headers.get("idempotency-key").map(|v| v.as_bytes()))?;
    let request = CheckoutRequest::parse(&body, state.limits.max_lines)?;
    let user_id = user.user_id;

    // Step 1: the listed lines, read from MySQL (the truth).
    let lines = sql::lines_by_id(&state.pool, &request.cart_ids).await?;
    if lines.iter().any(|l| l.user_id != user_id) {
        return Err(AppError::forbidden().into());
    }
    let missing: Vec<Cause> = request
        .cart_ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !lines.iter().any(|l| l.id == **id))
        .map(|(i, id)| Cause::new(format!("cart_ids[{i}]"), format!("{id} is not in the cart")))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::Conflict {
            message: "cart changed".into(),
            causes: missing,
        }
        .into());
    }

    // Step 2: the derived key.
    let keyed: Vec<KeyedLine<'_>> = lines
        .iter()
        .map(|l| KeyedLine {
            id: l.id,
            quantity: l.product_quantity,
            note: &l.note,
        })
        .collect();
    let key = idempotency_key(&client_key, user_id, &keyed, &request.address);

    // Step 3: the order, items in cart order.
    let order = OrderRequest {
        items: lines
            .iter()
            .map(|l| OrderItem {
                product_id: l.product_id,
                quantity: l.product_quantity,
                price: l.product_price,
                note: l.note.clone(),
            })
            .collect(),
        address: &request.address,
    };
    let order_id = state.order.create(&user, &key, &order).await?;

    // Step 4: the order exists; the listed lines still present leave the cart.
    let (pool, ids) = (&state.pool, &request.cart_ids);
    let (removed, snapshot) = retrying(|| async move {
        let mut tx = pool.begin().await?;
        let version = sql::lock_and_bump(&mut tx, user_id).await?;
        let removed = sql::delete_lines(&mut tx, user_id, ids).await?;
        let snapshot = read_back(&mut tx, user_id, version).await?;
        tx.commit().await?;
        Ok((removed, snapshot))
    })
    .await?;
    cache_after_write(&state, user_id, &snapshot).await;
    tracing::info!(%order_id, removed = removed.len(), "checkout completed");
    Ok(Reply::new(
        StatusCode::OK,
        CheckoutDone {
            order_id,
            cart_ids: removed,
        },
        "success checkout",
    ))
}
