//! X1, X2, X3, X5: the order service's reservation API (contract: api/warehouse.md §2.5), behind a
//! per-caller service token (auth.md §2.6).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use eshop_common::auth::ServiceCaller;
use eshop_common::envelope::{created, ok};
use eshop_common::extract::Json;
use eshop_common::AppError;
use serde::Deserialize;
use uuid::Uuid;

use super::reservations::transition_reply;
use super::{wanted, Id, ItemBody};
use crate::domain::allocation::Wanted;
use crate::domain::validate::Checks;
use crate::domain::zip::CustomerZip;
use crate::error::ApiResult;
use crate::ops::reserve::{self, ReserveInput, Reserved};
use crate::ops::transition::{self, Transition};
use crate::AppState;

/// X1 quantity ceiling per item.
const MAX_ITEM_QUANTITY: i64 = 10_000;

#[derive(Debug, Deserialize)]
pub struct ReserveBody {
    order_id: Option<Uuid>,
    user_id: Option<Uuid>,
    zip_code: Option<String>,
    items: Option<Vec<ItemBody>>,
}

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

/// X1 reserve: 201 new, 200 replay.
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

#[derive(Debug, Deserialize)]
pub struct QuoteBody {
    zip_code: Option<String>,
    items: Option<Vec<ItemBody>>,
}

/// X5 quote: the allocations X1 would make; nothing written.
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
    Ok(ok(serde_json::json!({ "allocations": allocations })).into_response())
}

/// X2 commit.
pub async fn commit(
    State(state): State<AppState>,
    _: ServiceCaller,
    Id(order_id): Id,
) -> ApiResult<Response> {
    let outcome = transition::apply(&state.pool, order_id, Transition::Commit).await?;
    state.stock_changed();
    transition_reply(outcome, "cannot commit")
}

/// X3 release.
pub async fn release(
    State(state): State<AppState>,
    _: ServiceCaller,
    Id(order_id): Id,
) -> ApiResult<Response> {
    let outcome = transition::apply(&state.pool, order_id, Transition::Release).await?;
    state.stock_changed();
    transition_reply(outcome, "cannot release")
}
