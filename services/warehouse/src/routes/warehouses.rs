//! W1–W7: warehouses (contract: api/warehouse.md §2.2).

use std::collections::BTreeMap;

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use eshop_common::envelope::{created, deleted, ok, updated, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Json, Query};
use eshop_common::openapi::{BearerRefused, DatabaseUnavailable, Fault, NotJson, Null};
use eshop_common::AppError;
use serde::{Deserialize, Serialize};

use super::{customer_zips, has_params, list_reply, Id, ListReply, Manager, Staff};
use crate::domain::allocation::{nearest_first, Source};
use crate::domain::validate::{paging, Checks};
use crate::domain::zip::{is_warehouse_zip, CustomerZip};
use crate::error::{is_unique_violation, ApiResult};
use crate::store::warehouses::{self, Warehouse, WarehouseFields, NAME_INDEX};
use crate::AppState;

/// W1 (every field required) and W4 (any of them, at least one). Strings are trimmed first.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct WarehouseBody {
    #[schema(value_type = String, required = false, min_length = 1, max_length = 200)]
    name: Option<String>,
    #[schema(value_type = String, required = false, min_length = 1, max_length = 300)]
    street: Option<String>,
    #[schema(value_type = String, required = false, min_length = 1, max_length = 100)]
    city: Option<String>,
    #[schema(value_type = String, required = false, min_length = 1, max_length = 100)]
    state: Option<String>,
    #[schema(value_type = String, required = false, pattern = "^[0-9]{5}$")]
    zip_code: Option<String>,
}

const LIMITS: [(&str, usize); 4] = [
    ("name", 200),
    ("street", 300),
    ("city", 100),
    ("state", 100),
];

// The literals of `max_length` above.
const _: () =
    assert!(LIMITS[0].1 == 200 && LIMITS[1].1 == 300 && LIMITS[2].1 == 100 && LIMITS[3].1 == 100);

fn zip(checks: &mut Checks, raw: &str) -> Option<String> {
    let raw = raw.trim();
    if is_warehouse_zip(raw) {
        Some(raw.to_string())
    } else {
        checks.fail("zip_code", "must be 5 digits");
        None
    }
}

fn name_taken(err: sqlx::Error) -> crate::error::ApiError {
    if is_unique_violation(&err, NAME_INDEX) {
        AppError::conflict("a warehouse with this name already exists").into()
    } else {
        err.into()
    }
}

/// W1 create a warehouse (managers)
///
/// Every field required; never the main warehouse. A live warehouse with the same name (any case) → 409.
#[utoipa::path(
    post,
    path = "/v1/warehouse",
    operation_id = "createWarehouse",
    tag = "warehouses",
    request_body = WarehouseBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "created", body = Envelope<Warehouse>),
        (status = 400, description = "bad input (field causes)", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not a manager", body = ErrorBody),
        (status = 409, description = "a live warehouse already has this name", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    _: Manager,
    Json(body): Json<WarehouseBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let values = [&body.name, &body.street, &body.city, &body.state];
    let texts: Vec<Option<String>> = LIMITS
        .iter()
        .zip(values)
        .map(|((field, max), v)| checks.text(field, v.as_deref(), *max))
        .collect();
    let zip_code = match &body.zip_code {
        None => {
            checks.fail("zip_code", "is required");
            None
        }
        Some(z) => zip(&mut checks, z),
    };
    checks.finish()?;
    let [name, street, city, state_name]: [Option<String>; 4] =
        texts.try_into().unwrap_or_default();
    let fields = WarehouseFields {
        name,
        street,
        city,
        state: state_name,
        zip_code,
    };
    let warehouse = warehouses::insert(&state.pool, &fields)
        .await
        .map_err(name_taken)?;
    Ok(created(warehouse).into_response())
}

/// Paging of W2 (§2.1 "Lists"): any parameter turns the compat list into a page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    #[param(nullable = false, minimum = 0, default = 0)]
    skip: Option<i64>,
    #[param(nullable = false, minimum = 1, maximum = 500, default = 50)]
    limit: Option<i64>,
}

/// W2 live warehouses, main first, then by name (staff)
#[utoipa::path(
    get,
    path = "/v1/warehouse",
    operation_id = "listWarehouses",
    tag = "warehouses",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "a page: `data` is an array and `count` the total (compat form without parameters: every row, `data: null` when empty)", body = ListReply<Warehouse>),
        (status = 400, description = "bad paging", body = ErrorBody),
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
    Query(q): Query<PageQuery>,
) -> ApiResult<Response> {
    let paged = has_params(&raw);
    let page = if paged {
        Some(paging(q.skip, q.limit)?)
    } else {
        None
    };
    let (rows, count) = warehouses::list(&state.pool, page).await?;
    Ok(list_reply(rows, count, paged))
}

/// W3 one live warehouse (staff)
#[utoipa::path(
    get,
    path = "/v1/warehouse/{id}",
    operation_id = "getWarehouse",
    tag = "warehouses",
    params(("id" = Uuid, Path, description = "warehouse id (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<Warehouse>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff", body = ErrorBody),
        (status = 404, description = "unknown or deleted warehouse", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn show(State(state): State<AppState>, _: Staff, Id(id): Id) -> ApiResult<Response> {
    let warehouse = warehouses::get_live(&state.pool, id)
        .await?
        .ok_or_else(|| AppError::not_found("warehouse not found"))?;
    Ok(ok(warehouse).into_response())
}

/// W4 change any of the fields (managers)
///
/// Same rules as W1, at least one field; `data` is the stored warehouse after the change.
#[utoipa::path(
    patch,
    path = "/v1/warehouse/{id}",
    operation_id = "updateWarehouse",
    tag = "warehouses",
    params(("id" = Uuid, Path, description = "warehouse id (a non-UUID answers 400)")),
    request_body = WarehouseBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<Warehouse>),
        (status = 400, description = "bad input (field causes), no field, or id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not a manager", body = ErrorBody),
        (status = 404, description = "unknown or deleted warehouse", body = ErrorBody),
        (status = 409, description = "a live warehouse already has this name", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn update(
    State(state): State<AppState>,
    _: Manager,
    Id(id): Id,
    Json(body): Json<WarehouseBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let values = [&body.name, &body.street, &body.city, &body.state];
    let texts: Vec<Option<String>> = LIMITS
        .iter()
        .zip(values)
        .map(|((field, max), v)| {
            v.as_deref()
                .and_then(|v| checks.present_text(field, v, *max))
        })
        .collect();
    let zip_code = body.zip_code.as_deref().and_then(|z| zip(&mut checks, z));
    let sent = values.iter().any(|v| v.is_some()) || body.zip_code.is_some();
    if !sent {
        checks.fail(
            "body",
            "send at least one of name, street, city, state, zip_code",
        );
    }
    checks.finish()?;
    let [name, street, city, state_name]: [Option<String>; 4] =
        texts.try_into().unwrap_or_default();
    let fields = WarehouseFields {
        name,
        street,
        city,
        state: state_name,
        zip_code,
    };
    let warehouse = warehouses::update(&state.pool, id, &fields)
        .await
        .map_err(name_taken)?
        .ok_or_else(|| AppError::not_found("warehouse not found"))?;
    Ok(updated(warehouse).into_response())
}

/// W5's body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = ZipCodesBody)]
pub struct NearestBody {
    /// 0–100 customer zip codes
    #[schema(schema_with = customer_zips, required = true)]
    zip_codes: Option<Vec<String>>,
}

/// W5's answer (compat shape).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NearestWarehouses {
    /// input zip → zip of the nearest live warehouse (absent when there is no live warehouse)
    warehouses: BTreeMap<String, String>,
}

/// W5 nearest live warehouse zip per input zip (staff)
///
/// Stock is ignored. Distance: |customer zip − warehouse zip| as integers; ties → the main warehouse, then
/// the smaller id.
#[utoipa::path(
    post,
    path = "/v1/warehouse/nearest",
    operation_id = "nearestWarehouses",
    tag = "warehouses",
    request_body = NearestBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<NearestWarehouses>),
        (status = 400, description = "bad input (field causes)", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn nearest(
    State(state): State<AppState>,
    _: Staff,
    Json(body): Json<NearestBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let zips = body.zip_codes.unwrap_or_else(|| {
        checks.fail("zip_codes", "is required");
        Vec::new()
    });
    if zips.len() > 100 {
        checks.fail("zip_codes", "must hold at most 100 zip codes");
    }
    let parsed: Vec<(String, Option<CustomerZip>)> = zips
        .into_iter()
        .map(|z| {
            let p = CustomerZip::parse(&z);
            (z, p)
        })
        .collect();
    for (i, (_, p)) in parsed.iter().enumerate() {
        if p.is_none() {
            checks.fail(format!("zip_codes[{i}]"), "must be 1 to 10 digits");
        }
    }
    checks.finish()?;
    let places = warehouses::live_locations(&state.pool).await?;
    let mut answer = BTreeMap::new();
    for (raw, zip) in parsed {
        let Some(zip) = zip else { continue };
        let mut sources: Vec<Source> = places
            .iter()
            .map(|(id, z, main)| Source {
                warehouse_id: *id,
                zip_code: z.clone(),
                is_main: *main,
                available: 0,
            })
            .collect();
        nearest_first(zip, &mut sources);
        if let Some(first) = sources.into_iter().next() {
            answer.insert(raw, first.zip_code);
        }
    }
    Ok(ok(NearestWarehouses { warehouses: answer }).into_response())
}

/// W6 make it the main warehouse (managers)
///
/// Clears the old main in the same transaction; already main → 200, no change.
#[utoipa::path(
    post,
    path = "/v1/warehouse/{id}/main",
    operation_id = "makeMainWarehouse",
    tag = "warehouses",
    params(("id" = Uuid, Path, description = "warehouse id (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<Warehouse>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not a manager", body = ErrorBody),
        (status = 404, description = "unknown or deleted warehouse", body = ErrorBody),
        Fault,
        (status = 503, description = "the database is unavailable, or the main warehouse kept changing (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn make_main(
    State(state): State<AppState>,
    _: Manager,
    Id(id): Id,
) -> ApiResult<Response> {
    // A concurrent W6 may move the flag while we wait for the lock; the main row then drops out of
    // our result and we look again.
    for _ in 0..50 {
        let mut tx = state.pool.begin().await?;
        let rows = warehouses::lock_for_main(&mut tx, id).await?;
        let Some(target) = rows.iter().find(|r| r.id == id && r.live) else {
            return Err(AppError::not_found("warehouse not found").into());
        };
        if !target.is_main_warehouse {
            let Some(old) = rows.iter().find(|r| r.is_main_warehouse) else {
                tx.rollback().await?;
                continue;
            };
            warehouses::move_main(&mut tx, old.id, id).await?;
        }
        tx.commit().await?;
        let warehouse = warehouses::get_live(&state.pool, id)
            .await?
            .ok_or_else(|| AppError::not_found("warehouse not found"))?;
        return Ok(updated(warehouse).into_response());
    }
    Err(AppError::unavailable(
        "the main warehouse is changing, retry",
        "W6 retries exhausted",
    )
    .into())
}

/// W7 soft delete; not the main one nor one holding stock (managers)
#[utoipa::path(
    delete,
    path = "/v1/warehouse/{id}",
    operation_id = "deleteWarehouse",
    tag = "warehouses",
    params(("id" = Uuid, Path, description = "warehouse id (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "deleted; `data` is null", body = Envelope<Null>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not a manager", body = ErrorBody),
        (status = 404, description = "unknown or deleted warehouse", body = ErrorBody),
        (status = 409, description = "the main warehouse, or one holding stock (available + reserved > 0)", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn remove(State(state): State<AppState>, _: Manager, Id(id): Id) -> ApiResult<Response> {
    let mut tx = state.pool.begin().await?;
    let row = warehouses::lock_one(&mut tx, id)
        .await?
        .filter(|w| w.live)
        .ok_or_else(|| AppError::not_found("warehouse not found"))?;
    if row.is_main_warehouse {
        return Err(AppError::conflict("the main warehouse cannot be deleted").into());
    }
    if warehouses::holds_stock(&mut tx, id).await? {
        return Err(AppError::conflict("the warehouse still holds stock").into());
    }
    warehouses::soft_delete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(deleted(Null).into_response())
}
