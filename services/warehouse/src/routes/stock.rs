//! S1–S6 and A1: stock rows and low-stock alerts (contract: api/warehouse.md §2.3).

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use eshop_common::auth::Role;
use eshop_common::envelope::{ok, updated};
use eshop_common::extract::{Json, Query};
use eshop_common::AppError;
use serde::Deserialize;
use uuid::Uuid;

use super::{double_option, has_params, list_reply, parse_id, Id, Manager, Staff};
use crate::domain::allocation::{nearest_first, Source};
use crate::domain::validate::{paging, Checks};
use crate::domain::zip::CustomerZip;
use crate::error::ApiResult;
use crate::store::stock::{self, StockFilter};
use crate::store::warehouses;
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct StockQuery {
    warehouse_id: Option<Uuid>,
    product_id: Option<Uuid>,
    category_id: Option<Uuid>,
    q: Option<String>,
    low_stock: Option<bool>,
    include_deleted: Option<bool>,
    skip: Option<i64>,
    limit: Option<i64>,
}

/// S1: filters (new) or every row (compat).
pub async fn list(
    State(state): State<AppState>,
    Staff(user): Staff,
    RawQuery(raw): RawQuery,
    Query(q): Query<StockQuery>,
) -> ApiResult<Response> {
    let include_deleted = q.include_deleted.unwrap_or(false);
    if include_deleted {
        user.require_at_least(Role::WarehouseManager)?;
    }
    let mut checks = Checks::new();
    let text =
        q.q.as_deref()
            .and_then(|t| checks.present_text("q", t, 100));
    checks.finish()?;
    let paged = has_params(&raw);
    let page = if paged {
        Some(paging(q.skip, q.limit)?)
    } else {
        None
    };
    let filter = StockFilter {
        warehouse_id: q.warehouse_id,
        product_id: q.product_id,
        category_id: q.category_id,
        q: text,
        low_stock: q.low_stock,
        include_deleted,
        ..StockFilter::default()
    };
    let (rows, count) = stock::list(&state.pool, &filter, page, state.low_stock_threshold).await?;
    Ok(list_reply(rows, count, paged))
}

async fn compat(state: &AppState, filter: StockFilter) -> ApiResult<Response> {
    let (rows, count) = stock::list(&state.pool, &filter, None, state.low_stock_threshold).await?;
    Ok(list_reply(rows, count, false))
}

/// S2: rows of one product, array or null.
pub async fn by_product(
    State(state): State<AppState>,
    _: Staff,
    Id(product_id): Id,
) -> ApiResult<Response> {
    let filter = StockFilter {
        product_id: Some(product_id),
        ..StockFilter::default()
    };
    compat(&state, filter).await
}

/// S3: rows of one warehouse, array or null.
pub async fn by_warehouse(
    State(state): State<AppState>,
    _: Staff,
    Id(warehouse_id): Id,
) -> ApiResult<Response> {
    let filter = StockFilter {
        warehouse_id: Some(warehouse_id),
        ..StockFilter::default()
    };
    compat(&state, filter).await
}

/// S4: one row; none → 404.
pub async fn one(
    State(state): State<AppState>,
    _: Staff,
    Path((product, warehouse)): Path<(String, String)>,
) -> ApiResult<Response> {
    let filter = StockFilter {
        product_id: Some(parse_id(&product, "product_id")?),
        warehouse_id: Some(parse_id(&warehouse, "warehouse_id")?),
        include_deleted: true,
        ..StockFilter::default()
    };
    let (rows, _) = stock::list(&state.pool, &filter, None, state.low_stock_threshold).await?;
    let row = rows
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found("stock row not found"))?;
    Ok(ok(row).into_response())
}

#[derive(Debug, Deserialize)]
pub struct NearestBody {
    zip_code: Option<String>,
    product_id: Option<Uuid>,
    quantity: Option<i64>,
}

/// S5: the nearest live warehouse holding at least `quantity` of the product.
pub async fn nearest(
    State(state): State<AppState>,
    _: Staff,
    Json(body): Json<NearestBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let zip = match body.zip_code.as_deref().map(CustomerZip::parse) {
        None => {
            checks.fail("zip_code", "is required");
            None
        }
        Some(None) => {
            checks.fail("zip_code", "must be 1 to 10 digits");
            None
        }
        Some(zip) => zip,
    };
    let product_id = checks.required("product_id", body.product_id);
    let quantity = checks.int("quantity", Some(body.quantity.unwrap_or(1)), 1, 1_000_000);
    checks.finish()?;
    let (Some(zip), Some(product_id), Some(quantity)) = (zip, product_id, quantity) else {
        return Err(AppError::bad_request("invalid input").into());
    };
    let filter = StockFilter {
        product_id: Some(product_id),
        ..StockFilter::default()
    };
    let (rows, _) = stock::list(&state.pool, &filter, None, state.low_stock_threshold).await?;
    let places = warehouses::live_locations(&state.pool).await?;
    let mut sources: Vec<Source> = rows
        .iter()
        .filter(|r| r.product_quantity >= quantity)
        .filter_map(|r| {
            let (id, zip_code, main) = places.iter().find(|(id, _, _)| *id == r.warehouse_id)?;
            Some(Source {
                warehouse_id: *id,
                zip_code: zip_code.clone(),
                is_main: *main,
                available: r.product_quantity,
            })
        })
        .collect();
    nearest_first(zip, &mut sources);
    let best = sources
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found("no warehouse holds enough of this product"))?;
    Ok(ok(serde_json::json!({
        "zip_code": best.zip_code,
        "warehouse_id": best.warehouse_id,
        "available": best.available,
    }))
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct ThresholdBody {
    #[serde(default, deserialize_with = "double_option")]
    low_stock_threshold: Option<Option<i64>>,
}

/// S6: a row's own low-stock threshold (`null` = the default).
pub async fn set_threshold(
    State(state): State<AppState>,
    _: Manager,
    Id(id): Id,
    Json(body): Json<ThresholdBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let threshold = match body.low_stock_threshold {
        None => {
            checks.fail("low_stock_threshold", "is required (a number or null)");
            None
        }
        Some(None) => None,
        Some(Some(v)) => checks.int("low_stock_threshold", Some(v), 0, 1_000_000),
    };
    checks.finish()?;
    if !stock::set_threshold(&state.pool, id, threshold).await? {
        return Err(AppError::not_found("stock row not found").into());
    }
    let filter = StockFilter {
        id: Some(id),
        include_deleted: true,
        ..StockFilter::default()
    };
    let (rows, _) = stock::list(&state.pool, &filter, None, state.low_stock_threshold).await?;
    let row = rows
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found("stock row not found"))?;
    Ok(updated(row).into_response())
}

#[derive(Debug, Deserialize)]
pub struct AlertQuery {
    warehouse_id: Option<Uuid>,
    product_id: Option<Uuid>,
    threshold: Option<i64>,
    skip: Option<i64>,
    limit: Option<i64>,
}

/// A1: rows with available under the threshold, by available then product name; always paged.
pub async fn alerts(
    State(state): State<AppState>,
    _: Staff,
    Query(q): Query<AlertQuery>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let threshold = q
        .threshold
        .and_then(|t| checks.int("threshold", Some(t), 0, 1_000_000));
    checks.finish()?;
    let page = paging(q.skip, q.limit)?;
    let filter = StockFilter {
        warehouse_id: q.warehouse_id,
        product_id: q.product_id,
        alert_below: Some(threshold),
        ..StockFilter::default()
    };
    let (rows, count) =
        stock::list(&state.pool, &filter, Some(page), state.low_stock_threshold).await?;
    Ok(list_reply(rows, count, true))
}
