//! Consuming payment events and I1 eligibility (api/order.md §3.9–3.10; acceptance 15–17, 20).

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::json;
use sha2::Sha256;
use uuid::Uuid;

use crate::support::{TestApp, PAYMENT_TOKEN};

#[tokio::test]
async fn a_submitted_proof_stops_the_timer_and_the_order_shows_a_signed_proof_link() {
    let app = TestApp::spawn().await;
    let (id, user, token) = app.placed_order().await;
    let payment_id = Uuid::new_v4();
    let data = json!({"payment_id": payment_id, "order_id": id, "user_id": user, "status": "PENDING",
                      "total_amount": 160.76, "content_type": "image/png", "submitted_at": "2024-05-01T10:00:00Z"});
    let envelope = json!({"id": Uuid::now_v7(), "type": "payment.submitted", "occurred_at": "2024-05-01T10:00:00Z",
                          "source": "payment", "data": data});
    let first = app.post_envelope(PAYMENT_TOKEN, envelope.clone()).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    assert_eq!(first.data()["result"], "applied");
    assert_eq!(first.data()["event_id"], envelope["id"]);
    let again = app.post_envelope(PAYMENT_TOKEN, envelope).await;
    assert_eq!(again.data()["result"], "duplicate");

    let order = app
        .get(&format!("/v1/orders/{id}"), &token)
        .await
        .data()
        .clone();
    assert_eq!(order["status"], "PENDING");
    assert_eq!(order["payment_status"], "PENDING");
    assert_eq!(order["payment_id"], json!(payment_id));
    assert_eq!(order["payment_deadline"], serde_json::Value::Null);
    let url = order["payment_image_url"].as_str().unwrap();
    let prefix = format!("http://localhost:2006/v1/payments/{payment_id}/proof?exp=");
    assert!(url.starts_with(&prefix), "{url}");
    let (exp, sig) = url[prefix.len()..].split_once("&sig=").unwrap();
    let exp: i64 = exp.parse().unwrap();
    assert!(
        (exp - Utc::now().timestamp() - 900).abs() <= 5,
        "exp ≈ now + 900"
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(b"local-proof-link-secret").unwrap();
    mac.update(format!("{payment_id}|{exp}").as_bytes());
    assert_eq!(sig, hex::encode(mac.finalize().into_bytes()));

    // Another user's order, or a final one: ignored.
    let (other, _, _) = app.placed_order().await;
    let res = app
        .payment_event(
            "payment.submitted",
            json!({"payment_id": Uuid::new_v4(), "order_id": other,
        "user_id": user, "submitted_at": "2024-05-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(res.data()["result"], "ignored");
    assert_eq!(app.order(other).await["payment_status"], "");
    let (cancelled, owner, owner_token) = app.placed_order().await;
    app.post(
        &format!("/v1/orders/{cancelled}/cancel"),
        &owner_token,
        json!({}),
    )
    .await;
    let res = app
        .payment_event(
            "payment.submitted",
            json!({"payment_id": Uuid::new_v4(), "order_id": cancelled,
        "user_id": owner, "submitted_at": "2024-05-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(res.data()["result"], "ignored");
    let malformed = app
        .payment_event("payment.submitted", json!({"order_id": "x"}))
        .await;
    assert_eq!(malformed.status, 400);
    let unknown_type = app.payment_event("payment.refunded", json!({})).await;
    assert_eq!(unknown_type.data()["result"], "ignored");
}

#[tokio::test]
async fn an_approval_delivered_twice_gives_one_status_change_and_one_sale() {
    let app = TestApp::spawn().await;
    let p1 = app.product.add("Car", 1000.0);
    let p2 = app.product.add("Wheel", 50.0);
    app.warehouse.stock(p1, "10250", 1);
    app.warehouse.stock(p2, "15000", 1);
    app.warehouse.stock(p2, "10250", 5);
    let (user, token) = app.customer();
    let res = app
        .checkout(&token, "k", crate::support::order_body(&[(p1, 1), (p2, 3)]))
        .await;
    let id: Uuid = res.data()["id"].as_str().unwrap().parse().unwrap();
    let payment = app.submit_proof(id, user).await;
    let reviewer = Uuid::new_v4();
    let envelope = json!({"id": Uuid::now_v7(), "type": "payment.reviewed", "occurred_at": "2024-05-01T10:00:00Z",
        "source": "payment", "data": {"payment_id": payment, "order_id": id, "user_id": user, "status": "APPROVED",
        "note": "looks fine", "reject_order": false, "reviewed_by": reviewer, "reviewed_at": "2024-05-01T10:05:00Z"}});
    assert_eq!(
        app.post_envelope(PAYMENT_TOKEN, envelope.clone())
            .await
            .data()["result"],
        "applied"
    );
    assert_eq!(
        app.post_envelope(PAYMENT_TOKEN, envelope).await.data()["result"],
        "duplicate"
    );
    let second = app.review(id, user, payment, "APPROVED", false).await;
    assert_eq!(second.data()["result"], "ignored");

    let order = app.order(id).await;
    assert_eq!(order["status"], "PAYMENT_ACCEPTED");
    assert_eq!(order["payment_status"], "APPROVED");
    assert_eq!(order["payment_note"], "looks fine");
    assert_eq!(app.outbox_count(id, "order.status_changed").await, 1);
    assert_eq!(app.outbox_count(id, "sale.created").await, 1);
    let history = app.history(id).await;
    assert_eq!(history[1]["actor"], "payment");
    assert_eq!(history[1]["actor_id"], json!(reviewer));
    let sale = app
        .outbox(id)
        .await
        .into_iter()
        .find(|(t, _, _)| t == "sale.created")
        .unwrap()
        .2;
    let data = &sale["data"];
    assert_eq!(data["order_id"], json!(id));
    assert_eq!(data["total_price"].as_f64(), order["total_price"].as_f64());
    let items = data["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "one item per line and source warehouse");
    assert_eq!(items[0]["price"].as_f64(), Some(1000.0));
    assert_eq!(
        items[1]["quantity"].as_i64().unwrap() + items[2]["quantity"].as_i64().unwrap(),
        3
    );
    for f in [
        "order_item_id",
        "product_name",
        "sku",
        "category_id",
        "warehouse_id",
        "shipping_cost",
    ] {
        assert!(!items[0][f].is_null(), "{f}");
    }
    crate::support::eventually(
        10,
        "warehouse commits, sales-report gets the sale",
        || async {
            app.warehouse.reservation_status(id) == Some("COMMITTED")
                && app.sales.events_for(id).len() == 1
        },
    )
    .await;
}

#[tokio::test]
async fn rejections_keep_the_order_pending_until_the_third_or_a_final_one() {
    let app = TestApp::spawn().await;
    let (id, user, _) = app.placed_order().await;
    let initial: DateTime<Utc> = app.order(id).await["payment_deadline"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    for round in 1..=3 {
        let payment = app.submit_proof(id, user).await;
        let res = app.review(id, user, payment, "REJECTED", false).await;
        assert_eq!(res.data()["result"], "applied");
        let order = app.order(id).await;
        if round < 3 {
            assert_eq!(order["status"], "PENDING");
            assert_eq!(order["payment_status"], "REJECTED");
            let fresh: DateTime<Utc> = order["payment_deadline"].as_str().unwrap().parse().unwrap();
            assert!(fresh >= initial, "a fresh deadline");
            assert_eq!(
                app.outbox(id).await.len(),
                0,
                "no event for a non-final rejection"
            );
            assert_eq!(app.history(id).await.len(), 1);
        } else {
            assert_eq!(order["status"], "REJECTED");
        }
    }
    let rows = app.outbox(id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].2["data"]["status"], "REJECTED");

    let (id, user, _) = app.placed_order().await;
    let payment = app.submit_proof(id, user).await;
    app.review(id, user, payment, "REJECTED", true).await;
    assert_eq!(
        app.order(id).await["status"],
        "REJECTED",
        "reject_order ends it at once"
    );

    // Reviews after expiry or cancel change nothing.
    let (expired, user, _) = app.placed_order().await;
    let payment = app.submit_proof(expired, user).await;
    sqlx::query("UPDATE orders SET status = 'EXPIRED', payment_deadline = NULL WHERE id = $1")
        .bind(expired)
        .execute(&app.pool)
        .await
        .unwrap();
    for status in ["APPROVED", "REJECTED"] {
        assert_eq!(
            app.review(expired, user, payment, status, false)
                .await
                .data()["result"],
            "ignored"
        );
    }
    assert_eq!(app.order(expired).await["status"], "EXPIRED");
    assert_eq!(app.outbox(expired).await.len(), 0);
    let bad = app.review(expired, user, payment, "MAYBE", false).await;
    assert_eq!(bad.status, 400);
    // A review of a superseded proof is ignored.
    let (id, user, _) = app.placed_order().await;
    let old = app.submit_proof(id, user).await;
    app.submit_proof(id, user).await;
    assert_eq!(
        app.review(id, user, old, "APPROVED", false).await.data()["result"],
        "ignored"
    );
    assert_eq!(app.order(id).await["status"], "PENDING");
}

#[tokio::test]
async fn payment_eligibility_answers_payable_only_for_the_owners_pending_order() {
    let app = TestApp::spawn().await;
    let (id, user, _) = app.placed_order().await;
    let ask = |query: String| {
        let app = &app;
        async move {
            app.call(
                Method::GET,
                &format!("/internal/orders/{id}/payment-eligibility{query}"),
                None,
                None,
                &[("X-Service-Token", PAYMENT_TOKEN)],
            )
            .await
        }
    };
    let res = ask(format!("?user_id={user}")).await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    let d = res.data();
    assert_eq!(d["payable"], true);
    assert_eq!(d["order_id"], json!(id));
    assert_eq!(d["user_id"], json!(user));
    assert_eq!(d["status"], "PENDING");
    assert_eq!(d["payment_status"], "");
    assert!(d["total_price"].is_number());
    assert!(d["ttl_seconds"].as_i64().unwrap() > 0);
    assert_eq!(
        ask(String::new()).await.status,
        200,
        "approval check without user_id"
    );
    assert_eq!(
        ask(format!("?user_id={}", Uuid::new_v4())).await.status,
        403
    );
    assert_eq!(ask("?user_id=x".into()).await.status, 400);
    let unknown = app
        .call(
            Method::GET,
            &format!("/internal/orders/{}/payment-eligibility", Uuid::new_v4()),
            None,
            None,
            &[("X-Service-Token", PAYMENT_TOKEN)],
        )
        .await;
    assert_eq!(unknown.status, 404);
    sqlx::query("UPDATE orders SET payment_deadline = now() - interval '1 second' WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        ask(String::new()).await.status,
        409,
        "deadline passed, sweeper not yet run"
    );
    sqlx::query("UPDATE orders SET status = 'EXPIRED', payment_deadline = NULL WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(ask(String::new()).await.status, 409);
}
