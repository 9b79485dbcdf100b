//! O0 `POST /v1/orders`: checkout (api/order.md §3.1) — an idempotency key per user, prices from product
//! X1, a reservation from warehouse X1, one shipping fee per source warehouse, one transaction.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{created, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::{BearerRefused, Fault, NotJson};
use eshop_common::outbox::pg;
use eshop_common::{AppError, AppResult, Cause};
use serde_json::Value;
use uuid::Uuid;

use super::pricing::{book, price_lines, refusal, totals, Failure};
use super::view::{order_view, Audience, OrderView};
use crate::domain::checkout::{parse_checkout, Checkout};
use crate::domain::status::{Actor, OrderStatus};
use crate::events::{self, WAREHOUSE};
use crate::store::checkouts::{self, Claim, Ticket};
use crate::store::orders::{self, ItemRecord, NewOrder};
use crate::AppState;

fn in_progress(retry_after_secs: u64) -> Response {
    let mut response = AppError::conflict("checkout already in progress").into_response();
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(retry_after_secs.max(1)),
    );
    response
}

/// `Idempotency-Key`: required, 1–255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<String, AppError> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()));
    key.map(str::to_string).ok_or_else(|| {
        AppError::invalid_fields(
            "an Idempotency-Key header is required",
            vec![Cause::new(
                "Idempotency-Key",
                "1–255 visible ASCII characters",
            )],
        )
    })
}

/// Steps 2–5 for an owned key.
async fn place(
    state: &AppState,
    user: &AuthUser,
    request: &Checkout,
    ticket: &Ticket,
) -> Result<(), Failure> {
    let lines = request.lines.clone();
    let products = price_lines(state, &lines).await?;
    let zip = &request.address.zipcode;
    let allocations = match state
        .peers
        .reserve(ticket.order_id, user.user_id, zip, &lines)
        .await?
    {
        Ok(a) => a,
        Err(r) => return Err(Failure::Refused(refusal(r, &lines, &products))),
    };
    let priced = book(state, zip, lines, products, &allocations)?;
    let t = totals(&priced);
    let order = NewOrder {
        id: ticket.order_id,
        user_id: user.user_id,
        subtotal: t.subtotal,
        shipping_total: t.shipping_total,
        address: request.address.clone(),
        items: priced
            .into_iter()
            .map(|p| ItemRecord {
                id: Uuid::now_v7(),
                product_id: p.line.product_id,
                product_name: p.product.name,
                sku: p.product.sku,
                image_url: p.product.image_url,
                category_id: p.product.category_id,
                price: p.price,
                quantity: p.line.quantity,
                shipping_cost: p.shipping.shipping_cost,
                note: p.line.note,
                allocations: p.shipping.allocations,
            })
            .collect(),
    };
    let mut tx = state.pool.begin().await?;
    orders::insert(
        &mut tx,
        &order,
        state.settings.payment_timeout.as_secs_f64(),
    )
    .await?;
    if !checkouts::complete(&mut tx, ticket).await? {
        return Err(Failure::LostLease);
    }
    tx.commit().await?;
    Ok(())
}

async fn order_reply(state: &AppState, id: Uuid, replayed: bool) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let order = orders::find(&mut conn, id).await?.ok_or_else(|| {
        AppError::internal(
            "the order could not be read",
            "completed checkout without order",
        )
    })?;
    let mut response =
        created(order_view(order, &state.settings, Audience::OwnerOrAdmin)).into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/orders/{id}")) {
        headers.insert(header::LOCATION, location);
    }
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// A definitive refusal frees the key. A resumed row may hold a reservation from the earlier attempt,
/// so its order id also gets the janitor's release event.
async fn forget(
    state: &AppState,
    ticket: &Ticket,
    user_id: Uuid,
    resumed: bool,
) -> Result<(), sqlx::Error> {
    checkouts::forget(&state.pool, ticket).await?;
    if resumed {
        let mut tx = state.pool.begin().await?;
        let event = events::status_changed(
            ticket.order_id,
            user_id,
            None,
            OrderStatus::Cancelled,
            crate::tasks::ABANDONED_NOTE,
            Actor::System.as_str(),
            false,
            chrono::Utc::now(),
        );
        pg::enqueue(&mut tx, &event, ticket.order_id, &[WAREHOUSE]).await?;
        tx.commit().await?;
        state.relay.wake();
    }
    Ok(())
}

/// O0 checkout
///
/// api/order.md §3.1. Prices from the product service, a reservation from the warehouse, one shipping fee
/// per source warehouse, one transaction. The same Idempotency-Key and body replay the order (201 with
/// Idempotent-Replayed: true).
#[utoipa::path(
    post,
    path = "/v1/orders",
    operation_id = "checkout",
    tag = "orders",
    params(
        ("Idempotency-Key" = String, Header, min_length = 1, max_length = 255, pattern = "^[!-~]{1,255}$",
            description = "1–255 visible ASCII characters, scoped per user"),
    ),
    request_body = Checkout,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "order created (or replayed)", body = Envelope<OrderView>,
            headers(
                ("Location" = String, description = "/v1/orders/{id}"),
                ("Idempotent-Replayed" = String, description = "true on a replay"),
            )),
        (status = 400, description = "malformed JSON, invalid fields (causes name them) or no valid Idempotency-Key", body = ErrorBody),
        BearerRefused,
        (status = 409, description = "not enough stock (causes, no Retry-After), or the key is in progress (with Retry-After)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds until the other attempt's lease expires, at least 1; only when the key is in progress"))),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        (status = 422, description = "the key was used with another body, an unknown or deleted product, or a zip code the warehouse cannot locate", body = ErrorBody),
        Fault,
        (status = 503, description = "the product or warehouse service or the database is unavailable, or the checkout timed out (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn checkout(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> AppResult<Response> {
    let key = idempotency_key(&headers)?;
    let request = parse_checkout(&body)
        .map_err(|c| AppError::invalid_fields("invalid checkout request", c))?;
    let lease = state.settings.checkout_lease;
    let (order_id, lease_until, resumed) =
        match checkouts::claim(&state.pool, user.user_id, &key, &request.hash(), lease).await? {
            Claim::Replay { order_id } => return order_reply(&state, order_id, true).await,
            Claim::Mismatch => {
                return Err(AppError::unprocessable(
                    "this Idempotency-Key was used with a different request",
                ))
            }
            Claim::InProgress { retry_after_secs } => return Ok(in_progress(retry_after_secs)),
            Claim::Owned {
                order_id,
                lease,
                resumed,
            } => (order_id, lease, resumed),
        };
    let ticket = Ticket {
        user_id: user.user_id,
        key,
        order_id,
        lease: lease_until,
    };
    let attempt = tokio::time::timeout(
        state.settings.checkout_timeout,
        place(&state, &user, &request, &ticket),
    )
    .await;
    match attempt {
        Ok(Ok(())) => order_reply(&state, order_id, false).await,
        Ok(Err(Failure::Refused(err))) => {
            forget(&state, &ticket, user.user_id, resumed).await?;
            Err(err)
        }
        Ok(Err(Failure::Retryable(err))) => {
            if let Err(e) = checkouts::let_go(&state.pool, &ticket).await {
                tracing::warn!(error = %e, "could not end the checkout lease early");
            }
            Err(err)
        }
        Ok(Err(Failure::LostLease)) => Ok(in_progress(1)),
        Err(_) => {
            if let Err(e) = checkouts::let_go(&state.pool, &ticket).await {
                tracing::warn!(error = %e, "could not end the checkout lease early");
            }
            Err(AppError::unavailable(
                "the checkout timed out",
                "CHECKOUT_TIMEOUT_SECONDS passed",
            ))
        }
    }
}
