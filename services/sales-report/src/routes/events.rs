//! `POST /internal/events` — the consumer of order's `sale.created` and `sale.reversed`
//! (api/sales-report.md §2.7, §4; design §4.3). Only order's service token, with `source: "order"`.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::StatusCode;
use eshop_common::auth::ServiceCaller;
use eshop_common::envelope::{ok, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::openapi::{Fault, ServiceTokenRefused};
use eshop_common::outbox::{Envelope, EventResult};
use eshop_common::{AppError, AppResult, Cause};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::event::{parse_sale_created, parse_sale_reversed};
use crate::store::ingest::{self, Applied};
use crate::AppState;

/// design §4.3's answer plus `rows`, the number of rows inserted.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventAnswer {
    /// the envelope's `id`
    event_id: Uuid,
    /// applied, duplicate (the event id was already recorded; rows 0) or ignored (an unhandled type, or a
    /// reversal of an order without sale rows; rows 0)
    result: EventResult,
    /// rows inserted
    rows: u64,
}

fn counted(result: &'static str) {
    metrics::counter!("sales_events_total", "result" => result).increment(1);
}

fn rejected(envelope: &Envelope, causes: Vec<Cause>) -> AppError {
    counted("rejected");
    let rules: Vec<String> = causes
        .iter()
        .map(|c| format!("{} {}", c.field, c.message))
        .collect();
    tracing::warn!(event_id = %envelope.id, event_type = %envelope.event_type, rules = ?rules, "event refused");
    AppError::invalid_fields("the event's data breaks a rule", causes)
}

/// A margin total beyond `numeric(14,2)` (a huge recorded cost × quantity) breaks a rule of the data, not
/// the service: 400, nothing stored.
fn out_of_range(envelope: &Envelope, err: sqlx::Error) -> AppError {
    match &err {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("22003") => rejected(
            envelope,
            vec![Cause::new("items", "a margin total is out of range")],
        ),
        _ => err.into(),
    }
}

/// Event delivery from order: sale.created, sale.reversed (idempotent by event id)
///
/// api/sales-report.md §2.7, §4. Only order's service token. A rejected event is not recorded, so that it can
/// be redelivered after a fix.
#[utoipa::path(
    post,
    path = "/internal/events",
    operation_id = "receiveEvent",
    tag = "events",
    request_body(
        content = Envelope,
        description = "sale.created (data: order_id, user_id, accepted_at, items[{product_id, warehouse_id, \
                       quantity, price, product_name, sku, order_item_id}]) or sale.reversed (data: order_id, \
                       reversed_at); any other type is ignored; the source must be the caller, order (else 403); \
                       a recorded id answers duplicate"
    ),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "applied, duplicate or ignored (unknown type, or a reversal of an order without sales); message success get", body = eshop_common::envelope::Envelope<EventAnswer>),
        (status = 400, description = "unparsable envelope or data breaking a rule; nothing stored, the event id not recorded", body = ErrorBody),
        ServiceTokenRefused,
        (status = 403, description = "caller or source not allowed", body = ErrorBody),
        (status = 413, description = "body over 1 MiB", body = ErrorBody),
        Fault,
        (status = 503, description = "database unavailable; retry (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn receive(
    caller: ServiceCaller,
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<Reply<EventAnswer>> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge("the event is larger than 1 MiB".into())
        }
        _ => AppError::bad_request("the body could not be read"),
    })?;
    let envelope: Envelope = serde_json::from_slice(&body).map_err(|_| {
        counted("rejected");
        AppError::bad_request("the body is not an event envelope")
    })?;
    caller.check_event(&state.internal, &envelope.source, &envelope.event_type)?;
    let applied = match envelope.event_type.as_str() {
        "sale.created" => {
            let sale = parse_sale_created(&envelope.data, envelope.occurred_at)
                .map_err(|causes| rejected(&envelope, causes))?;
            ingest::record_sale(
                &state.pool,
                &envelope,
                &sale,
                state.settings.default_margin_rate,
            )
            .await
            .map_err(|err| out_of_range(&envelope, err))?
        }
        "sale.reversed" => {
            let reversal = parse_sale_reversed(&envelope.data, envelope.occurred_at)
                .map_err(|causes| rejected(&envelope, causes))?;
            let applied = ingest::record_reversal(&state.pool, &envelope, &reversal).await?;
            if applied == Applied::Ignored {
                tracing::info!(event_id = %envelope.id, order_id = %reversal.order_id, "reversal of an order without sale rows ignored");
            }
            applied
        }
        _ => Applied::Ignored,
    };
    let (result, rows, label) = match applied {
        Applied::Rows(rows) => (EventResult::Applied, rows, "applied"),
        Applied::Duplicate => (EventResult::Duplicate, 0, "duplicate"),
        Applied::Ignored => (EventResult::Ignored, 0, "ignored"),
    };
    counted(label);
    Ok(ok(EventAnswer {
        event_id: envelope.id,
        result,
        rows,
    }))
}
