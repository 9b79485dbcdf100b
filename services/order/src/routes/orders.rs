//! Reads: O1 own orders, O2 all orders (admin) or orders to ship (warehouse roles), O3 one order,
//! O4 its timer, O7 its history (api/order.md §3.2–3.4).

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json as AxumJson;
use chrono::Utc;
use eshop_common::auth::{AuthUser, Role};
use eshop_common::envelope::ok;
use eshop_common::extract::{Path, Query};
use eshop_common::{AppError, AppResult};
use serde_json::json;

use super::view::{history_view, order_view, ttl_seconds, Audience, OrderView};
use super::{order_id, owner_or_admin, read_audience, unknown_order};
use crate::domain::listing::ListFilter;
use crate::store::orders;
use crate::AppState;

/// A list answer: the envelope plus the top-level `count` (api/order.md §3.2).
fn list_reply(data: Vec<OrderView>, count: i64) -> Response {
    AxumJson(json!({"code": 200, "data": data, "message": "success get", "count": count}))
        .into_response()
}

/// O1 `GET /v1/orders/user`: the caller's own orders, newest first.
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

/// O2 `GET /v1/orders`: admin — every order with filters; warehouse roles — orders to ship.
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

/// O3 `GET /v1/orders/{id}`.
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

/// O4 `GET /v1/orders/{id}/ttl`: `{ttl_seconds, payment_deadline}`.
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
    let ttl = ttl_seconds(order.payment_deadline, Utc::now());
    Ok(ok(
        json!({"ttl_seconds": ttl, "payment_deadline": order.payment_deadline}),
    ))
}

/// O7 `GET /v1/orders/{id}/history`: oldest first, with creation.
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
