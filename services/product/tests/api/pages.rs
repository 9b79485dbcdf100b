//! Issue 4 check 5 (product.md §7 check 1): lists are complete beyond one DynamoDB page (> 1 MB of items),
//! capped by `PRODUCT_COMPAT_MAX`, gzipped on request; search pages with a stable order and a count.

use std::collections::HashMap;
use std::io::Read;

use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
use product::store::items::{n, s};
use serde_json::Value;

use crate::support::{Ctx, CAR};

const PRODUCTS: usize = 1500;

/// 1 500 items of about 900 bytes each, written straight to the table.
async fn seed_large_catalogue(ctx: &Ctx) {
    product::store::bootstrap::bootstrap_stores(&ctx.aws.dynamodb, &ctx.aws.s3, &ctx.names)
        .await
        .unwrap();
    let description = "x".repeat(900);
    let now = chrono::Utc::now();
    let items: Vec<WriteRequest> = (0..PRODUCTS)
        .map(|i| {
            let item = HashMap::from([
                ("id".to_string(), s(uuid::Uuid::now_v7().to_string())),
                (
                    "sku".into(),
                    s(format!(
                        "SKU-{}-{:08x}",
                        1_700_000_000_000_000_000u64 + i as u64,
                        i
                    )),
                ),
                ("name".into(), s(format!("Model {:04}", (i * 7) % PRODUCTS))),
                ("description".into(), s(&description)),
                ("price".into(), n("100.50")),
                ("quantity".into(), n(1)),
                ("category_id".into(), s(CAR)),
                ("image_url".into(), s("http://legacy.example/x.png")),
                ("version".into(), n(1)),
                ("created_at".into(), s(now.to_rfc3339())),
                ("updated_at".into(), s(now.to_rfc3339())),
                ("changed_shard".into(), s("c")),
                ("changed_at".into(), n(now.timestamp_millis())),
            ]);
            let put = PutRequest::builder().set_item(Some(item)).build().unwrap();
            WriteRequest::builder().put_request(put).build()
        })
        .collect();
    for chunk in items.chunks(25) {
        let mut pending = HashMap::from([(ctx.names.products_table.clone(), chunk.to_vec())]);
        while !pending.is_empty() {
            let out = ctx
                .aws
                .dynamodb
                .batch_write_item()
                .set_request_items(Some(pending))
                .send()
                .await
                .unwrap();
            pending = out.unprocessed_items().cloned().unwrap_or_default();
            pending.retain(|_, v| !v.is_empty());
        }
    }
}

#[tokio::test]
async fn lists_are_complete_beyond_one_dynamodb_page_capped_by_config_and_gzipped() {
    let ctx = Ctx::new().await;
    seed_large_catalogue(&ctx).await;
    let first_page = ctx
        .aws
        .dynamodb
        .scan()
        .table_name(&ctx.names.products_table)
        .send()
        .await
        .unwrap();
    assert!(
        first_page.last_evaluated_key().is_some(),
        "the table is more than one Scan page"
    );
    assert!(first_page.items().len() < PRODUCTS);
    let app = ctx.spawn().await;

    let r = ctx.get(&app, "/v1/products").await;
    assert_eq!(r.status, 200);
    assert!(
        r.bytes.len() > 1024 * 1024,
        "more than 1 MB: {}",
        r.bytes.len()
    );
    let all = r.data().as_array().unwrap();
    assert_eq!(all.len(), PRODUCTS);
    assert_eq!(all[0]["name"], "Model 0000");
    assert_eq!(all[PRODUCTS - 1]["name"], "Model 1499");
    assert_eq!(
        all[0]["image_url"], "http://legacy.example/x.png",
        "legacy items keep their URL"
    );

    let gz = ctx
        .raw(
            &app,
            "GET",
            "/v1/products",
            &[("accept-encoding", "gzip".to_string())],
            Vec::new(),
        )
        .await;
    assert_eq!(gz.headers["content-encoding"], "gzip");
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&gz.bytes[..])
        .read_to_end(&mut plain)
        .unwrap();
    let decoded: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(decoded["data"].as_array().unwrap().len(), PRODUCTS);

    let mut seen = Vec::new();
    for skip in [0, 100, 1400] {
        let r = ctx
            .get(
                &app,
                &format!("/v1/products?sort=-name&skip={skip}&limit=100"),
            )
            .await;
        assert_eq!(r.body["count"], PRODUCTS);
        let page = r.data().as_array().unwrap();
        assert_eq!(page.len(), 100);
        seen.push(page[0]["name"].as_str().unwrap().to_string());
    }
    assert_eq!(seen, ["Model 1499", "Model 1399", "Model 0099"]);
    assert_eq!(ctx.get(&app, "/v1/products?limit=101").await.status, 400);
    assert_eq!(
        ctx.get(&app, "/v1/products?q=nothing-like-this")
            .await
            .data(),
        &Value::Array(vec![])
    );

    let mut config = ctx.config();
    config.catalogue.compat_max = 10;
    let capped = ctx.spawn_with(config).await;
    let r = ctx.get(&capped, "/v1/products/").await;
    let names: Vec<_> = r
        .data()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<_> = (0..10).map(|i| format!("Model {i:04}")).collect();
    assert_eq!(names, expected);
}
