//! The `/v1/payments` routes (contract: api/payment.md §2), one module per resource and verb.

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
