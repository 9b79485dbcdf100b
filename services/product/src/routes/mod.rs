//! The product service's routes (contract: api/product.md §2), one module per resource, and their OpenAPI
//! description ([`ApiDoc`], generated from the handlers' `#[utoipa::path]` and the types).

mod categories;
mod form;
mod images;
mod internal;
mod product_deletes;
mod product_reads;
mod product_writes;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};
use axum::Router;
use eshop_common::auth::{AuthUser, Role};
use eshop_common::AppError;
use uuid::Uuid;

use crate::AppState;

/// JSON bodies (contract: api/product.md §4.3).
const JSON_LIMIT: usize = 64 * 1024;

pub fn router(state: &AppState) -> Router<AppState> {
    // contract: api/product.md §4.3 — the multipart limit is the image limit plus 64 KiB.
    let upload_limit = state.snapshot.settings.image_max_bytes + 64 * 1024;
    let mut router = Router::new()
        .route(
            "/v1/products",
            get(product_reads::list)
                .post(product_writes::create)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/v1/products/{id}",
            get(product_reads::show)
                .put(product_writes::update)
                .delete(product_deletes::remove)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/v1/products/category/{id}",
            get(product_reads::by_category),
        )
        .route(
            "/v1/products/categories",
            post(product_reads::by_categories).layer(DefaultBodyLimit::max(JSON_LIMIT)),
        )
        .route(
            "/v1/products/{product_id}/category/{category_id}",
            delete(product_deletes::remove_from_category),
        )
        .route(
            "/v1/categories",
            get(categories::tree)
                .post(categories::create)
                .layer(DefaultBodyLimit::max(JSON_LIMIT)),
        )
        .route(
            "/v1/categories/{id}",
            get(categories::show)
                .put(categories::rename)
                .delete(categories::remove)
                .layer(DefaultBodyLimit::max(JSON_LIMIT)),
        )
        .route("/v1/categories/parent/{id}", get(categories::children))
        .route(
            "/internal/products/lookup",
            post(internal::lookup).layer(DefaultBodyLimit::max(JSON_LIMIT)),
        )
        .route(
            "/internal/events",
            post(internal::events).layer(DefaultBodyLimit::max(JSON_LIMIT)),
        );
    if state.snapshot.settings.image_proxy {
        router = router.route("/images/product/{file}", get(images::serve));
    }
    router
}

/// The service's own operations; `eshop_common::openapi::document` adds the common routes, the error
/// envelope and the security schemes.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Eshop product service",
        description = "Contract: shared spec api/product.md. Success bodies use the envelope {code, data, message}; errors {code, error: {message, causes}}. Every path also answers with a trailing slash."
    ),
    servers((url = "http://localhost:2001")),
    paths(
        product_reads::list,
        product_writes::create,
        product_reads::show,
        product_writes::update,
        product_deletes::remove,
        product_reads::by_category,
        product_reads::by_categories,
        product_deletes::remove_from_category,
        categories::tree,
        categories::create,
        categories::show,
        categories::rename,
        categories::remove,
        categories::children,
        images::serve,
        internal::lookup,
        internal::events,
    )
)]
pub struct ApiDoc;

/// contract: api/product.md §3 — product writes: `admin`, `warehouse_manager`.
fn require_staff_manager(user: &AuthUser) -> Result<(), AppError> {
    user.require_any(&[Role::Admin, Role::WarehouseManager])
}

/// A path id that is not a UUID names nothing: 404 (contract: api/product.md §2).
fn path_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::not_found("not found"))
}
