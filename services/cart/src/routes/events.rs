//! §3.8 `POST /internal/events`: product's `product.updated` and `product.deleted` (§5), each applied in
//! one transaction with its `processed_events` row; other types are answered `ignored` and not recorded.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use eshop_common::auth::ServiceCaller;
use eshop_common::envelope::{self, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::{Fault, NotJson, ServiceTokenRefused};
use eshop_common::outbox::{Envelope, EventResponse, EventResult};
use eshop_common::AppError;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::money;
use crate::error::ApiResult;
use crate::reads::cache_after_write;
use crate::store::events::{apply_deleted, apply_updated, Applied, ProductDeleted, ProductUpdated};
use crate::store::retrying;
use crate::AppState;

/// Product events (product.updated, product.deleted); other types ignored
///
/// api/cart.md §3.8 and §5. Product's service token only; each handled event is applied in one
/// transaction with its processed_events row.
#[utoipa::path(
    post,
    path = "/internal/events",
    operation_id = "receiveEvent",
    tag = "internal",
    request_body(
        content = Envelope,
        description = "product.updated (data: product_id, name, price, image_url, version; others ignored) and \
                       product.deleted (data: product_id, version, deleted_at) are handled, any other type is \
                       answered ignored; the source must be the caller, product (else 403); a redelivery of a \
                       processed id changes nothing"
    ),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "what was done", body = envelope::Envelope<EventResponse>),
        (status = 400, description = "malformed envelope or unusable data (the relay parks it)", body = ErrorBody),
        ServiceTokenRefused,
        (status = 403, description = "caller not allowed, or source is not the caller", body = ErrorBody),
        (status = 413, description = "body over 64 KiB", body = ErrorBody),
        NotJson,
        Fault,
        (status = 503, description = "MySQL unavailable (the relay retries)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn receive(
    caller: ServiceCaller,
    State(state): State<AppState>,
    Json(body): Json<Value>,
) -> ApiResult<Reply<EventResponse>> {
    let envelope: Envelope = serde_json::from_value(body).map_err(|e| {
        tracing::error!(error = %e, "malformed event envelope");
        AppError::bad_request("malformed event envelope")
    })?;
    caller.check_event(&state.internal, &envelope.source, &envelope.event_type)?;
    let pool = &state.pool;
    let applied = match envelope.event_type.as_str() {
        "product.updated" => {
            let event = product_updated(&envelope.data).ok_or_else(|| unusable(&envelope))?;
            let (env, event) = (&envelope, &event);
            retrying(|| async move { Ok(apply_updated(pool, env, event).await?) }).await?
        }
        "product.deleted" => {
            let event = product_deleted(&envelope.data).ok_or_else(|| unusable(&envelope))?;
            let (env, event) = (&envelope, &event);
            retrying(|| async move { Ok(apply_deleted(pool, env, event).await?) }).await?
        }
        other => {
            tracing::info!(event_type = other, "event type not handled; ignored");
            return Ok(answer(envelope.id, EventResult::Ignored));
        }
    };
    let result = match applied {
        Applied::Duplicate => EventResult::Duplicate,
        Applied::Changed(snapshots) => {
            for (user, snapshot) in &snapshots {
                cache_after_write(&state, *user, snapshot).await;
            }
            EventResult::Applied
        }
    };
    Ok(answer(envelope.id, result))
}

fn answer(event_id: Uuid, result: EventResult) -> Reply<EventResponse> {
    Reply::new(
        StatusCode::OK,
        EventResponse { event_id, result },
        "success",
    )
}

/// 400: the relay parks the row (design §4.2); logged at ERROR as §3.8 asks.
fn unusable(envelope: &Envelope) -> AppError {
    tracing::error!(event_id = %envelope.id, event_type = %envelope.event_type, "event data unusable");
    AppError::bad_request(format!("unusable data for {}", envelope.event_type))
}

fn uuid_of(v: &Value) -> Option<Uuid> {
    v.as_str().and_then(|s| Uuid::parse_str(s).ok())
}

/// `product_id, name, price, image_url, version` (others ignored).
pub fn product_updated(data: &Value) -> Option<ProductUpdated> {
    Some(ProductUpdated {
        product_id: uuid_of(&data["product_id"])?,
        name: data["name"].as_str()?.to_string(),
        price: money::from_json(&data["price"])?,
        image_url: match &data["image_url"] {
            Value::Null => String::new(),
            v => v.as_str()?.to_string(),
        },
        version: data["version"].as_u64()?,
    })
}

/// `product_id, version, deleted_at`.
pub fn product_deleted(data: &Value) -> Option<ProductDeleted> {
    let deleted_at = DateTime::parse_from_rfc3339(data["deleted_at"].as_str()?).ok()?;
    Some(ProductDeleted {
        product_id: uuid_of(&data["product_id"])?,
        version: data["version"].as_u64()?,
        deleted_at: deleted_at.with_timezone(&Utc).naive_utc(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn product_updated_reads_the_fields_cart_uses() {
        let id = Uuid::now_v7();
        let e = product_updated(
            &json!({"product_id": id, "sku": "S", "name": "N", "price": 19.99,
            "image_url": "https://x/y.png", "version": 3, "updated_at": "2024-01-01T00:00:00Z"}),
        )
        .unwrap();
        assert_eq!((e.product_id, e.name.as_str(), e.version), (id, "N", 3));
        assert_eq!(e.price.to_string(), "19.99");
        assert!(product_updated(&json!({"product_id": id, "name": "N", "price": 1})).is_none());
        assert!(product_updated(
            &json!({"product_id": "x", "name": "N", "price": 1, "version": 1})
        )
        .is_none());
    }

    #[test]
    fn product_deleted_needs_a_time() {
        let id = Uuid::now_v7();
        assert!(product_deleted(
            &json!({"product_id": id, "version": 2, "deleted_at": "2024-01-01T00:00:00Z"})
        )
        .is_some());
        assert!(product_deleted(&json!({"product_id": id, "version": 2})).is_none());
    }
}
