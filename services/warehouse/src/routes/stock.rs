//! S1–S6 and A1: stock rows and low-stock alerts (contract: api/warehouse.md §2.3).

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use eshop_common::auth::Role;
use eshop_common::envelope::{ok, updated, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Json, Query};
use eshop_common::openapi::{BearerRefused, DatabaseUnavailable, Fault, NotJson};
use eshop_common::AppError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    double_option, has_params, list_reply, locatable_zip, parse_id, Id, ListReply, Manager, Staff,
};
use crate::domain::allocation::{nearest_first, Source};
use crate::domain::validate::{paging, Checks, MAX_UNITS};
use crate::domain::zip::CustomerZip;
use crate::error::ApiResult;
use crate::store::stock::{self, StockFilter, StockView};
use crate::store::warehouses;
use crate::AppState;

/// S1's filters (new; combined with AND) and paging: any parameter turns the compat list into a page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StockQuery {
    #[param(nullable = false)]
    warehouse_id: Option<Uuid>,
    #[param(nullable = false)]
    product_id: Option<Uuid>,
    #[param(nullable = false)]
    category_id: Option<Uuid>,
    /// substring of the product's name or sku, any case (trimmed)
    #[param(nullable = false, min_length = 1, max_length = 100)]
    q: Option<String>,
    /// only rows under (true) or at or above (false) their threshold
    #[param(nullable = false)]
    low_stock: Option<bool>,
    /// also rows of deleted products (managers only, else 403)
    #[param(nullable = false, default = false)]
    include_deleted: Option<bool>,
    #[param(nullable = false, minimum = 0, default = 0)]
    skip: Option<i64>,
    #[param(nullable = false, minimum = 1, maximum = 500, default = 50)]
    limit: Option<i64>,
}

/// S1 stock rows, filtered (staff; include_deleted: managers)
///
/// Rows of deleted products and deleted warehouses are hidden by default. Main warehouse first, then
/// warehouse name, then product name.
#[utoipa::path(
    get,
    path = "/v1/warehouse-products",
    operation_id = "listStock",
    tag = "stock",
    params(StockQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "a page: `data` is an array and `count` the total (compat form without parameters: every row, `data: null` when empty)", body = ListReply<StockView>),
        (status = 400, description = "bad filter or paging", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff, or include_deleted=true without being a manager", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
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

/// S2 rows of one product (staff)
#[utoipa::path(
    get,
    path = "/v1/warehouse-products/product/{product_id}",
    operation_id = "stockByProduct",
    tag = "stock",
    params(("product_id" = Uuid, Path, description = "product id (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "array, or null when empty (compat; an unknown product too)", body = ListReply<StockView>),
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
    Id(product_id): Id,
) -> ApiResult<Response> {
    let filter = StockFilter {
        product_id: Some(product_id),
        ..StockFilter::default()
    };
    compat(&state, filter).await
}

/// S3 rows of one warehouse (staff)
#[utoipa::path(
    get,
    path = "/v1/warehouse-products/warehouse/{warehouse_id}",
    operation_id = "stockByWarehouse",
    tag = "stock",
    params(("warehouse_id" = Uuid, Path, description = "warehouse id (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "array, or null when empty (compat; an unknown warehouse too)", body = ListReply<StockView>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
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

/// S4 one row (staff)
#[utoipa::path(
    get,
    path = "/v1/warehouse-products/product/{product_id}/warehouse/{warehouse_id}",
    operation_id = "stockRow",
    tag = "stock",
    params(
        ("product_id" = Uuid, Path, description = "product id (a non-UUID answers 400)"),
        ("warehouse_id" = Uuid, Path, description = "warehouse id (a non-UUID answers 400)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<StockView>),
        (status = 400, description = "an id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff", body = ErrorBody),
        (status = 404, description = "no such row (or its warehouse is deleted)", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
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

/// S5's body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = NearestStockBody)]
pub struct NearestBody {
    /// the customer's zip code
    #[schema(schema_with = locatable_zip, required = true)]
    zip_code: Option<String>,
    #[schema(value_type = Uuid, required = true)]
    product_id: Option<Uuid>,
    /// new, optional
    #[schema(value_type = i64, required = false, minimum = 1, maximum = 1000000, default = 1)]
    quantity: Option<i64>,
}

/// S5's answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NearestStock {
    /// the warehouse's zip (compat)
    zip_code: String,
    warehouse_id: Uuid,
    /// its available units (≥ the quantity asked)
    #[schema(minimum = 1)]
    available: i32,
}

/// S5 nearest live warehouse holding at least quantity (staff)
#[utoipa::path(
    post,
    path = "/v1/warehouse-products/nearest",
    operation_id = "nearestStock",
    tag = "stock",
    request_body = NearestBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<NearestStock>),
        (status = 400, description = "bad input (field causes)", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff", body = ErrorBody),
        (status = 404, description = "no live warehouse holds that many of the product", body = ErrorBody),
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
    let quantity = checks.int("quantity", Some(body.quantity.unwrap_or(1)), 1, MAX_UNITS);
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
    Ok(ok(NearestStock {
        zip_code: best.zip_code,
        warehouse_id: best.warehouse_id,
        available: best.available,
    })
    .into_response())
}

/// S6's body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ThresholdBody {
    /// null = the default WAREHOUSE_LOW_STOCK_THRESHOLD
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>, required = true, minimum = 0, maximum = 1000000)]
    low_stock_threshold: Option<Option<i64>>,
}

/// S6 a row's low-stock threshold (managers)
#[utoipa::path(
    patch,
    path = "/v1/warehouse-products/{id}",
    operation_id = "setThreshold",
    tag = "stock",
    params(("id" = Uuid, Path, description = "stock row id (a non-UUID answers 400)")),
    request_body = ThresholdBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<StockView>),
        (status = 400, description = "bad input (field causes), or id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not a manager", body = ErrorBody),
        (status = 404, description = "no such row (or its warehouse is deleted)", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        Fault,
        DatabaseUnavailable,
    )
)]
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
        Some(Some(v)) => checks.int("low_stock_threshold", Some(v), 0, MAX_UNITS),
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

/// A1's filters and paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertQuery {
    #[param(nullable = false)]
    warehouse_id: Option<Uuid>,
    #[param(nullable = false)]
    product_id: Option<Uuid>,
    /// instead of each row's own threshold or the default
    #[param(nullable = false, minimum = 0, maximum = 1000000)]
    threshold: Option<i64>,
    #[param(nullable = false, minimum = 0, default = 0)]
    skip: Option<i64>,
    #[param(nullable = false, minimum = 1, maximum = 500, default = 50)]
    limit: Option<i64>,
}

/// A1 rows with available under the threshold, by available (staff)
///
/// Live warehouses and live products only; then by product name. Always paged.
#[utoipa::path(
    get,
    path = "/v1/stock-alerts",
    operation_id = "stockAlerts",
    tag = "stock",
    params(AlertQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "a page: `data` is an array and `count` the total", body = ListReply<StockView>),
        (status = 400, description = "bad threshold or paging", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not staff", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn alerts(
    State(state): State<AppState>,
    _: Staff,
    Query(q): Query<AlertQuery>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let threshold = q
        .threshold
        .and_then(|t| checks.int("threshold", Some(t), 0, MAX_UNITS));
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
