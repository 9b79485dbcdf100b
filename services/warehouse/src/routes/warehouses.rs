//! W1–W7: warehouses (contract: api/warehouse.md §2.2).

use std::collections::BTreeMap;

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use eshop_common::envelope::{created, deleted, ok, updated};
use eshop_common::extract::{Json, Query};
use eshop_common::AppError;
use serde::Deserialize;

use super::{has_params, list_reply, Id, Manager, Staff};
use crate::domain::allocation::{nearest_first, Source};
use crate::domain::validate::{paging, Checks};
use crate::domain::zip::{is_warehouse_zip, CustomerZip};
use crate::error::{is_unique_violation, ApiResult};
use crate::store::warehouses::{self, WarehouseFields, NAME_INDEX};
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct WarehouseBody {
    name: Option<String>,
    street: Option<String>,
    city: Option<String>,
    state: Option<String>,
    zip_code: Option<String>,
}

const LIMITS: [(&str, usize); 4] = [
    ("name", 200),
    ("street", 300),
    ("city", 100),
    ("state", 100),
];

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

/// W1.
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

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    skip: Option<i64>,
    limit: Option<i64>,
}

/// W2: live warehouses, main first, then by name.
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

/// W3.
pub async fn show(State(state): State<AppState>, _: Staff, Id(id): Id) -> ApiResult<Response> {
    let warehouse = warehouses::get_live(&state.pool, id)
        .await?
        .ok_or_else(|| AppError::not_found("warehouse not found"))?;
    Ok(ok(warehouse).into_response())
}

/// W4: any of the fields, same rules; the stored warehouse after the change.
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

#[derive(Debug, Deserialize)]
pub struct NearestBody {
    zip_codes: Option<Vec<String>>,
}

/// W5: the nearest live warehouse's zip for each input zip (stock ignored; compat shape).
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
    Ok(ok(serde_json::json!({ "warehouses": answer })).into_response())
}

/// W6: makes the warehouse the main one and clears the old main, in one transaction.
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

/// W7: soft delete; not the main warehouse, nor one holding stock.
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
    Ok(deleted(serde_json::Value::Null).into_response())
}
