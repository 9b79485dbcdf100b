//! X1, X2, X3, X5: the order service's reservation API (contract: api/warehouse.md §2.5), behind a
//! per-caller service token (auth.md §2.6).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use eshop_common::auth::ServiceCaller;
use eshop_common::envelope::{created, ok, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::{DatabaseUnavailable, Fault, NotJson, ServiceTokenRefused};
use eshop_common::AppError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::reservations::transition_reply;
use super::{wanted, Id, ItemBody};
use crate::domain::allocation::{Allocation, Wanted};
use crate::domain::validate::Checks;
use crate::domain::zip::CustomerZip;
use crate::error::ApiResult;
use crate::ops::reserve::{self, ReserveInput, Reserved};
use crate::ops::transition::{self, Transition};
use crate::store::reservations::ReservationView;
use crate::AppState;

/// X1 quantity ceiling per item.
const MAX_ITEM_QUANTITY: i64 = 10_000;

/// X1's body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReserveBody {
    /// the reservation's key: the same order id again replays
    #[schema(value_type = Uuid, required = true)]
    order_id: Option<Uuid>,
    #[schema(value_type = Uuid, required = true)]
    user_id: Option<Uuid>,
    /// ^[0-9]{1,10}$, else 422
    #[schema(value_type = String, required = true)]
    zip_code: Option<String>,
    /// quantity 1–10 000 each, no duplicate product ids
    #[schema(value_type = Vec<ItemBody>, required = true, min_items = 1, max_items = 100)]
    items: Option<Vec<ItemBody>>,
}

// The ceiling the descriptions of `items` here and in `QuoteBody` name.
const _: () = assert!(MAX_ITEM_QUANTITY == 10_000);

/// The body checks shared by X1 and X5: 400 for bad shape, then 422 for a zip that cannot be located.
fn zip_and_items(
    checks: &mut Checks,
    zip_code: Option<&str>,
    items: Option<&[ItemBody]>,
) -> (Option<String>, Vec<Wanted>) {
    let wanted = wanted(checks, items, MAX_ITEM_QUANTITY);
    if zip_code.is_none() {
        checks.fail("zip_code", "is required");
    }
    (zip_code.map(str::to_string), wanted)
}

fn locate(raw: &str) -> Result<CustomerZip, AppError> {
    CustomerZip::parse(raw).ok_or_else(|| AppError::Unprocessable {
        message: "the zip code cannot be located".into(),
        causes: vec![eshop_common::Cause::new(
            "zip_code",
            "must be 1 to 10 digits",
        )],
    })
}

/// X1 reserve for an order, all or nothing, idempotent by order_id (order)
///
/// For each product, live warehouses with stock nearest first. Any product short, unknown or deleted → 409
/// with one cause per failing item `{field, message, product_id, requested, available}`; nothing written.
/// The same order id with the same items and zip → 200 with the stored reservation (RELEASED or RETURNED →
/// 409); with other items or zip → 409.
#[utoipa::path(
    post,
    path = "/internal/reservations",
    operation_id = "reserve",
    tag = "internal",
    request_body = ReserveBody,
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "replay of the same request", body = Envelope<ReservationView>),
        (status = 201, description = "new reservation", body = Envelope<ReservationView>),
        (status = 400, description = "bad input (field causes)", body = ErrorBody),
        ServiceTokenRefused,
        (status = 403, description = "the caller may not use this route", body = ErrorBody),
        (status = 409, description = "stock short or product unavailable, the order id reserved with other items, or its reservation released", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        (status = 422, description = "zip code cannot be located", body = ErrorBody),
        Fault,
        (status = 503, description = "the database is unavailable, or the stock stayed busy (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn reserve(
    State(state): State<AppState>,
    _: ServiceCaller,
    Json(body): Json<ReserveBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let order_id = checks.required("order_id", body.order_id);
    let user_id = checks.required("user_id", body.user_id);
    let (zip_code, items) =
        zip_and_items(&mut checks, body.zip_code.as_deref(), body.items.as_deref());
    checks.finish()?;
    let (Some(order_id), Some(user_id), Some(zip_code)) = (order_id, user_id, zip_code) else {
        return Err(AppError::bad_request("invalid input").into());
    };
    let input = ReserveInput {
        order_id,
        user_id,
        zip: locate(&zip_code)?,
        zip_code,
        items,
    };
    match reserve::reserve(&state.pool, &input).await? {
        Reserved::Created(view) => {
            state.stock_changed();
            Ok(created(view).into_response())
        }
        Reserved::Replayed(view) => Ok(ok(view).into_response()),
    }
}

/// X5's body: X1's without the order and the user.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct QuoteBody {
    /// ^[0-9]{1,10}$, else 422
    #[schema(value_type = String, required = true)]
    zip_code: Option<String>,
    /// quantity 1–10 000 each, no duplicate product ids
    #[schema(value_type = Vec<ItemBody>, required = true, min_items = 1, max_items = 100)]
    items: Option<Vec<ItemBody>>,
}

/// X5's answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Quote {
    /// as X1 would make them now: by product id, then nearest first
    allocations: Vec<Allocation>,
}

/// X5 the allocations a reservation would make; nothing written (order)
///
/// Computed from one consistent read, nothing locked: a quote is not a promise.
#[utoipa::path(
    post,
    path = "/internal/reservations/quote",
    operation_id = "quote",
    tag = "internal",
    request_body = QuoteBody,
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<Quote>),
        (status = 400, description = "bad input (field causes)", body = ErrorBody),
        ServiceTokenRefused,
        (status = 403, description = "the caller may not use this route", body = ErrorBody),
        (status = 409, description = "stock short or product unavailable (X1's causes)", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        NotJson,
        (status = 422, description = "zip code cannot be located", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
pub async fn quote(
    State(state): State<AppState>,
    _: ServiceCaller,
    Json(body): Json<QuoteBody>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let (zip_code, items) =
        zip_and_items(&mut checks, body.zip_code.as_deref(), body.items.as_deref());
    checks.finish()?;
    let zip = locate(zip_code.as_deref().unwrap_or_default())?;
    let allocations = reserve::quote(&state.pool, zip, &items).await?;
    Ok(ok(Quote { allocations }).into_response())
}

/// X2 commit: stock leaves (order)
///
/// RESERVED → COMMITTED: `reserved -= n` and one SHIPMENT movement per line; already committed → 200, no
/// change.
#[utoipa::path(
    post,
    path = "/internal/reservations/{order_id}/commit",
    operation_id = "commit",
    tag = "internal",
    params(("order_id" = Uuid, Path, description = "order id (a non-UUID answers 400)")),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "committed, or already committed", body = Envelope<ReservationView>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        ServiceTokenRefused,
        (status = 403, description = "the caller may not use this route", body = ErrorBody),
        (status = 404, description = "no reservation for this order", body = ErrorBody),
        (status = 409, description = "the reservation is released or returned", body = ErrorBody),
        Fault,
        (status = 503, description = "the database is unavailable, or the stock stayed busy (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn commit(
    State(state): State<AppState>,
    _: ServiceCaller,
    Id(order_id): Id,
) -> ApiResult<Response> {
    let outcome = transition::apply(&state.pool, order_id, Transition::Commit).await?;
    state.stock_changed();
    transition_reply(outcome, "cannot commit")
}

/// X3 release: stock back to available (order)
///
/// RESERVED → RELEASED: `reserved -= n`, `available += n`; already released → 200, no change.
#[utoipa::path(
    post,
    path = "/internal/reservations/{order_id}/release",
    operation_id = "release",
    tag = "internal",
    params(("order_id" = Uuid, Path, description = "order id (a non-UUID answers 400)")),
    security(("serviceToken" = [])),
    responses(
        (status = 200, description = "released, or already released", body = Envelope<ReservationView>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        ServiceTokenRefused,
        (status = 403, description = "the caller may not use this route", body = ErrorBody),
        (status = 404, description = "no reservation for this order", body = ErrorBody),
        (status = 409, description = "the reservation is committed or returned", body = ErrorBody),
        Fault,
        (status = 503, description = "the database is unavailable, or the stock stayed busy (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn release(
    State(state): State<AppState>,
    _: ServiceCaller,
    Id(order_id): Id,
) -> ApiResult<Response> {
    let outcome = transition::apply(&state.pool, order_id, Transition::Release).await?;
    state.stock_changed();
    transition_reply(outcome, "cannot release")
}
