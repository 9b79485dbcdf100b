//! Reads: O1 own orders, O2 all orders (admin) or orders to ship (warehouse roles), O3 one order,
//! O4 its timer, O7 its history (api/order.md §3.2–3.4).

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json as AxumJson;
use chrono::{DateTime, Utc};
use eshop_common::auth::{AuthUser, Role};
use eshop_common::envelope::{ok, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Path, Query};
use eshop_common::openapi::{BearerRefused, DatabaseUnavailable, Fault};
use eshop_common::{AppError, AppResult};
use serde::Serialize;

use super::view::{history_view, order_view, ttl_seconds, Audience, HistoryView, OrderView};
use super::{order_id, owner_or_admin, read_audience, unknown_order};
use crate::domain::listing::ListFilter;
use crate::store::orders;
use crate::AppState;

/// A list answer (O1, O2): the envelope plus the top-level `count` (api/order.md §3.2).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrderList {
    /// 200
    pub code: u16,
    /// newest first (created_at, then id, descending); [] when none
    pub data: Vec<OrderView>,
    pub message: &'static str,
    /// rows matching the filters
    #[schema(minimum = 0)]
    pub count: i64,
}

fn list_reply(data: Vec<OrderView>, count: i64) -> Response {
    AxumJson(OrderList {
        code: 200,
        data,
        message: "success get",
        count,
    })
    .into_response()
}

/// O4's answer (api/order.md §3.4).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Ttl)]
pub struct TtlView {
    /// ceil(payment_deadline − now) while the timer runs, else 0
    #[schema(minimum = 0)]
    pub ttl_seconds: i64,
    #[schema(required = true)]
    pub payment_deadline: Option<DateTime<Utc>>,
}

/// O1 the caller's own orders
///
/// api/order.md §3.2. Newest first; `count` = the rows matching the filters.
#[utoipa::path(
    get,
    path = "/v1/orders/user",
    operation_id = "listOwnOrders",
    tag = "orders",
    params(ListFilter),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "newest first", body = OrderList),
        (status = 400, description = "bad filter (causes name the parameters)", body = ErrorBody),
        BearerRefused,
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn list_own(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let mut filter = ListFilter::parse(&query, false)
        .map_err(|c| AppError::invalid_fields("invalid query", c))?;
    filter.user_id = Some(user.user_id);
    let (rows, count) = orders::list(&state.pool, &filter).await?;
    let data = rows
        .into_iter()
        .map(|o| order_view(o, &state.settings, Audience::OwnerOrAdmin))
        .collect();
    Ok(list_reply(data, count))
}

/// O2 all orders (admin) or orders to ship (warehouse roles)
///
/// api/order.md §3.2. Warehouse roles: the status filter is intersected with PAYMENT_ACCEPTED,ON_DELIVERY
/// and the payment fields are blank.
#[utoipa::path(
    get,
    path = "/v1/orders",
    operation_id = "listOrders",
    tag = "orders",
    params(
        ListFilter,
        ("user_id" = Option<Uuid>, Query, nullable = false, description = "only this user's orders"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "newest first", body = OrderList),
        (status = 400, description = "bad filter (causes name the parameters)", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "customers", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn list_all(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let shipper = matches!(user.role, Role::WarehouseStaff | Role::WarehouseManager);
    if user.role != Role::Admin && !shipper {
        return Err(AppError::forbidden());
    }
    let mut filter = ListFilter::parse(&query, true)
        .map_err(|c| AppError::invalid_fields("invalid query", c))?;
    let audience = if shipper {
        filter.restrict_to_ship();
        Audience::Shipper
    } else {
        Audience::OwnerOrAdmin
    };
    if filter.matches_nothing(shipper) {
        return Ok(list_reply(Vec::new(), 0));
    }
    let (rows, count) = orders::list(&state.pool, &filter).await?;
    let data = rows
        .into_iter()
        .map(|o| order_view(o, &state.settings, audience))
        .collect();
    Ok(list_reply(data, count))
}

/// O3 one order (owner, admin; warehouse roles: orders to ship)
#[utoipa::path(
    get,
    path = "/v1/orders/{id}",
    operation_id = "getOrder",
    tag = "orders",
    params(("id" = Uuid, Path, description = "order id (not a UUID → 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<OrderView>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "another customer's order, or a warehouse role and an order not to ship", body = ErrorBody),
        (status = 404, description = "unknown order", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn read(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<impl IntoResponse> {
    let id = order_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let order = orders::find(&mut conn, id)
        .await?
        .ok_or_else(unknown_order)?;
    let audience = read_audience(&user, &order)?;
    Ok(ok(order_view(order, &state.settings, audience)))
}

/// O4 seconds left to pay (0 when no timer runs)
#[utoipa::path(
    get,
    path = "/v1/orders/{id}/ttl",
    operation_id = "getOrderTtl",
    tag = "orders",
    params(("id" = Uuid, Path, description = "order id (not a UUID → 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<TtlView>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not the owner and not an admin", body = ErrorBody),
        (status = 404, description = "unknown order", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn ttl(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<impl IntoResponse> {
    let id = order_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let order = orders::find(&mut conn, id)
        .await?
        .ok_or_else(unknown_order)?;
    owner_or_admin(&user, &order)?;
    Ok(ok(TtlView {
        ttl_seconds: ttl_seconds(order.payment_deadline, Utc::now()),
        payment_deadline: order.payment_deadline,
    }))
}

/// O7 status history, oldest first
///
/// The creation (from_status null) included.
#[utoipa::path(
    get,
    path = "/v1/orders/{id}/history",
    operation_id = "getOrderHistory",
    tag = "orders",
    params(("id" = Uuid, Path, description = "order id (not a UUID → 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<Vec<HistoryView>>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not the owner and not an admin", body = ErrorBody),
        (status = 404, description = "unknown order", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn history(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<impl IntoResponse> {
    let id = order_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let order = orders::find(&mut conn, id)
        .await?
        .ok_or_else(unknown_order)?;
    drop(conn);
    owner_or_admin(&user, &order)?;
    let entries: Vec<_> = orders::history(&state.pool, id)
        .await?
        .into_iter()
        .map(history_view)
        .collect();
    Ok(ok(entries))
}
