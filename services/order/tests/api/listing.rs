//! O2 filters and paging, O4 ttl (api/order.md §3.2, §3.4; acceptance 11).

use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use crate::support::{order_body, TestApp};

#[tokio::test]
async fn the_admin_list_filters_by_status_dates_and_user_and_pages_with_a_stable_order() {
    let app = TestApp::spawn().await;
    let p = app.product_in_stock("Car", 10.0, 100);
    let (alice, alice_token) = app.customer();
    let (_, bob_token) = app.customer();
    let mut ids = Vec::new();
    for i in 0..5 {
        let token = if i % 2 == 0 { &alice_token } else { &bob_token };
        let res = app
            .checkout(token, &format!("k{i}"), order_body(&[(p, 1)]))
            .await;
        ids.push(res.data()["id"].as_str().unwrap().parse::<Uuid>().unwrap());
    }
    // Two orders in the past, one cancelled.
    sqlx::query("UPDATE orders SET created_at = '2024-03-10T23:59:59Z' WHERE id = $1")
        .bind(ids[0])
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE orders SET created_at = '2024-03-11T00:00:00Z' WHERE id = $1")
        .bind(ids[1])
        .execute(&app.pool)
        .await
        .unwrap();
    let cancelled = app
        .post(
            &format!("/v1/orders/{}/cancel", ids[2]),
            &alice_token,
            json!({}),
        )
        .await;
    assert_eq!(cancelled.status, 200);
    let admin = app.admin();
    let list = |q: String| {
        let admin = admin.clone();
        let app = &app;
        async move { app.get(&format!("/v1/orders?{q}"), &admin).await }
    };
    let all = list(String::new()).await;
    assert_eq!(all.body["count"], 5);
    let got: Vec<Uuid> = all
        .data()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        got,
        vec![ids[4], ids[3], ids[2], ids[1], ids[0]],
        "newest first"
    );

    let page = list("skip=1&limit=2".into()).await;
    assert_eq!(page.body["count"], 5);
    assert_eq!(page.data()[0]["id"], json!(ids[3]));
    assert_eq!(page.data()[1]["id"], json!(ids[2]));
    let beyond = list("skip=10".into()).await;
    assert_eq!(
        (beyond.data().clone(), beyond.body["count"].clone()),
        (json!([]), json!(5))
    );

    let by_status = list("status=PENDING,EXPIRED".into()).await;
    assert_eq!(by_status.body["count"], 4);
    assert_eq!(
        list("status=CANCELLED".into()).await.data()[0]["id"],
        json!(ids[2])
    );

    let day = list("created_from=2024-03-10&created_to=2024-03-10".into()).await;
    assert_eq!(day.body["count"], 1);
    assert_eq!(day.data()[0]["id"], json!(ids[0]));
    let instants =
        list("created_from=2024-03-10T23:59:59Z&created_to=2024-03-11T00:00:00Z".into()).await;
    assert_eq!(instants.body["count"], 2, "both bounds inclusive");

    let alices = list(format!("user_id={alice}")).await;
    assert_eq!(alices.body["count"], 3);
    assert!(alices
        .data()
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["user_id"] == json!(alice)));

    for bad in [
        "status=LOST",
        "limit=0",
        "limit=501",
        "skip=-1",
        "created_from=yesterday",
        "user_id=x",
        "created_from=2024-03-12&created_to=2024-03-11",
    ] {
        let res = list(bad.into()).await;
        assert_eq!(res.status, 400, "{bad}: {:?}", res.body);
    }
    let own = app
        .get("/v1/orders/user?status=CANCELLED", &alice_token)
        .await;
    assert_eq!(own.body["count"], 1);
}

#[tokio::test]
async fn ttl_counts_down_and_is_zero_when_no_timer_runs() {
    let app = TestApp::spawn().await;
    let (id, user, token) = app.placed_order().await;
    let path = format!("/v1/orders/{id}/ttl");
    let first = app.get(&path, &token).await;
    assert_eq!(first.status, 200);
    let ttl = first.data()["ttl_seconds"].as_i64().unwrap();
    assert!(ttl > 0 && ttl <= 600, "{ttl}");
    assert!(first.data()["payment_deadline"].is_string());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let later = app.get(&path, &token).await.data()["ttl_seconds"]
        .as_i64()
        .unwrap();
    assert!(later < ttl, "{later} < {ttl}");

    app.submit_proof(id, user).await;
    let stopped = app.get(&path, &token).await;
    assert_eq!(stopped.data()["ttl_seconds"], 0);
    assert_eq!(stopped.data()["payment_deadline"], serde_json::Value::Null);

    let (other, _, other_token) = app.placed_order().await;
    app.post(
        &format!("/v1/orders/{other}/cancel"),
        &other_token,
        json!({}),
    )
    .await;
    assert_eq!(
        app.get(&format!("/v1/orders/{other}/ttl"), &other_token)
            .await
            .data()["ttl_seconds"],
        0
    );

    // A deadline already passed (the sweeper has not run yet) reads 0, never negative.
    let (late, _, late_token) = app.placed_order().await;
    sqlx::query("UPDATE orders SET payment_deadline = $2 WHERE id = $1")
        .bind(late)
        .bind(Utc::now() - chrono::Duration::seconds(5))
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.get(&format!("/v1/orders/{late}/ttl"), &late_token)
            .await
            .data()["ttl_seconds"],
        0
    );
}
