//! `/v1/sales/cost-prices` — the admins' unit costs (api/sales-report.md §2.6), the source of "cost price
//! when known". A cost applies to sales recorded after it is set.

use axum::extract::State;
use eshop_common::envelope::{deleted, ok, updated, Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Json, Path};
use eshop_common::openapi::{BearerRefused, Fault, NotJson, Null};
use eshop_common::{AppError, AppResult, Cause};
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;

use super::Admin;
use crate::domain::money::parse_money;
use crate::store::costs::{self, CostPrice};
use crate::AppState;

// Also the body's schema in the OpenAPI document.
/// The body of a PUT, `{"cost_price": number}` (a valid one once parsed).
#[derive(Debug, Clone, PartialEq, utoipa::ToSchema)]
pub struct CostPriceBody {
    /// the unit cost: a JSON number (a string is refused), ≥ 0, at most 2 decimals
    #[schema(value_type = f64, minimum = 0, maximum = 9999999999.99)]
    pub cost_price: Decimal,
}

impl CostPriceBody {
    /// `cost_price` as money, or the cause naming what is wrong with it.
    pub fn parse(body: &Value) -> Result<CostPriceBody, Cause> {
        let value = body.get("cost_price").unwrap_or(&Value::Null);
        parse_money(value)
            .map(|cost_price| CostPriceBody { cost_price })
            .map_err(|e| Cause::new("cost_price", e.to_string()))
    }
}

fn product_id(raw: &str) -> AppResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| {
        AppError::invalid_fields(
            "invalid product id",
            vec![Cause::new("product_id", "must be a UUID")],
        )
    })
}

/// Recorded unit costs, ordered by product_id
#[utoipa::path(
    get,
    path = "/v1/sales/cost-prices",
    operation_id = "listCostPrices",
    tag = "cost prices",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "entries ([] when none; message success get)", body = Envelope<Vec<CostPrice>>),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        Fault,
        (status = 503, description = "the database or the token keys are unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list(
    Admin(_): Admin,
    State(state): State<AppState>,
) -> AppResult<Reply<Vec<CostPrice>>> {
    Ok(ok(costs::list(&state.pool).await?))
}

/// Set a product's unit cost (upsert); applies to sales recorded afterwards
///
/// api/sales-report.md §2.6. Body `{"cost_price": number}`: ≥ 0, at most 2 decimals, ≤ 9999999999.99.
#[utoipa::path(
    put,
    path = "/v1/sales/cost-prices/{product_id}",
    operation_id = "putCostPrice",
    tag = "cost prices",
    params(("product_id" = Uuid, Path, description = "the product (a non-UUID answers 400)")),
    request_body = CostPriceBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the stored entry (message success update)", body = Envelope<CostPrice>),
        (status = 400, description = "bad UUID or cost_price (missing, negative, 3 decimals, not a number), or malformed JSON", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "the product id is not UTF-8 once percent-decoded", body = ErrorBody),
        (status = 413, description = "the body is over the limit", body = ErrorBody),
        NotJson,
        Fault,
        (status = 503, description = "the database or the token keys are unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
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
    let cost = CostPriceBody::parse(&body).map_err(|cause| causes.push(cause));
    let (Ok(id), Ok(CostPriceBody { cost_price })) = (id, cost) else {
        return Err(AppError::invalid_fields("invalid cost price", causes));
    };
    Ok(updated(
        costs::upsert(&state.pool, id, cost_price, user.user_id).await?,
    ))
}

/// Remove a product's unit cost
#[utoipa::path(
    delete,
    path = "/v1/sales/cost-prices/{product_id}",
    operation_id = "deleteCostPrice",
    tag = "cost prices",
    params(("product_id" = Uuid, Path, description = "the product (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "data null (message success delete)", body = Envelope<Null>),
        (status = 400, description = "bad UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no cost recorded for this product (or a product id that is not UTF-8 once percent-decoded)", body = ErrorBody),
        Fault,
        (status = 503, description = "the database or the token keys are unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn delete(
    Admin(_): Admin,
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> AppResult<Reply<Null>> {
    let id = product_id(&raw_id)?;
    if !costs::delete(&state.pool, id).await? {
        return Err(AppError::not_found(
            "no cost price is recorded for this product",
        ));
    }
    Ok(deleted(Null))
}
