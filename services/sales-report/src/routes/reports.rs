//! The downloads (api/sales-report.md §2.5): `xlsx-report` (compat, now filtered), `csv-report` (streamed
//! from the database) and `pdf-report`. Each counts the matching rows first and refuses too many with 422.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use eshop_common::extract::Query;
use eshop_common::{AppError, AppResult};
use futures::StreamExt;

use super::{invalid_query, Admin};
use crate::domain::filter::{SalesFilter, SalesParams};
use crate::domain::pdf::report::{render, ReportHeader};
use crate::domain::{csv, xlsx};
use crate::store;
use crate::AppState;

/// Parses the filters and checks the row count against `max`.
async fn checked_filter(
    state: &AppState,
    params: &SalesParams,
    max: i64,
    format: &'static str,
) -> AppResult<SalesFilter> {
    let filter = SalesFilter::parse(params).map_err(invalid_query)?;
    let rows = store::sales::count(&state.pool, &filter).await?;
    if rows > max {
        return Err(AppError::unprocessable(format!(
            "{rows} rows match, more than the {max} a {format} download holds: narrow the filters"
        )));
    }
    metrics::histogram!("sales_export_rows", "format" => format).record(rows as f64);
    Ok(filter)
}

fn file(content_type: &'static str, extension: &str, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=sales-report.{extension}"),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

#[tracing::instrument(skip_all)]
pub async fn csv(
    Admin(_): Admin,
    State(state): State<AppState>,
    Query(params): Query<SalesParams>,
) -> AppResult<Response> {
    let filter = checked_filter(&state, &params, state.settings.export_max_rows, "csv").await?;
    let header = futures::stream::once(async { Ok(Bytes::from(csv::header_line())) });
    let rows = store::sales::stream(state.pool.clone(), filter).map(|row| match row {
        Ok(row) => Ok(Bytes::from(csv::row_line(&row))),
        Err(err) => {
            // The status line is sent: cutting the body is how the client learns of the failure.
            tracing::error!(error = %err, "reading rows for the CSV download failed");
            Err(std::io::Error::other("the sales rows could not be read"))
        }
    });
    Ok(file(
        "text/csv; charset=utf-8",
        "csv",
        Body::from_stream(header.chain(rows).fuse()),
    ))
}

#[tracing::instrument(skip_all)]
pub async fn xlsx(
    Admin(_): Admin,
    State(state): State<AppState>,
    Query(params): Query<SalesParams>,
) -> AppResult<Response> {
    let filter = checked_filter(&state, &params, state.settings.export_max_rows, "xlsx").await?;
    let rows = store::sales::all(&state.pool, &filter).await?;
    let bytes = tokio::task::spawn_blocking(move || xlsx::workbook(&rows))
        .await
        .map_err(|e| AppError::internal("the XLSX report could not be built", e))?
        .map_err(|e| AppError::internal("the XLSX report could not be built", e))?;
    Ok(file(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        Body::from(bytes),
    ))
}

#[tracing::instrument(skip_all)]
pub async fn pdf(
    Admin(_): Admin,
    State(state): State<AppState>,
    Query(params): Query<SalesParams>,
) -> AppResult<Response> {
    let filter = checked_filter(&state, &params, state.settings.pdf_max_rows, "pdf").await?;
    let totals = store::summary::totals(&state.pool, &filter).await?;
    let rows = store::sales::all(&state.pool, &filter).await?;
    let filters = filter.describe();
    let bytes = tokio::task::spawn_blocking(move || {
        let header = ReportHeader {
            filters: &filters,
            generated_at: Utc::now(),
            totals: &totals,
        };
        render(&header, &rows)
    })
    .await
    .map_err(|e| AppError::internal("the PDF report could not be built", e))?;
    Ok(file("application/pdf", "pdf", Body::from(bytes)))
}
