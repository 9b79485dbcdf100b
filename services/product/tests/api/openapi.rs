//! The generated OpenAPI document and the router agree: every routed path is documented, and every path
//! answers exactly the documented methods (issue 15 item 1).

use crate::support::Ctx;

#[tokio::test]
async fn the_router_serves_exactly_the_documented_operations() {
    let ctx = Ctx::new().await;
    // The real state over this test's own stores: the public reads answer from the snapshot.
    let state = product::app_state(&ctx.config())
        .await
        .expect("the state builds");
    eshop_common::openapi::assert_documented(
        product::router(state),
        &product::OPENAPI,
        env!("CARGO_MANIFEST_DIR"),
    )
    .await;
}
