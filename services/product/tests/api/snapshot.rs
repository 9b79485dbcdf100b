//! product.md §7 check 18: hot reads are served from the snapshot without DynamoDB calls (counted by the
//! SDK interceptor behind `product_dynamodb_reads_total`); own writes are visible at once, another
//! replica's within the TTL; with the store cut, reads answer until 2 × TTL, then lists answer 503.

use std::time::Duration;

use serde_json::json;
use test_support::proxy::TcpProxy;

use crate::support::{aws_settings, dynamodb_reads, eventually, Ctx, CAR};

#[tokio::test]
async fn a_hundred_hot_reads_make_no_dynamodb_call() {
    let ctx = Ctx::new().await;
    let mut config = ctx.config();
    config.catalogue.cache_ttl = Duration::from_secs(3600);
    let app = ctx.spawn_with(config).await;
    let product = ctx.product(&app, "Corolla", "18000.00", CAR).await;
    let path = format!("/v1/products/{}", product["id"].as_str().unwrap());

    let before = dynamodb_reads(&ctx, &app).await;
    assert!(before > 0.0, "the metric counts the start-up scan");
    for _ in 0..100 {
        assert_eq!(ctx.get(&app, &path).await.status, 200);
    }
    for path in [
        "/v1/products",
        "/v1/categories",
        "/v1/products?q=corolla",
        &format!("/v1/products/category/{CAR}"),
    ] {
        assert_eq!(ctx.get(&app, path).await.status, 200, "{path}");
    }
    assert_eq!(
        dynamodb_reads(&ctx, &app).await,
        before,
        "no DynamoDB read on a hot path"
    );
}

#[tokio::test]
async fn own_writes_show_at_once_and_another_replicas_writes_within_two_seconds() {
    let ctx = Ctx::new().await;
    let mut config = ctx.config();
    config.catalogue.cache_ttl = Duration::from_secs(1);
    let here = ctx.spawn_with(config.clone()).await;
    let there = ctx.spawn_with(config).await;
    let admin = ctx.admin();

    let product = ctx.product(&there, "Prius", "25000.00", CAR).await;
    let path = format!("/v1/products/{}", product["id"].as_str().unwrap());
    let started = std::time::Instant::now();
    assert!(eventually(3, || async { ctx.get(&here, &path).await.status == 200 }).await);
    assert!(
        started.elapsed() <= Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );

    let r = ctx
        .send(
            &here,
            "PUT",
            &path,
            Some(&admin),
            Some(json!({"price": 26000})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        ctx.get(&here, &path).await.data()["price"],
        26000.0,
        "read-your-writes"
    );
    let price_there = || async { ctx.get(&there, &path).await.data()["price"] == json!(26000.0) };
    assert!(eventually(2, price_there).await);

    assert_eq!(
        ctx.send(&there, "DELETE", &path, Some(&admin), None)
            .await
            .status,
        200
    );
    assert!(eventually(2, || async { ctx.get(&here, &path).await.status == 404 }).await);
    assert!(
        eventually(2, || async {
            ctx.get(&here, "/v1/products").await.data() == &json!([])
        })
        .await
    );
}

#[tokio::test]
async fn with_the_store_cut_reads_answer_until_twice_the_ttl_then_lists_answer_503() {
    let ctx = Ctx::new().await;
    let upstream = test_support::cognito::endpoint();
    let host = upstream
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let proxy = TcpProxy::start(&host).await;
    let mut config = ctx.config();
    config.catalogue.cache_ttl = Duration::from_secs(1);
    config.aws = aws_settings(format!("http://{}", proxy.addr()));
    config.aws.timeout = Duration::from_millis(1500);
    let app = ctx.spawn_with(config).await;
    let product = ctx.product(&app, "Aygo", "9000.00", CAR).await;
    let path = format!("/v1/products/{}", product["id"].as_str().unwrap());
    // A refresh has just succeeded: the snapshot is at most 2 × TTL old for a while.
    assert!(
        eventually(3, || async {
            ctx.get(&app, "/v1/categories").await.status == 200
        })
        .await
    );

    proxy.cut();
    let r = ctx.get(&app, &path).await;
    assert_eq!(r.status, 200, "within the bound the snapshot answers");
    assert_eq!(ctx.get(&app, "/v1/products").await.status, 200);

    tokio::time::sleep(Duration::from_millis(2600)).await;
    let r = ctx.get(&app, "/v1/products").await;
    assert_eq!(r.status, 503, "{:?}", r.body);
    let message = r.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("request id") && !message.to_lowercase().contains("dispatch"),
        "{message}"
    );
    assert_eq!(
        ctx.get(&app, &path).await.status,
        503,
        "P2 falls back to DynamoDB, which is cut"
    );

    proxy.restore();
    assert!(
        eventually(10, || async {
            ctx.get(&app, "/v1/products").await.status == 200
        })
        .await
    );
}

#[tokio::test]
async fn a_repeated_search_shows_a_change_as_soon_as_the_catalogue_changes() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let admin = ctx.admin();
    let product = ctx.product(&app, "Search Yaris", "15000.00", CAR).await;
    let id = product["id"].as_str().unwrap();
    let path = "/v1/products?q=search%20yaris&limit=5";
    let first = ctx.get(&app, path).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["count"], 1);
    assert_eq!(first.body["data"][0]["price"], json!(15000.0));
    assert_eq!(
        ctx.get(&app, path).await.body,
        first.body,
        "the same answer twice"
    );

    let r = ctx
        .send(
            &app,
            "PUT",
            &format!("/v1/products/{id}"),
            Some(&admin),
            Some(json!({"price": "14000.50"})),
        )
        .await;
    assert_eq!(r.status, 200);
    let after = ctx.get(&app, path).await;
    assert_eq!(
        after.body["data"][0]["price"],
        json!(14000.5),
        "not the kept body"
    );
    let other = ctx
        .get(&app, "/v1/products?q=search%20yaris&limit=5&sort=-price")
        .await;
    assert_eq!(other.body["count"], 1, "other parameters, other body");

    let r = ctx
        .send(
            &app,
            "DELETE",
            &format!("/v1/products/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    let gone = ctx.get(&app, path).await;
    assert_eq!(
        (gone.body["count"].clone(), gone.body["data"].clone()),
        (json!(0), json!([]))
    );
}
