//! `/v1/sales/cost-prices` — the admins' unit costs (api/sales-report.md §2.6), the source of "cost price
//! when known". A cost applies to sales recorded after it is set.

use axum::extract::State;
use eshop_common::envelope::{deleted, ok, updated, Reply};
use eshop_common::extract::{Json, Path};
use eshop_common::{AppError, AppResult, Cause};
use serde_json::Value;
use uuid::Uuid;

use super::Admin;
use crate::domain::money::parse_money;
use crate::store::costs::{self, CostPrice};
use crate::AppState;

fn product_id(raw: &str) -> AppResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| {
        AppError::invalid_fields(
            "invalid product id",
            vec![Cause::new("product_id", "must be a UUID")],
        )
    })
}

#[tracing::instrument(skip_all)]
pub async fn list(
    Admin(_): Admin,
    State(state): State<AppState>,
) -> AppResult<Reply<Vec<CostPrice>>> {
    Ok(ok(costs::list(&state.pool).await?))
}

/// Body `{"cost_price": number}`: ≥ 0, at most 2 decimals, ≤ 9999999999.99; upsert.
#[tracing::instrument(skip_all)]
pub async fn put(
    Admin(user): Admin,
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    Json(body): Json<Value>,
) -> AppResult<Reply<CostPrice>> {
    let mut causes = Vec::new();
    let id =
        product_id(&raw_id).map_err(|_| causes.push(Cause::new("product_id", "must be a UUID")));
    let value = body.get("cost_price").unwrap_or(&Value::Null);
    let cost = parse_money(value).map_err(|e| causes.push(Cause::new("cost_price", e.to_string())));
    let (Ok(id), Ok(cost)) = (id, cost) else {
        return Err(AppError::invalid_fields("invalid cost price", causes));
    };
    Ok(updated(
        costs::upsert(&state.pool, id, cost, user.user_id).await?,
    ))
}

#[tracing::instrument(skip_all)]
pub async fn delete(
    Admin(_): Admin,
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> AppResult<Reply<Value>> {
    let id = product_id(&raw_id)?;
    if !costs::delete(&state.pool, id).await? {
        return Err(AppError::not_found(
            "no cost price is recorded for this product",
        ));
    }
    Ok(deleted(Value::Null))
}
