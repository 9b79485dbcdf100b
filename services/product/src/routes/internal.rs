//! X1 `POST /internal/products/lookup` (cart, order) and X2 `POST /internal/events` (warehouse), behind
//! per-caller service tokens (contract: api/product.md §2.10, §5.2; auth.md §2.6).

use std::sync::Arc;

use axum::extract::State;
use axum::response::IntoResponse;
use eshop_common::auth::{InternalAuth, ServiceCaller};
use eshop_common::envelope::ok;
use eshop_common::extract::Json;
use eshop_common::outbox::{Envelope, EventResponse, EventResult};
use eshop_common::{AppError, Cause};
use serde::Deserialize;
use uuid::Uuid;

use crate::events::STOCK_CHANGED;
use crate::store::{products, StoreError};
use crate::AppState;

#[derive(Deserialize)]
pub struct Lookup {
    ids: Vec<String>,
}

/// X1: consistent `BatchGetItem` (coalesced with concurrent lookups, `store::lookup`), bypassing the
/// snapshot; deleted products included, unknown ids absent.
pub async fn lookup(
    State(state): State<AppState>,
    _caller: ServiceCaller,
    Json(body): Json<Lookup>,
) -> Result<impl IntoResponse, AppError> {
    if body.ids.is_empty() || body.ids.len() > 100 {
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

/// X2: `stock.changed` is one conditional update guarded by `stock_version`; other types are ignored.
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
