//! O5 cancel, O6 status changes, O9 refunds, and racing transitions (api/order.md §3.5–3.7, §3.12;
//! acceptance 12, 13, 18, 22).

use serde_json::json;
use uuid::Uuid;

use crate::support::{eventually, TestApp};

async fn paid_order(app: &TestApp) -> (Uuid, Uuid, String) {
    let (id, user, token) = app.placed_order().await;
    let payment = app.submit_proof(id, user).await;
    let res = app.review(id, user, payment, "APPROVED", false).await;
    assert_eq!(res.data()["result"], "applied");
    (id, user, token)
}

#[tokio::test]
async fn the_owner_cancels_a_pending_order_without_a_proof_under_review() {
    let app = TestApp::spawn().await;
    let (id, _, token) = app.placed_order().await;
    let cancel = format!("/v1/orders/{id}/cancel");
    assert_eq!(
        app.post(&cancel, &app.admin(), json!({})).await.status,
        403,
        "admins use O6"
    );
    assert_eq!(
        app.post(&cancel, &token, json!({"note": "no\u{0}"}))
            .await
            .status,
        400,
        "a NUL in the note is bad input, not a failed insert"
    );
    let huge = app
        .post(&cancel, &token, json!({"note": "x".repeat(100 * 1024)}))
        .await;
    assert_eq!(
        (huge.status, huge.body["code"].as_u64()),
        (413, Some(413)),
        "a body over the limit is refused in the error envelope"
    );
    let res = app
        .post(&cancel, &token, json!({"note": "changed my mind"}))
        .await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    assert_eq!(res.body["message"], "success update");
    assert_eq!(res.data()["status"], "CANCELLED");
    assert_eq!(res.data()["status_note"], "changed my mind");
    assert_eq!(res.data()["payment_deadline"], serde_json::Value::Null);
    let history = app.history(id).await;
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["from_status"], serde_json::Value::Null);
    assert_eq!(history[1]["to_status"], "CANCELLED");
    assert_eq!(history[1]["actor"], "customer");
    assert_eq!(app.outbox_count(id, "order.status_changed").await, 1);
    assert_eq!(
        app.post(&cancel, &token, json!({})).await.status,
        409,
        "a second cancel"
    );
    eventually(10, "the warehouse releases", || async {
        app.warehouse.reservation_status(id) == Some("RELEASED")
    })
    .await;

    // With a proof under review → 409; once it is rejected → 200.
    let (id2, user2, token2) = app.placed_order().await;
    let payment = app.submit_proof(id2, user2).await;
    let cancel2 = format!("/v1/orders/{id2}/cancel");
    assert_eq!(app.post(&cancel2, &token2, json!({})).await.status, 409);
    app.review(id2, user2, payment, "REJECTED", false).await;
    assert_eq!(app.post(&cancel2, &token2, json!({})).await.status, 200);
}

#[tokio::test]
async fn delivery_moves_are_200_with_their_notes_and_shipped_is_an_alias() {
    let app = TestApp::spawn().await;
    let admin = app.admin();
    let (id, _, owner) = paid_order(&app).await;
    let shipped = app
        .patch_status(id, &admin, json!({"status": "SHIPPED", "note": "DHL 123"}))
        .await;
    assert_eq!(shipped.status, 200, "{:?}", shipped.body);
    assert_eq!(shipped.data()["status"], "ON_DELIVERY");
    assert_eq!(shipped.data()["status_note"], "DHL 123");
    let delivered = app
        .patch_status(
            id,
            &admin,
            json!({"status": "DELIVERED", "note": "signed by J."}),
        )
        .await;
    assert_eq!(delivered.data()["status"], "DELIVERED");
    let history = app.history(id).await;
    let notes: Vec<_> = history
        .iter()
        .map(|h| (h["to_status"].clone(), h["note"].clone()))
        .collect();
    assert_eq!(notes[2], (json!("ON_DELIVERY"), json!("DHL 123")));
    assert_eq!(notes[3], (json!("DELIVERED"), json!("signed by J.")));
    assert_eq!(history[3]["actor"], "admin");
    let owner_view = app.get(&format!("/v1/orders/{id}/history"), &owner).await;
    assert_eq!(owner_view.data().as_array().unwrap().len(), 4);

    let (pending, _, _) = app.placed_order().await;
    let res = app
        .patch_status(
            pending,
            &admin,
            json!({"status": "CANCELLED", "note": "fraud"}),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.data()["status"], "CANCELLED");
    assert_eq!(
        app.patch_status(pending, &admin, json!({"status": "LOST"}))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn every_transition_outside_the_table_is_409_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin();
    let all = [
        "PENDING",
        "PAYMENT_ACCEPTED",
        "ON_DELIVERY",
        "DELIVERED",
        "FAILED",
        "REJECTED",
        "EXPIRED",
        "CANCELLED",
    ];
    let allowed: &[(&str, &str)] = &[
        ("PENDING", "CANCELLED"),
        ("PAYMENT_ACCEPTED", "ON_DELIVERY"),
        ("PAYMENT_ACCEPTED", "CANCELLED"),
        ("ON_DELIVERY", "DELIVERED"),
        ("ON_DELIVERY", "FAILED"),
    ];
    let (id, _, _) = app.placed_order().await;
    for from in all {
        sqlx::query("UPDATE orders SET status = $2, payment_deadline = NULL WHERE id = $1")
            .bind(id)
            .bind(from)
            .execute(&app.pool)
            .await
            .unwrap();
        for to in all {
            if allowed.contains(&(from, to)) {
                continue;
            }
            let res = app.patch_status(id, &admin, json!({"status": to})).await;
            assert_eq!(res.status, 409, "{from} → {to}: {:?}", res.body);
            assert_eq!(
                res.body["error"]["message"],
                format!("cannot change status from {from} to {to}")
            );
            assert_eq!(app.order(id).await["status"], from);
        }
    }
    assert_eq!(app.history(id).await.len(), 1, "no history row was written");
    assert_eq!(app.outbox(id).await.len(), 0, "no event was written");
    // A PENDING order with a proof under review cannot be cancelled by the admin either.
    let (id, user, _) = app.placed_order().await;
    app.submit_proof(id, user).await;
    assert_eq!(
        app.patch_status(id, &admin, json!({"status": "CANCELLED"}))
            .await
            .status,
        409
    );
}

#[tokio::test]
async fn cancelling_a_paid_order_or_failing_it_reverses_the_sale_and_makes_a_refund_due() {
    let app = TestApp::spawn().await;
    let admin = app.admin();
    let (id, _, _) = paid_order(&app).await;
    let res = app
        .patch_status(
            id,
            &admin,
            json!({"status": "CANCELLED", "note": "customer called"}),
        )
        .await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    assert_eq!(res.data()["refund_status"], "DUE");
    let rows = app.outbox(id).await;
    let last_status = rows
        .iter()
        .rev()
        .find(|(t, _, _)| t == "order.status_changed")
        .unwrap();
    assert_eq!(last_status.2["data"]["restock"], true);
    assert_eq!(last_status.2["data"]["from_status"], "PAYMENT_ACCEPTED");
    assert_eq!(app.outbox_count(id, "sale.reversed").await, 1);
    let reversed = rows.iter().find(|(t, _, _)| t == "sale.reversed").unwrap();
    assert_eq!(reversed.1, "sales-report");
    assert_eq!(reversed.2["data"]["reason"], "CANCELLED");
    eventually(10, "the sale is reversed after it was created", || async {
        let types: Vec<_> = app
            .sales
            .events_for(id)
            .iter()
            .map(|e| e["type"].clone())
            .collect();
        types == vec![json!("sale.created"), json!("sale.reversed")]
    })
    .await;
    eventually(10, "the warehouse returns the stock", || async {
        app.warehouse.reservation_status(id) == Some("RETURNED")
    })
    .await;

    let refund = format!("/v1/orders/{id}/refund");
    assert_eq!(
        app.post(&refund, &admin, json!({"note": ""})).await.status,
        400
    );
    let done = app
        .post(&refund, &admin, json!({"note": "bank ref 42"}))
        .await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    assert_eq!(done.data()["refund_status"], "REFUNDED");
    assert_eq!(done.data()["refund_note"], "bank ref 42");
    assert_eq!(
        app.post(&refund, &admin, json!({"note": "again"}))
            .await
            .status,
        409
    );
    let (pending, _, _) = app.placed_order().await;
    assert_eq!(
        app.post(
            &format!("/v1/orders/{pending}/refund"),
            &admin,
            json!({"note": "x"})
        )
        .await
        .status,
        409
    );

    // FAILED with and without restock.
    for restock in [true, false] {
        let (id, _, _) = paid_order(&app).await;
        app.patch_status(id, &admin, json!({"status": "ON_DELIVERY"}))
            .await;
        let failed = app
            .patch_status(
                id,
                &admin,
                json!({"status": "FAILED", "note": "lost", "restock": restock}),
            )
            .await;
        assert_eq!(failed.status, 200);
        assert_eq!(failed.data()["refund_status"], "DUE");
        let rows = app.outbox(id).await;
        let last = rows
            .iter()
            .rev()
            .find(|(t, _, _)| t == "order.status_changed")
            .unwrap();
        assert_eq!(last.2["data"]["restock"], restock);
        assert_eq!(app.outbox_count(id, "sale.reversed").await, 1);
    }
}

#[tokio::test]
async fn cancel_sweeper_and_review_racing_on_one_order_yield_one_final_status_and_one_event() {
    let app = TestApp::spawn_with(|c| {
        c.order.expiry_grace = std::time::Duration::ZERO;
        c.order.sweep_interval = std::time::Duration::from_secs(3600);
    })
    .await;
    for _ in 0..5 {
        let (id, user, token) = app.placed_order().await;
        sqlx::query("UPDATE orders SET payment_deadline = now() WHERE id = $1")
            .bind(id)
            .execute(&app.pool)
            .await
            .unwrap();
        let sweeper = order::tasks::Sweeper {
            pool: app.pool.clone(),
            settings: order::OrderSettings {
                expiry_grace: std::time::Duration::ZERO,
                ..Default::default()
            },
            relay: eshop_common::outbox::Relay::new(
                app.pool.clone(),
                Default::default(),
                "t",
                Default::default(),
                reqwest::Client::new(),
            ),
        };
        let cancel_path = format!("/v1/orders/{id}/cancel");
        let (cancel, swept, review) = tokio::join!(
            app.post(&cancel_path, &token, json!({})),
            sweeper.sweep_once(),
            app.review(id, user, Uuid::new_v4(), "APPROVED", false),
        );
        assert!(matches!(cancel.status, 200 | 409), "{:?}", cancel.body);
        swept.unwrap();
        assert_eq!(review.status, 200);
        let status = app.order(id).await["status"].clone();
        assert!(
            ["CANCELLED", "EXPIRED", "PAYMENT_ACCEPTED"].contains(&status.as_str().unwrap()),
            "{status}"
        );
        assert_eq!(
            app.history(id).await.len(),
            2,
            "one transition after creation"
        );
        assert_eq!(app.outbox_count(id, "order.status_changed").await, 1);
    }
}
