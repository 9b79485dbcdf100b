//! The cart's routes (api/cart.md §2): the `/v1/carts` resource, checkout, and the event consumer, and their
//! OpenAPI description ([`ApiDoc`], generated from the handlers' `#[utoipa::path]` and the types).

mod checkout;
mod events;
mod lines;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post};
use axum::Router;
use eshop_common::AppError;
use utoipa::openapi::schema::{Object, Schema, SchemaType};
use utoipa::openapi::RefOr;
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

/// The service's own operations; `eshop_common::openapi::document` adds the common routes, the error
/// envelope and the security schemes.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Eshop cart service",
        description = "Contract: shared spec api/cart.md. Success bodies use the envelope {code, data, message}; errors {code, error: {message, causes}}. Every /v1 route needs a Cognito access token (bearer); /internal/events takes product's X-Service-Token. Paths answer with and without a trailing slash; /v1 bodies are JSON of at most 16 KiB. The checkout's Idempotency-Key sent to the order service is the hex SHA-256 of the compact JSON array [client_key, user_id, [[line_id, quantity, note]...] sorted by line id, [street, city, state, zipcode, address_note]]."
    ),
    servers((url = "http://localhost:2002")),
    paths(
        lines::list,
        lines::add,
        lines::show,
        lines::change,
        lines::remove,
        lines::remove_many,
        checkout::checkout,
        events::receive
    ),
    modifiers(&IgnoredFields)
)]
pub struct ApiDoc;

/// The body fields the parsers accept and ignore (§3.3, §3.4): fe-customer sends them.
struct IgnoredFields;

impl utoipa::Modify for IgnoredFields {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let Some(components) = api.components.as_mut() else {
            return;
        };
        for (schema, fields) in [
            (
                "AddLine",
                &["product_name", "product_image_url", "product_price"][..],
            ),
            ("ChangeLine", &["cart_id"]),
        ] {
            if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) {
                for field in fields {
                    let mut any = Object::with_type(SchemaType::AnyValue);
                    any.description = Some("accepted and ignored".into());
                    object.properties.insert((*field).into(), any.into());
                }
            }
        }
    }
}
