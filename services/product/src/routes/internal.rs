//! X1 `POST /internal/products/lookup` (cart, order) and X2 `POST /internal/events` (warehouse), behind
//! per-caller service tokens (contract: api/product.md §2.10, §5.2; auth.md §2.6).

use std::sync::Arc;

use axum::extract::State;
use axum::response::IntoResponse;
use eshop_common::auth::{InternalAuth, ServiceCaller};
use eshop_common::envelope::{self, ok};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::{NotJson, ServiceTokenRefused};
use eshop_common::outbox::{Envelope, EventResponse, EventResult};
use eshop_common::{AppError, Cause};
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::ProductView;
use crate::events::STOCK_CHANGED;
use crate::store::{products, StoreError};
use crate::AppState;

/// X1 takes 1 to this many ids.
pub const LOOKUP_MAX_IDS: usize = 100;

// The literal of `ids` below.
const _: () = assert!(LOOKUP_MAX_IDS == 100);

/// X1's body.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct Lookup {
    /// product ids (repeats are looked up once)
    #[schema(value_type = Vec<Uuid>, min_items = 1, max_items = 100)]
    ids: Vec<String>,
}

/// X1: products by id with consistent reads, deleted ones included (service tokens: cart, order)
///
/// api/product.md §2.10. A consistent BatchGetItem (coalesced with concurrent lookups), bypassing the
/// snapshot; unknown ids are absent.
#[utoipa::path(
    post,
    path = "/internal/products/lookup",
    operation_id = "lookupProducts",
    tag = "internal",
    request_body = Lookup,
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "the products found, deleted ones with deleted_at; unknown ids absent", body = envelope::Envelope<Vec<ProductView>>),
        (status = 400, description = "malformed JSON, 0 or more than 100 ids, a non-UUID id (with causes)", body = ErrorBody),
        ServiceTokenRefused,
        (status = 403, description = "caller not allowed (only cart and order)", body = ErrorBody),
        (status = 413, description = "body over 64 KiB", body = ErrorBody),
        NotJson,
        (status = 503, description = "the table unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn lookup(
    State(state): State<AppState>,
    _caller: ServiceCaller,
    Json(body): Json<Lookup>,
) -> Result<impl IntoResponse, AppError> {
    if body.ids.is_empty() || body.ids.len() > LOOKUP_MAX_IDS {
        return Err(AppError::invalid_fields(
            "invalid lookup",
            vec![Cause::new("ids", "must hold 1 to 100 product ids")],
        ));
    }
    let mut ids: Vec<Uuid> = Vec::with_capacity(body.ids.len());
    for raw in &body.ids {
        let id = Uuid::parse_str(raw).map_err(|_| {
            AppError::invalid_fields("invalid lookup", vec![Cause::new("ids", "must be UUIDs")])
        })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let found = state.lookups.get(&ids).await?;
    let base = &state.snapshot.settings.image_base_url;
    let data: Vec<_> = state.snapshot.read(|c| {
        found
            .iter()
            .map(|p| p.view(base, c.category_of(p)))
            .collect()
    });
    Ok(ok(data))
}

/// The fields of `stock.changed` the product service reads (contract: api/product.md §5.2).
#[derive(Deserialize)]
struct StockChanged {
    product_id: Uuid,
    quantity: i64,
    stock_version: i64,
}

/// X2: event delivery (service token: warehouse; handles stock.changed)
///
/// api/product.md §2.10, §5.2. stock.changed is one conditional update guarded by stock_version (no
/// transaction); other types are answered ignored.
#[utoipa::path(
    post,
    path = "/internal/events",
    operation_id = "receiveEvent",
    tag = "internal",
    request_body(
        content = Envelope,
        description = "stock.changed (data: product_id, quantity (>= 0), reserved, stock_version (>= 1), reason, \
                       changed_at) is handled, any other type is answered ignored; the source must be the caller, \
                       warehouse (else 403)"
    ),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "what was done: applied; duplicate (this stock_version was already applied); ignored (another type, an older stock_version or an unknown product)", body = envelope::Envelope<EventResponse>),
        (status = 400, description = "malformed JSON, an unusable envelope or stock.changed data", body = ErrorBody),
        ServiceTokenRefused,
        (status = 403, description = "caller not allowed (only warehouse), or source is not the caller", body = ErrorBody),
        (status = 413, description = "body over 64 KiB", body = ErrorBody),
        NotJson,
        (status = 503, description = "the table unavailable; the relay retries (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn events(
    State(state): State<AppState>,
    caller: ServiceCaller,
    Json(body): Json<serde_json::Value>,
) -> Result<impl IntoResponse, AppError> {
    let envelope: Envelope = serde_json::from_value(body)
        .map_err(|e| AppError::bad_request(format!("invalid event envelope: {e}")))?;
    caller.check_event(
        &Arc::<InternalAuth>::clone(&state.internal),
        &envelope.source,
        &envelope.event_type,
    )?;
    let answer = |result| {
        ok(EventResponse {
            event_id: envelope.id,
            result,
        })
    };
    if envelope.event_type != STOCK_CHANGED {
        return Ok(answer(EventResult::Ignored));
    }
    let data: StockChanged = serde_json::from_value(envelope.data.clone())
        .map_err(|e| AppError::bad_request(format!("invalid stock.changed data: {e}")))?;
    if data.quantity < 0 || data.stock_version < 1 {
        return Err(AppError::bad_request(
            "invalid stock.changed data: quantity must be >= 0 and stock_version >= 1",
        ));
    }
    let table = &state.names.products_table;
    let db = &state.aws.dynamodb;
    match products::apply_stock(
        db,
        table,
        data.product_id,
        data.quantity,
        data.stock_version,
    )
    .await
    {
        Ok(product) => {
            state.snapshot.apply_product(product);
            Ok(answer(EventResult::Applied))
        }
        Err(StoreError::ConditionFailed) => {
            // Read back: the same version is a redelivery; an older one or an unknown product is ignored.
            let stored = products::get(db, table, data.product_id).await?;
            let result = match stored {
                Some(p) if p.stock_version == data.stock_version => EventResult::Duplicate,
                _ => EventResult::Ignored,
            };
            Ok(answer(result))
        }
        Err(e) => Err(AppError::unavailable(
            "the catalogue store is unavailable",
            format!("{e:?}"),
        )),
    }
}
