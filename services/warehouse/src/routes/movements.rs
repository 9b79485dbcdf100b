//! M1–M7: transfers, manual shipments, adjustments and the movement history (contract:
//! api/warehouse.md §2.4).

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use eshop_common::envelope::{created, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Json, Query};
use eshop_common::openapi::{BearerRefused, DatabaseUnavailable, Fault, NotJson};
use serde::de::IgnoredAny;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    has_params, list_reply, locatable_zip, wanted, Id, ItemBody, ListReply, Manager, Staff,
};
use crate::domain::validate::{paging, Checks, MAX_UNITS};
use crate::domain::zip::CustomerZip;
use crate::error::{ApiError, ApiResult};
use crate::ops::moves::{self, AdjustInput, ShipmentInput, TransferInput};
use crate::store::movements::{self, Movement, MovementFilter, TYPES};
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

/// M1's body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MoveinBody {
    #[schema(value_type = Uuid, required = true)]
    product_id: Option<Uuid>,
    /// Sent by old clients; ignored (the name comes from the product copy).
    #[allow(dead_code)]
    #[schema(value_type = String, required = false)]
    product_name: Option<IgnoredAny>,
    #[schema(value_type = i64, required = true, minimum = 1, maximum = 1000000)]
    quantity: Option<i64>,
    #[schema(value_type = Uuid, required = true)]
    from_warehouse_id: Option<Uuid>,
    /// must differ from from_warehouse_id
    #[schema(value_type = Uuid, required = true)]
    to_warehouse_id: Option<Uuid>,
    /// blank counts as none
    #[schema(value_type = String, required = false, max_length = 500)]
    note: Option<String>,
}

/// M1 transfer between warehouses (staff)
///
/// Source `available -= quantity`; the destination row is created if needed and `available += quantity`;
/// one TRANSFER movement.
#[utoipa::path(
    post,
    path = "/v1/stock-movements/movein",
    operation_id = "movein",
    tag = "movements",
    request_body = MoveinBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "created", body = Envelope<Movement>),
        (status = 400, description = "bad input (field causes), e.g. from = to", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff", body = ErrorBody),
        (status = 404, description = "unknown product, or unknown or deleted warehouse (either side)", body = ErrorBody),
        (status = 409, description = "deleted product, or the source has less available (causes: quantity with available)", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        Fault,
        (status = 503, description = "the database is unavailable, or the stock stayed busy (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn movein(
    State(state): State<AppState>,
    Staff(user): Staff,
    Json(body): Json<MoveinBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let product_id = checks.required("product_id", body.product_id);
    let quantity = checks.int("quantity", body.quantity, 1, MAX_UNITS);
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

/// M2's body (compat key `zipcode`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MoveoutBody {
    /// no duplicate product ids
    #[schema(value_type = Vec<ItemBody>, required = true, min_items = 1, max_items = 100)]
    items: Option<Vec<ItemBody>>,
    #[schema(schema_with = locatable_zip, required = true)]
    zipcode: Option<String>,
    /// why stock leaves without an order
    #[schema(value_type = String, required = true, min_length = 1, max_length = 500)]
    note: Option<String>,
    #[schema(value_type = Uuid, required = false)]
    order_id: Option<Uuid>,
    /// the recipient; default the caller
    #[schema(value_type = Uuid, required = false)]
    user_id: Option<Uuid>,
}

/// M2 manual shipment with a note (managers)
///
/// Allocates like X1 (nearest warehouses first) and ships at once: one SHIPMENT movement per (product,
/// warehouse). All or nothing.
#[utoipa::path(
    post,
    path = "/v1/stock-movements/moveout",
    operation_id = "moveout",
    tag = "movements",
    request_body = MoveoutBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "created: the movements written", body = Envelope<Vec<Movement>>),
        (status = 400, description = "bad input (field causes)", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not a manager", body = ErrorBody),
        (status = 409, description = "a product short, unknown or deleted (one cause per failing item); nothing written", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        Fault,
        (status = 503, description = "the database is unavailable, or the stock stayed busy (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn moveout(
    State(state): State<AppState>,
    Manager(user): Manager,
    Json(body): Json<MoveoutBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let items = wanted(&mut checks, body.items.as_deref(), MAX_UNITS);
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

/// M7's body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AdjustBody {
    #[schema(value_type = Uuid, required = true)]
    warehouse_id: Option<Uuid>,
    #[schema(value_type = Uuid, required = true)]
    product_id: Option<Uuid>,
    /// ≠ 0: > 0 restocks, < 0 writes off
    #[schema(value_type = i64, required = true, minimum = -1000000, maximum = 1000000)]
    delta: Option<i64>,
    #[schema(value_type = String, required = true, min_length = 1, max_length = 500)]
    note: Option<String>,
}

/// M7 restock or write-off (managers)
///
/// `delta > 0`: the row is created if needed, an ADJUSTMENT into the warehouse; `delta < 0`: available must
/// cover it, an ADJUSTMENT out of it.
#[utoipa::path(
    post,
    path = "/v1/stock-movements/adjust",
    operation_id = "adjust",
    tag = "movements",
    request_body = AdjustBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "created", body = Envelope<Movement>),
        (status = 400, description = "bad input (field causes), e.g. delta 0", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not a manager", body = ErrorBody),
        (status = 404, description = "unknown product, or unknown or deleted warehouse", body = ErrorBody),
        (status = 409, description = "deleted product, or a write-off larger than available (causes: quantity with available)", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        Fault,
        (status = 503, description = "the database is unavailable, or the stock stayed busy (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn adjust(
    State(state): State<AppState>,
    Manager(user): Manager,
    Json(body): Json<AdjustBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let warehouse_id = checks.required("warehouse_id", body.warehouse_id);
    let product_id = checks.required("product_id", body.product_id);
    let delta = checks.int("delta", body.delta, -MAX_UNITS, MAX_UNITS);
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

/// M3's filters (new; combined with AND) and paging: any parameter turns the compat list into a page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementQuery {
    #[param(nullable = false)]
    product_id: Option<Uuid>,
    /// either side
    #[param(nullable = false)]
    warehouse_id: Option<Uuid>,
    #[param(nullable = false)]
    from_warehouse_id: Option<Uuid>,
    #[param(nullable = false)]
    to_warehouse_id: Option<Uuid>,
    #[serde(rename = "type")]
    #[param(schema_with = movements::types)]
    kind: Option<String>,
    #[param(nullable = false)]
    order_id: Option<Uuid>,
    /// the recipient
    #[param(nullable = false)]
    user_id: Option<Uuid>,
    /// RFC 3339, inclusive; not after until
    #[param(nullable = false)]
    since: Option<DateTime<Utc>>,
    /// RFC 3339, inclusive
    #[param(nullable = false)]
    until: Option<DateTime<Utc>>,
    #[param(nullable = false, minimum = 0, default = 0)]
    skip: Option<i64>,
    #[param(nullable = false, minimum = 1, maximum = 500, default = 50)]
    limit: Option<i64>,
}

/// M3 movement history, newest first (staff)
#[utoipa::path(
    get,
    path = "/v1/stock-movements",
    operation_id = "listMovements",
    tag = "movements",
    params(MovementQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "a page: `data` is an array and `count` the total (compat form without parameters: every row, `data: null` when empty)", body = ListReply<Movement>),
        (status = 400, description = "bad filter or paging", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
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

/// M4 by product (staff)
#[utoipa::path(
    get,
    path = "/v1/stock-movements/product/{product_id}",
    operation_id = "movementsByProduct",
    tag = "movements",
    params(("product_id" = Uuid, Path, description = "product id (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "newest first; array, or null when empty (compat)", body = ListReply<Movement>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
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

/// M5 by source warehouse (staff)
#[utoipa::path(
    get,
    path = "/v1/stock-movements/source/{source_id}",
    operation_id = "movementsBySource",
    tag = "movements",
    params(("source_id" = Uuid, Path, description = "source warehouse id (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "newest first; array, or null when empty (compat)", body = ListReply<Movement>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn by_source(State(state): State<AppState>, _: Staff, Id(id): Id) -> ApiResult<Response> {
    let filter = MovementFilter {
        from_warehouse_id: Some(id),
        ..MovementFilter::default()
    };
    compat(&state, filter).await
}

/// M6 by destination warehouse (staff)
#[utoipa::path(
    get,
    path = "/v1/stock-movements/destination/{destination_id}",
    operation_id = "movementsByDestination",
    tag = "movements",
    params(("destination_id" = Uuid, Path, description = "destination warehouse id (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "newest first; array, or null when empty (compat)", body = ListReply<Movement>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
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
