//! The downloads (api/sales-report.md §2.5): `xlsx-report` (compat, now filtered), `csv-report` (streamed
//! from the database) and `pdf-report`. Each counts the matching rows first and refuses too many with 422.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use eshop_common::error::ErrorBody;
use eshop_common::extract::Query;
use eshop_common::openapi::{BearerRefused, Fault};
use eshop_common::{AppError, AppResult};
use futures::StreamExt;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;

use super::{invalid_query, Admin};
use crate::domain::filter::{FilterParams, SalesFilter};
use crate::domain::pdf::report::{render, ReportHeader};
use crate::domain::{csv, xlsx};
use crate::store;
use crate::AppState;

/// A downloaded file's bytes, in the OpenAPI document.
pub struct File;

impl utoipa::PartialSchema for File {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for File {}

/// Parses the filters and checks the row count against `max`.
async fn checked_filter(
    state: &AppState,
    params: &FilterParams,
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

/// CSV download (RFC 4180, CRLF, streamed)
///
/// api/sales-report.md §2.5. Header row `sold_at,order_id,user_id,product_id,product_name,sku,warehouse_id,
/// quantity,price,cost_price,revenue,margin_per_product,margin_total,margin_source,kind`; money with two
/// places, times RFC 3339 UTC, null as empty, formula-like text cells prefixed with `'`. Rows in the list
/// order. Gzipped (Content-Encoding) when the client accepts it. A database failure after the status line
/// cuts the body short.
#[utoipa::path(
    get,
    path = "/v1/sales/csv-report",
    operation_id = "salesCsv",
    tag = "sales",
    params(FilterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the file (Content-Disposition: attachment; filename=sales-report.csv, Cache-Control: no-store)",
            body = inline(File), content_type = "text/csv; charset=utf-8",
            headers(("Content-Disposition" = String), ("Cache-Control" = String))),
        (status = 400, description = "a bad filter or parameter (causes name it)", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 422, description = "more rows match than SALES_EXPORT_MAX_ROWS: narrow the filters", body = ErrorBody),
        Fault,
        (status = 503, description = "the database or the token keys are unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn csv(
    Admin(_): Admin,
    State(state): State<AppState>,
    Query(params): Query<FilterParams>,
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

/// XLSX download (compat, now filtered)
///
/// api/sales-report.md §2.5. Sheet `Sheet1`, bold header row, columns no, user_id, order_id, product_id,
/// quantity, margin_per_product, created_at, then product_name, sku, warehouse_id, price, cost_price,
/// revenue, margin_total, margin_source, kind. Rows in the list order.
#[utoipa::path(
    get,
    path = "/v1/sales/xlsx-report",
    operation_id = "salesXlsx",
    tag = "sales",
    params(FilterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the file (Content-Disposition: attachment; filename=sales-report.xlsx, Cache-Control: no-store)",
            body = inline(File), content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers(("Content-Disposition" = String), ("Cache-Control" = String))),
        (status = 400, description = "a bad filter or parameter (causes name it)", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 422, description = "more rows match than SALES_EXPORT_MAX_ROWS: narrow the filters", body = ErrorBody),
        (status = 500, description = "a real fault, e.g. building the workbook failed (the message carries the request id)", body = ErrorBody),
        (status = 503, description = "the database or the token keys are unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn xlsx(
    Admin(_): Admin,
    State(state): State<AppState>,
    Query(params): Query<FilterParams>,
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

/// PDF report: filters, generation time, totals, table, page numbers
///
/// api/sales-report.md §2.5. A4 landscape; columns Date, Order, Product, Warehouse, Qty, Unit price, Revenue,
/// Margin; rows in the list order.
#[utoipa::path(
    get,
    path = "/v1/sales/pdf-report",
    operation_id = "salesPdf",
    tag = "sales",
    params(FilterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the file (Content-Disposition: attachment; filename=sales-report.pdf, Cache-Control: no-store)",
            body = inline(File), content_type = "application/pdf",
            headers(("Content-Disposition" = String), ("Cache-Control" = String))),
        (status = 400, description = "a bad filter or parameter (causes name it)", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 422, description = "more rows match than SALES_PDF_MAX_ROWS: narrow the filters", body = ErrorBody),
        (status = 500, description = "a real fault, e.g. rendering the PDF failed (the message carries the request id)", body = ErrorBody),
        (status = 503, description = "the database or the token keys are unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn pdf(
    Admin(_): Admin,
    State(state): State<AppState>,
    Query(params): Query<FilterParams>,
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
