//! `GET /v1/sales` and `/v1/sales/` — the detail list (api/sales-report.md §2.3, compat).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Query;
use eshop_common::openapi::{BearerRefused, Fault};
use eshop_common::AppResult;
use serde::Serialize;

use super::{invalid_query, Admin};
use crate::domain::filter::{FilterParams, Paging, PagingParams, SalesFilter};
use crate::domain::SaleRow;
use crate::store;
use crate::AppState;

/// The compat body: the envelope plus a top-level `count`, in this field order.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = SalesList)]
struct ListBody {
    /// The HTTP status again.
    code: u16,
    /// `[]` when empty (also for `limit=0`)
    data: Vec<SaleRow>,
    /// rows matching the filters, independent of skip/limit
    count: i64,
    message: &'static str,
}

/// Detail list of sales rows (compat; also /v1/sales/), newest first
///
/// api/sales-report.md §2.3. Order: sale time, then id, descending. `count` is the number of rows matching
/// the filters, whatever `skip` and `limit` are.
#[utoipa::path(
    get,
    path = "/v1/sales",
    operation_id = "listSales",
    tag = "sales",
    params(FilterParams, PagingParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "rows and the count of rows matching the filters (message success get)", body = ListBody),
        (status = 400, description = "a bad filter or parameter (causes name it)", body = ErrorBody),
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
    Query(filter): Query<FilterParams>,
    Query(paging): Query<PagingParams>,
) -> AppResult<Response> {
    let filter = SalesFilter::parse(&filter);
    let paging = Paging::parse(&paging);
    let (filter, paging) = match (filter, paging) {
        (Ok(f), Ok(p)) => (f, p),
        (f, p) => {
            let causes = [f.err(), p.err()].into_iter().flatten().flatten().collect();
            return Err(invalid_query(causes));
        }
    };
    let count = store::sales::count(&state.pool, &filter).await?;
    let data = store::sales::page(&state.pool, &filter, paging).await?;
    Ok(axum::Json(ListBody {
        code: 200,
        data,
        count,
        message: "success get",
    })
    .into_response())
}
