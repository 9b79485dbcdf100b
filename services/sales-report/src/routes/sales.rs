//! `GET /v1/sales` and `/v1/sales/` — the detail list (api/sales-report.md §2.3, compat).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use eshop_common::extract::Query;
use eshop_common::AppResult;
use serde::Serialize;

use super::{invalid_query, Admin};
use crate::domain::filter::{Paging, SalesFilter, SalesParams};
use crate::domain::SaleRow;
use crate::store;
use crate::AppState;

/// The compat body: the envelope plus a top-level `count`, in this field order.
#[derive(Serialize)]
struct ListBody {
    code: u16,
    data: Vec<SaleRow>,
    count: i64,
    message: &'static str,
}

/// Newest first; `count` is the number of rows matching the filters, whatever `skip` and `limit` are.
#[tracing::instrument(skip_all)]
pub async fn list(
    Admin(_): Admin,
    State(state): State<AppState>,
    Query(params): Query<SalesParams>,
) -> AppResult<Response> {
    let filter = SalesFilter::parse(&params);
    let paging = Paging::parse(&params);
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
