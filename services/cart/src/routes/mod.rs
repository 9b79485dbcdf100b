//! The cart's routes (api/cart.md §2): the `/v1/carts` resource, checkout, and the event consumer.

mod checkout;
mod events;
mod lines;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post};
use axum::Router;
use eshop_common::AppError;
use uuid::Uuid;

use crate::AppState;

/// `/v1` bodies are JSON of at most 16 KiB (§2); `/internal/events` keeps the common 64 KiB.
const BODY_LIMIT: usize = 16 * 1024;

pub fn router() -> Router<AppState> {
    // Static segments win over `{id}` (§2).
    let public = Router::new()
        .route("/v1/carts", post(lines::add))
        .route("/v1/carts/user", get(lines::list))
        .route("/v1/carts/deletes", patch(lines::remove_many))
        .route("/v1/carts/checkout", post(checkout::checkout))
        .route(
            "/v1/carts/{id}",
            get(lines::show).patch(lines::change).delete(lines::remove),
        )
        .layer(DefaultBodyLimit::max(BODY_LIMIT));
    public.route("/internal/events", post(events::receive))
}

/// An `{id}` path segment: a UUID in any form the parser reads, else 400 (§2).
fn line_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw.trim()).map_err(|_| {
        AppError::invalid_fields(
            "invalid line id",
            vec![eshop_common::Cause::new("id", "must be a UUID")],
        )
    })
}
