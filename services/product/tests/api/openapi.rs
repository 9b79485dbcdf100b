//! The generated OpenAPI document and the router agree: every routed path is documented, and every path
//! answers exactly the documented methods (issue 15 item 1).

use std::path::Path;

use crate::support::Ctx;

#[tokio::test]
async fn the_router_serves_exactly_the_documented_operations() {
    let ctx = Ctx::new().await;
    // The real state over this test's own stores: the public reads answer from the snapshot.
    let state = product::app_state(&ctx.config())
        .await
        .expect("the state builds");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems =
        eshop_common::openapi::router_drift(product::router(state), &product::OPENAPI, &src).await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
