//! product.md §7 checks 19–21: `stock.changed` applied once per `stock_version`; internal routes take only
//! the allowed service tokens; X1 reads consistently and includes deleted products.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{Ctx, CAR, CART_TOKEN, ORDER_TOKEN, WAREHOUSE_TOKEN};

fn stock_changed(product_id: &str, quantity: i64, version: i64) -> Value {
    json!({
        "id": Uuid::now_v7(), "type": "stock.changed", "occurred_at": "2026-01-01T00:00:00Z",
        "source": "warehouse",
        "data": {"product_id": product_id, "quantity": quantity, "reserved": 0, "stock_version": version,
                 "reason": "adjustment", "changed_at": "2026-01-01T00:00:00Z"},
    })
}

#[tokio::test]
async fn stock_changed_sets_the_quantity_once_per_stock_version() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let product = ctx.product(&app, "Supra", "50000.00", CAR).await;
    let id = product["id"].as_str().unwrap();
    let path = format!("/v1/products/{id}");
    let post = |body: Value| ctx.internal(&app, "/internal/events", WAREHOUSE_TOKEN, body);

    let event = stock_changed(id, 7, 5);
    let r = post(event.clone()).await;
    assert_eq!(
        (r.status, r.data()["result"].clone()),
        (200, json!("applied")),
        "{:?}",
        r.body
    );
    assert_eq!(r.data()["event_id"], event["id"]);
    assert_eq!(
        ctx.get(&app, &path).await.data()["quantity"],
        7,
        "visible at once"
    );
    assert_eq!(post(event).await.data()["result"], "duplicate");
    assert_eq!(
        post(stock_changed(id, 1, 4)).await.data()["result"],
        "ignored"
    );
    assert_eq!(ctx.get(&app, &path).await.data()["quantity"], 7);
    let unknown = Uuid::new_v4().to_string();
    assert_eq!(
        post(stock_changed(&unknown, 1, 9)).await.data()["result"],
        "ignored"
    );
    let mut other = stock_changed(id, 1, 9);
    other["type"] = json!("warehouse.renamed");
    assert_eq!(post(other).await.data()["result"], "ignored");
    assert!(
        ctx.scan(&ctx.names.products_table).await.len() == 1,
        "no item for the unknown product"
    );
    assert_eq!(
        ctx.outbox().await.len(),
        1,
        "only product.created: stock writes no outbox item"
    );

    let mut bad = stock_changed(id, 1, 9);
    bad["data"]["stock_version"] = json!("nine");
    assert_eq!(post(bad).await.status, 400);
    assert_eq!(post(json!({"type": "stock.changed"})).await.status, 400);
    let r = ctx
        .raw(
            &app,
            "POST",
            "/internal/events",
            &[
                ("content-type", "application/json".into()),
                ("x-service-token", WAREHOUSE_TOKEN.into()),
            ],
            b"{not json".to_vec(),
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn internal_routes_accept_only_their_callers_service_tokens() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let lookup = json!({"ids": [Uuid::new_v4()]});
    let admin = format!("Bearer {}", ctx.admin());
    for headers in [
        vec![],
        vec![("x-service-token", "nope".to_string())],
        vec![("authorization", admin)],
    ] {
        let mut headers = headers;
        headers.push(("content-type", "application/json".into()));
        let r = ctx
            .raw(
                &app,
                "POST",
                "/internal/products/lookup",
                &headers,
                lookup.to_string().into_bytes(),
            )
            .await;
        assert_eq!(r.status, 401, "{headers:?}");
    }
    assert_eq!(
        ctx.internal(
            &app,
            "/internal/products/lookup",
            WAREHOUSE_TOKEN,
            lookup.clone()
        )
        .await
        .status,
        403
    );
    assert_eq!(
        ctx.internal(
            &app,
            "/internal/products/lookup",
            CART_TOKEN,
            lookup.clone()
        )
        .await
        .status,
        200
    );
    assert_eq!(
        ctx.internal(&app, "/internal/products/lookup", ORDER_TOKEN, lookup)
            .await
            .status,
        200
    );

    let event = stock_changed(&Uuid::new_v4().to_string(), 1, 1);
    assert_eq!(
        ctx.internal(&app, "/internal/events", CART_TOKEN, event.clone())
            .await
            .status,
        403
    );
    let mut spoofed = event.clone();
    spoofed["source"] = json!("cart");
    assert_eq!(
        ctx.internal(&app, "/internal/events", WAREHOUSE_TOKEN, spoofed)
            .await
            .status,
        403
    );
    assert_eq!(
        ctx.internal(&app, "/internal/events", "nope", event)
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn lookup_reads_consistently_and_includes_deleted_products() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let admin = ctx.admin();
    let kept = ctx.product(&app, "Camry", "30000.00", CAR).await;
    let gone = ctx.product(&app, "Celica", "20000.00", CAR).await;
    let (kept_id, gone_id) = (kept["id"].as_str().unwrap(), gone["id"].as_str().unwrap());
    let r = ctx
        .send(
            &app,
            "PUT",
            &format!("/v1/products/{kept_id}"),
            Some(&admin),
            Some(json!({"price": "31000.99"})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        ctx.send(
            &app,
            "DELETE",
            &format!("/v1/products/{gone_id}"),
            Some(&admin),
            None
        )
        .await
        .status,
        200
    );

    let body = json!({"ids": [kept_id, gone_id, Uuid::new_v4(), kept_id]});
    let r = ctx
        .internal(&app, "/internal/products/lookup", ORDER_TOKEN, body)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let found = r.data().as_array().unwrap();
    assert_eq!(found.len(), 2, "unknown ids are absent, duplicates once");
    assert_eq!(
        (found[0]["price"].clone(), found[0]["version"].clone()),
        (json!(31000.99), json!(2))
    );
    assert!(found[0]["deleted_at"].is_null());
    assert!(found[1]["deleted_at"].is_string());
    assert_eq!(found[1]["version"], 2);

    let many: Vec<String> = (0..101).map(|_| Uuid::new_v4().to_string()).collect();
    for body in [
        json!({"ids": []}),
        json!({"ids": many}),
        json!({"ids": ["car"]}),
        json!({"ids": "x"}),
    ] {
        assert_eq!(
            ctx.internal(&app, "/internal/products/lookup", CART_TOKEN, body)
                .await
                .status,
            400
        );
    }
}

#[tokio::test]
async fn concurrent_lookups_share_batch_reads_and_each_sees_its_own_products() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let mut ids = Vec::new();
    for (n, price) in ["100.00", "200.00", "300.00"].iter().enumerate() {
        let p = ctx.product(&app, &format!("Batch {n}"), price, CAR).await;
        ids.push((
            p["id"].as_str().unwrap().to_string(),
            json!(price.parse::<f64>().unwrap()),
        ));
    }
    let before = crate::support::dynamodb_reads(&ctx, &app).await;
    const CALLS: usize = 60;
    let calls = (0..CALLS).map(|n| {
        let (ctx, app, ids) = (&ctx, &app, &ids);
        async move {
            let (id, price) = &ids[n % ids.len()];
            let unknown = Uuid::new_v4().to_string();
            let r = ctx
                .internal(
                    app,
                    "/internal/products/lookup",
                    CART_TOKEN,
                    json!({"ids": [id, unknown]}),
                )
                .await;
            assert_eq!(r.status, 200, "{:?}", r.body);
            let found = r.data().as_array().unwrap().clone();
            assert_eq!(
                found.len(),
                1,
                "only the asked product, never a neighbour's: {found:?}"
            );
            assert_eq!((&found[0]["id"], &found[0]["price"]), (&json!(id), price));
        }
    });
    futures::future::join_all(calls).await;
    let reads = crate::support::dynamodb_reads(&ctx, &app).await - before;
    assert!(
        reads >= 1.0 && reads < CALLS as f64,
        "{CALLS} concurrent lookups made {reads} reads"
    );

    // Coalescing keeps the guarantee: a write acknowledged before a lookup is seen by it.
    let (id, _) = &ids[0];
    let admin = ctx.admin();
    let r = ctx
        .send(
            &app,
            "PUT",
            &format!("/v1/products/{id}"),
            Some(&admin),
            Some(json!({"price": "101.00"})),
        )
        .await;
    assert_eq!(r.status, 200);
    let r = ctx
        .internal(
            &app,
            "/internal/products/lookup",
            ORDER_TOKEN,
            json!({"ids": [id]}),
        )
        .await;
    assert_eq!(r.data()[0]["price"], json!(101.0));
}
