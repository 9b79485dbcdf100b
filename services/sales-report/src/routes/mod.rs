//! The service's routes (api/sales-report.md §2): the admins' `/v1/sales*` reads, downloads and cost
//! prices, and the event consumer on `/internal/events`; and their OpenAPI description ([`ApiDoc`], generated
//! from the handlers' `#[utoipa::path]` and the types).

mod costs;
mod events;
mod reports;
mod sales;
mod summary;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::routing::{get, post, put};
use axum::Router;
use eshop_common::auth::{AuthUser, Role, Verifier};
use eshop_common::openapi::EventSources;
use eshop_common::{AppError, Cause};

use crate::AppState;

/// Largest event envelope accepted (§2.7): 1 MiB, 413 above.
pub const EVENT_BODY_LIMIT: usize = 1024 * 1024;

/// The routes of §2 over the shared state. Trailing slashes are trimmed by the common server.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/sales", get(sales::list))
        .route("/v1/sales/summary", get(summary::summary))
        .route("/v1/sales/xlsx-report", get(reports::xlsx))
        .route("/v1/sales/csv-report", get(reports::csv))
        .route("/v1/sales/pdf-report", get(reports::pdf))
        .route("/v1/sales/cost-prices", get(costs::list))
        .route(
            "/v1/sales/cost-prices/{product_id}",
            put(costs::put).delete(costs::delete),
        )
        .route(
            "/internal/events",
            post(events::receive).layer(DefaultBodyLimit::max(EVENT_BODY_LIMIT)),
        )
}

/// The service's own operations; `eshop_common::openapi::document` adds the common routes, the error
/// envelope and the security schemes.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Eshop sales-report service",
        description = "Contract: shared spec api/sales-report.md. Success bodies use the envelope {code, data, message} (the list adds a top-level count); errors {code, error: {message, causes}}. Every /v1/sales route is admin-only: 401 without a valid access token, 403 for other roles. Paths answer with and without a trailing slash."
    ),
    servers((url = "http://localhost:2007")),
    paths(
        sales::list,
        summary::summary,
        reports::xlsx,
        reports::csv,
        reports::pdf,
        costs::list,
        costs::put,
        costs::delete,
        events::receive
    ),
    modifiers(&EVENT_SOURCES)
)]
pub struct ApiDoc;

/// `EventEnvelope.source`: the callers allowed to deliver events here.
const EVENT_SOURCES: EventSources = EventSources(crate::INTERNAL_EVENTS);

/// A caller in the `admin` group: no or a bad token → 401, any other role → 403 (§2, before any
/// parameter is read).
pub struct Admin(pub AuthUser);

impl<S> FromRequestParts<S> for Admin
where
    Arc<Verifier>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        user.require_any(&[Role::Admin])?;
        Ok(Admin(user))
    }
}

/// 400 naming every bad query parameter.
pub fn invalid_query(causes: Vec<Cause>) -> AppError {
    AppError::invalid_fields("invalid query parameters", causes)
}
