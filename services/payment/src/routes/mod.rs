//! The `/v1/payments` routes (contract: api/payment.md §2), one module per resource and verb, and their
//! OpenAPI description ([`ApiDoc`], generated from the handlers' `#[utoipa::path]` and the types).

mod list;
mod proof;
mod review;
mod upload;
mod upload_form;
mod view;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::get;
use axum::Router;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};

use crate::AppState;

pub use review::ReviewRequest;
pub use view::PaymentView;

/// Room for the other parts around the file (§2.1 step 1).
pub const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;

pub fn router(max_upload_bytes: usize) -> Router<AppState> {
    let upload_limit = DefaultBodyLimit::max(max_upload_bytes + MULTIPART_OVERHEAD_BYTES);
    Router::new()
        .route(
            "/v1/payments",
            get(list::list)
                .post(upload::upload.layer(upload_limit))
                .patch(review::review),
        )
        .route("/v1/payments/{id}", get(list::show))
        .route("/v1/payments/{id}/proof", get(proof::proof))
}

/// The service's own operations; `eshop_common::openapi::document` adds the common routes, the error
/// envelope and the security schemes.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Eshop payment service",
        description = "Contract: shared spec api/payment.md. Success bodies use the envelope {code, data, message}; errors {code, error: {message, causes}}."
    ),
    servers((url = "http://localhost:2006")),
    paths(list::list, upload::upload, review::review, list::show, proof::proof),
    modifiers(&OrderIdAlias)
)]
pub struct ApiDoc;

/// The upload's `order_id` part: the alias of `orderId` the form reader accepts (one of the two).
struct OrderIdAlias;

impl utoipa::Modify for OrderIdAlias {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let form = api
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut("UploadForm"));
        if let Some(RefOr::T(Schema::Object(form))) = form {
            let alias = ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
                .description(Some("the alias of orderId"));
            form.properties.insert("order_id".into(), alias.into());
        }
    }
}
