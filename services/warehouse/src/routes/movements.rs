//! M1–M7: transfers, manual shipments, adjustments and the movement history (contract:
//! api/warehouse.md §2.4).

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use eshop_common::envelope::created;
use eshop_common::extract::{Json, Query};
use serde::Deserialize;
use uuid::Uuid;

use super::{has_params, list_reply, wanted, Id, ItemBody, Manager, Staff};
use crate::domain::validate::{paging, Checks};
use crate::domain::zip::CustomerZip;
use crate::error::{ApiError, ApiResult};
use crate::ops::moves::{self, AdjustInput, ShipmentInput, TransferInput};
use crate::store::movements::{self, MovementFilter, TYPES};
use crate::AppState;

/// An optional note that is blank counts as absent (the admin app's empty field); a required one must
/// hold text.
fn note(checks: &mut Checks, value: Option<&str>, required: bool) -> Option<String> {
    match value {
        None if !required => None,
        Some(v) if !required && v.trim().is_empty() => None,
        v => checks.text("note", v, 500),
    }
}

fn invalid() -> ApiError {
    eshop_common::AppError::bad_request("invalid input").into()
}

#[derive(Debug, Deserialize)]
pub struct MoveinBody {
    product_id: Option<Uuid>,
    quantity: Option<i64>,
    from_warehouse_id: Option<Uuid>,
    to_warehouse_id: Option<Uuid>,
    note: Option<String>,
}

/// M1 movein = transfer between two warehouses (`product_name` is accepted and ignored).
pub async fn movein(
    State(state): State<AppState>,
    Staff(user): Staff,
    Json(body): Json<MoveinBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let product_id = checks.required("product_id", body.product_id);
    let quantity = checks.int("quantity", body.quantity, 1, 1_000_000);
    let from = checks.required("from_warehouse_id", body.from_warehouse_id);
    let to = checks.required("to_warehouse_id", body.to_warehouse_id);
    if from.is_some() && from == to {
        checks.fail("to_warehouse_id", "must differ from from_warehouse_id");
    }
    let note = note(&mut checks, body.note.as_deref(), false);
    checks.finish()?;
    let (Some(product_id), Some(quantity), Some(from), Some(to)) = (product_id, quantity, from, to)
    else {
        return Err(invalid());
    };
    let input = TransferInput {
        product_id,
        from,
        to,
        quantity,
        note,
        created_by: user.user_id,
    };
    let movement = moves::transfer(&state.pool, &input).await?;
    state.stock_changed();
    Ok(created(movement).into_response())
}

#[derive(Debug, Deserialize)]
pub struct MoveoutBody {
    items: Option<Vec<ItemBody>>,
    zipcode: Option<String>,
    note: Option<String>,
    order_id: Option<Uuid>,
    user_id: Option<Uuid>,
}

/// M2 moveout = a manager's manual shipment with a note; all or nothing.
pub async fn moveout(
    State(state): State<AppState>,
    Manager(user): Manager,
    Json(body): Json<MoveoutBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let items = wanted(&mut checks, body.items.as_deref(), 1_000_000);
    let zip = match body.zipcode.as_deref().map(CustomerZip::parse) {
        None => {
            checks.fail("zipcode", "is required");
            None
        }
        Some(None) => {
            checks.fail("zipcode", "must be 1 to 10 digits");
            None
        }
        Some(zip) => zip,
    };
    let note = note(&mut checks, body.note.as_deref(), true);
    checks.finish()?;
    let (Some(zip), Some(note)) = (zip, note) else {
        return Err(invalid());
    };
    let input = ShipmentInput {
        zip,
        items,
        note,
        order_id: body.order_id,
        to_user: body.user_id.unwrap_or(user.user_id),
        created_by: user.user_id,
    };
    let written = moves::ship(&state.pool, &input).await?;
    state.stock_changed();
    Ok(created(written).into_response())
}

#[derive(Debug, Deserialize)]
pub struct AdjustBody {
    warehouse_id: Option<Uuid>,
    product_id: Option<Uuid>,
    delta: Option<i64>,
    note: Option<String>,
}

/// M7: restock (`delta > 0`) or write-off (`delta < 0`) with a note.
pub async fn adjust(
    State(state): State<AppState>,
    Manager(user): Manager,
    Json(body): Json<AdjustBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let warehouse_id = checks.required("warehouse_id", body.warehouse_id);
    let product_id = checks.required("product_id", body.product_id);
    let delta = checks.int("delta", body.delta, -1_000_000, 1_000_000);
    if delta == Some(0) {
        checks.fail("delta", "must not be 0");
    }
    let note = note(&mut checks, body.note.as_deref(), true);
    checks.finish()?;
    let (Some(warehouse_id), Some(product_id), Some(delta), Some(note)) =
        (warehouse_id, product_id, delta, note)
    else {
        return Err(invalid());
    };
    let input = AdjustInput {
        warehouse_id,
        product_id,
        delta,
        note,
        created_by: user.user_id,
    };
    let movement = moves::adjust(&state.pool, &input).await?;
    state.stock_changed();
    Ok(created(movement).into_response())
}

#[derive(Debug, Deserialize)]
pub struct MovementQuery {
    product_id: Option<Uuid>,
    warehouse_id: Option<Uuid>,
    from_warehouse_id: Option<Uuid>,
    to_warehouse_id: Option<Uuid>,
    #[serde(rename = "type")]
    kind: Option<String>,
    order_id: Option<Uuid>,
    user_id: Option<Uuid>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    skip: Option<i64>,
    limit: Option<i64>,
}

/// M3: filters (new) or every movement (compat), newest first.
pub async fn list(
    State(state): State<AppState>,
    _: Staff,
    RawQuery(raw): RawQuery,
    Query(q): Query<MovementQuery>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    if let Some(kind) = &q.kind {
        if !TYPES.contains(&kind.as_str()) {
            checks.fail("type", "must be INITIAL, TRANSFER, SHIPMENT or ADJUSTMENT");
        }
    }
    if let (Some(since), Some(until)) = (q.since, q.until) {
        if since > until {
            checks.fail("since", "must not be after until");
        }
    }
    checks.finish()?;
    let paged = has_params(&raw);
    let page = if paged {
        Some(paging(q.skip, q.limit)?)
    } else {
        None
    };
    let filter = MovementFilter {
        product_id: q.product_id,
        warehouse_id: q.warehouse_id,
        from_warehouse_id: q.from_warehouse_id,
        to_warehouse_id: q.to_warehouse_id,
        kind: q.kind,
        order_id: q.order_id,
        user_id: q.user_id,
        since: q.since,
        until: q.until,
    };
    let (rows, count) = movements::list(&state.pool, &filter, page).await?;
    Ok(list_reply(rows, count, paged))
}

async fn compat(state: &AppState, filter: MovementFilter) -> ApiResult<Response> {
    let (rows, count) = movements::list(&state.pool, &filter, None).await?;
    Ok(list_reply(rows, count, false))
}

/// M4: by product, newest first, array or null.
pub async fn by_product(
    State(state): State<AppState>,
    _: Staff,
    Id(id): Id,
) -> ApiResult<Response> {
    let filter = MovementFilter {
        product_id: Some(id),
        ..MovementFilter::default()
    };
    compat(&state, filter).await
}

/// M5: by source warehouse.
pub async fn by_source(State(state): State<AppState>, _: Staff, Id(id): Id) -> ApiResult<Response> {
    let filter = MovementFilter {
        from_warehouse_id: Some(id),
        ..MovementFilter::default()
    };
    compat(&state, filter).await
}

/// M6: by destination warehouse.
pub async fn by_destination(
    State(state): State<AppState>,
    _: Staff,
    Id(id): Id,
) -> ApiResult<Response> {
    let filter = MovementFilter {
        to_warehouse_id: Some(id),
        ..MovementFilter::default()
    };
    compat(&state, filter).await
}
