//! X4 `POST /internal/events` (contract: api/warehouse.md §2.6, §5.2; design §4.3): `product.*` from
//! product and `order.status_changed` from order, each applied in one transaction with its
//! `processed_events` row.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use eshop_common::auth::ServiceCaller;
use eshop_common::envelope::{ok, Envelope as Success};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::{Fault, NotJson, ServiceTokenRefused};
use eshop_common::outbox::{pg, Envelope, EventResponse, EventResult};
use eshop_common::AppError;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::reservation::{order_effect, OrderEffect};
use crate::error::{retry_once, ApiResult};
use crate::ops::catalogue;
use crate::ops::transition::{apply_in, Outcome, Transition};
use crate::store::products::{self, ProductCopy};
use crate::AppState;

#[derive(Debug, Deserialize)]
struct ProductData {
    product_id: Uuid,
    #[serde(default)]
    sku: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: Option<String>,
    price: Decimal,
    quantity: Option<i64>,
    category_id: Option<Uuid>,
    #[serde(default)]
    image_url: Option<String>,
    version: i64,
}

#[derive(Debug, Deserialize)]
struct DeletedData {
    product_id: Uuid,
    version: i64,
    deleted_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
struct OrderData {
    order_id: Uuid,
    status: String,
    restock: Option<bool>,
}

/// A checked event, ready to apply.
enum Effect {
    Created(ProductCopy, i32),
    Updated(ProductCopy),
    Deleted(DeletedData),
    Order(Uuid, String, OrderEffect),
}

fn bad(what: impl std::fmt::Display) -> AppError {
    AppError::bad_request(format!("unusable event data: {what}"))
}

fn data<T: DeserializeOwned>(envelope: &Envelope) -> Result<T, AppError> {
    serde_json::from_value(envelope.data.clone()).map_err(bad)
}

fn copy(d: ProductData) -> Result<(ProductCopy, Option<i64>), AppError> {
    let price = d.price.round_dp(2);
    let description = d.description.unwrap_or_default();
    let image_url = d.image_url.unwrap_or_default();
    if price < Decimal::ZERO || price >= Decimal::from(10_000_000_000i64) {
        return Err(bad("price out of range"));
    }
    if d.sku.chars().count() > 64
        || d.name.chars().count() > 200
        || image_url.chars().count() > 1000
    {
        return Err(bad("a text is too long"));
    }
    if d.version < 1 {
        return Err(bad("version must be positive"));
    }
    // The catalogue's display text; PostgreSQL text holds no NUL and the catalogue does not refuse one, so it
    // is dropped here rather than parking the product's events (no stock row, nothing to sell).
    let text = |t: String| t.replace('\0', "");
    let copy = ProductCopy {
        id: d.product_id,
        sku: text(d.sku),
        name: text(d.name),
        description: text(description),
        price,
        category_id: d.category_id,
        image_url: text(image_url),
        version: d.version,
    };
    Ok((copy, d.quantity))
}

fn effect(envelope: &Envelope) -> Result<Option<Effect>, AppError> {
    Ok(Some(match envelope.event_type.as_str() {
        "product.created" => {
            let (copy, quantity) = copy(data(envelope)?)?;
            let quantity = quantity
                .and_then(|q| i32::try_from(q).ok())
                .filter(|q| *q >= 0)
                .ok_or_else(|| bad("quantity must be a whole number ≥ 0"))?;
            Effect::Created(copy, quantity)
        }
        "product.updated" => Effect::Updated(copy(data(envelope)?)?.0),
        "product.deleted" => Effect::Deleted(data(envelope)?),
        "order.status_changed" => {
            let d: OrderData = data(envelope)?;
            let effect = order_effect(&d.status, d.restock.unwrap_or(false))
                .ok_or_else(|| bad("unknown order status"))?;
            Effect::Order(d.order_id, d.status, effect)
        }
        _ => return Ok(None),
    }))
}

fn anomaly(order_id: Uuid, status: &str, what: &str) {
    tracing::error!(%order_id, status, "order.status_changed anomaly: {what}");
    metrics::counter!("warehouse_event_anomalies_total").increment(1);
}

/// `order.status_changed` (§5.2): anomalies change nothing and answer 200.
async fn order_changed(
    conn: &mut PgConnection,
    order_id: Uuid,
    status: &str,
    effect: OrderEffect,
) -> Result<(), sqlx::Error> {
    match effect {
        OrderEffect::Nothing => {}
        OrderEffect::Release => {
            match apply_in(conn, order_id, Transition::Release, status).await? {
                Outcome::Unknown => {
                    tracing::info!(%order_id, "release of an unknown reservation: no-op")
                }
                Outcome::Refused(v) => anomaly(
                    order_id,
                    status,
                    &format!("release of a {} reservation", v.status),
                ),
                Outcome::Applied(_) | Outcome::AlreadyDone(_) => {}
            }
        }
        OrderEffect::Commit => match apply_in(conn, order_id, Transition::Commit, status).await? {
            Outcome::Unknown => anomaly(order_id, status, "commit of an unknown reservation"),
            Outcome::Refused(v) => anomaly(
                order_id,
                status,
                &format!("commit of a {} reservation", v.status),
            ),
            Outcome::Applied(_) | Outcome::AlreadyDone(_) => {}
        },
        OrderEffect::Return { or_release } => {
            match apply_in(conn, order_id, Transition::Return, status).await? {
                Outcome::Refused(v) if or_release && v.status == "RESERVED" => {
                    apply_in(conn, order_id, Transition::Release, status).await?;
                }
                Outcome::Refused(v) => {
                    tracing::warn!(%order_id, status = %v.status, "return of a reservation that is not committed: no-op");
                }
                Outcome::Unknown => {
                    tracing::warn!(%order_id, "return of an unknown reservation: no-op")
                }
                Outcome::Applied(_) | Outcome::AlreadyDone(_) => {}
            }
        }
    }
    Ok(())
}

async fn apply(conn: &mut PgConnection, effect: &Effect) -> Result<(), sqlx::Error> {
    match effect {
        Effect::Created(copy, quantity) => catalogue::created(conn, copy, *quantity).await,
        Effect::Updated(copy) => products::upsert(conn, copy).await.map(|_| ()),
        Effect::Deleted(d) => {
            products::tombstone(conn, d.product_id, d.version, d.deleted_at).await
        }
        Effect::Order(order_id, status, effect) => {
            order_changed(conn, *order_id, status, *effect).await
        }
    }
}

/// X4 product.* (product) and order.status_changed (order) events
///
/// Each applied in one transaction with its `processed_events` row. Handled types: product.created,
/// product.updated, product.deleted (from product) and order.status_changed (from order); other types →
/// 200 `ignored`. Malformed → 400 (the producer parks the row); a transient store failure → 503 (the relay
/// retries).
#[utoipa::path(
    post,
    path = "/internal/events",
    operation_id = "receiveEvent",
    tag = "internal",
    request_body(
        content = Envelope,
        description = "the data is the type's payload (README \"Events\"); the source must be the caller itself; \
                       a repeated id answers `duplicate` and changes nothing"
    ),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "success: applied; duplicate: the id was processed before; ignored: a type this service does not handle", body = Success<EventResponse>),
        (status = 400, description = "malformed envelope or unusable data", body = ErrorBody),
        ServiceTokenRefused,
        (status = 403, description = "the source is not the caller, or the caller may not send this type", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        Fault,
        (status = 503, description = "the database is unavailable, or the stock stayed busy (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn receive(
    State(state): State<AppState>,
    caller: ServiceCaller,
    Json(body): Json<serde_json::Value>,
) -> ApiResult<Response> {
    let envelope: Envelope = serde_json::from_value(body)
        .map_err(|e| AppError::bad_request(format!("unusable envelope: {e}")))?;
    caller.check_event(&state.internal, &envelope.source, &envelope.event_type)?;
    let Some(effect) = effect(&envelope)? else {
        return Ok(reply(envelope.id, EventResult::Ignored));
    };
    let result = retry_once(|| async {
        let mut tx = state.pool.begin().await?;
        if !pg::record_processed(&mut tx, &envelope).await? {
            return Ok(EventResult::Duplicate);
        }
        apply(&mut tx, &effect).await?;
        tx.commit().await?;
        Ok(EventResult::Applied)
    })
    .await?;
    if result == EventResult::Applied {
        state.stock_changed();
    }
    Ok(reply(envelope.id, result))
}

fn reply(event_id: Uuid, result: EventResult) -> Response {
    ok(EventResponse { event_id, result }).into_response()
}
