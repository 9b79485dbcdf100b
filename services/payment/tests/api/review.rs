//! `PATCH /v1/payments` (api/payment.md §2.4, §6 checks 12–16; issue 8 check 3).

use std::time::Duration;

use serde_json::{json, Value};
use uuid::Uuid;

use super::support::TestApp;

async fn reviewed_events(app: &TestApp) -> Vec<Value> {
    let rows: Vec<sqlx::types::Json<Value>> = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE type = 'payment.reviewed' ORDER BY created_at",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    rows.into_iter().map(|j| j.0).collect()
}

async fn status_of(app: &TestApp, id: &str) -> String {
    sqlx::query_scalar("SELECT status FROM payments WHERE id = ?")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn customers_and_warehouse_roles_cannot_review_even_their_own_payment() {
    let app = TestApp::spawn().await;
    let (owner, owner_token, _, id) = app.uploaded().await;
    let _ = owner;
    let manager = app.token(Uuid::new_v4(), &["warehouse_manager"]);
    let staff = app.token(Uuid::new_v4(), &["warehouse_staff"]);
    for token in [&owner_token, &manager, &staff] {
        for status in ["APPROVED", "REJECTED"] {
            let res = app.review(token, &id, status).await;
            assert_eq!(res.status, 403, "{res:?}");
        }
        // Role before body: even a malformed body is 403 for them.
        let res = app
            .send(
                app.http
                    .patch(app.url("/v1/payments"))
                    .bearer_auth(token)
                    .header("content-type", "application/json")
                    .body("{"),
            )
            .await;
        assert_eq!(res.status, 403);
    }
    assert_eq!(status_of(&app, &id).await, "PENDING");
    assert!(reviewed_events(&app).await.is_empty());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox").await,
        1,
        "only the submitted row"
    );
}

#[tokio::test]
async fn an_admin_approval_sets_the_reviewer_and_writes_one_approved_event() {
    let app = TestApp::spawn().await;
    let (admin_id, admin) = app.admin();
    let (user, _, order, id) = app.uploaded().await;
    let res = app
        .patch(
            Some(&admin),
            json!({"paymentId": id, "status": "APPROVED", "adminNote": "ok"}),
        )
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(res.body["message"], "payment status updated successfully");
    let data = res.data();
    assert_eq!(data["status"], "APPROVED");
    assert_eq!(data["reviewedBy"], admin_id.to_string());
    assert!(data["reviewedAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(data["adminNote"], "ok");
    // The eligibility call before an approval carries no user_id.
    let calls = app.stub.calls();
    assert_eq!(calls.last().unwrap().user_id, None);
    let events = reviewed_events(&app).await;
    assert_eq!(events.len(), 1);
    let d = &events[0]["data"];
    assert_eq!(d["status"], "APPROVED");
    assert_eq!(d["payment_id"], id.as_str());
    assert_eq!(d["order_id"], order.to_string());
    assert_eq!(d["user_id"], user.to_string());
    assert_eq!(d["note"], "ok");
    assert_eq!(d["reject_order"], false);
    assert_eq!(d["reviewed_by"], admin_id.to_string());
    assert!(d["reviewed_at"].as_str().unwrap().ends_with('Z'));
    // The relay delivers it to the order.
    assert!(
        app.eventually(10, || async { app.stub.delivered().len() == 2 })
            .await
    );
    assert_eq!(app.stub.delivered()[1]["type"], "payment.reviewed");
}

#[tokio::test]
async fn a_rejection_carries_reject_order_only_when_the_admin_says_so() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.admin();
    let (_, _, _, plain) = app.uploaded().await;
    let (_, _, _, final_one) = app.uploaded().await;
    let res = app
        .patch(
            Some(&admin),
            json!({"paymentId": plain, "status": "REJECTED"}),
        )
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(res.data()["adminNote"], Value::Null);
    let res = app
        .patch(
            Some(&admin),
            json!({"paymentId": final_one, "status": "REJECTED",
        "adminNote": "forged", "rejectOrder": true}),
        )
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let events = reviewed_events(&app).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["data"]["reject_order"], false);
    assert_eq!(events[0]["data"]["note"], "");
    assert_eq!(events[0]["data"]["status"], "REJECTED");
    assert_eq!(events[1]["data"]["reject_order"], true);
    assert_eq!(events[1]["data"]["note"], "forged");
}

#[tokio::test]
async fn approving_twice_is_idempotent_and_the_opposite_decision_is_409() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.admin();
    let (_, _, _, approved) = app.uploaded().await;
    let first = app.review(&admin, &approved, "APPROVED").await;
    assert_eq!(first.status, 200);
    let again = app.review(&admin, &approved, "APPROVED").await;
    assert_eq!(again.status, 200, "{again:?}");
    assert_eq!(again.data()["updatedAt"], first.data()["updatedAt"]);
    assert_eq!(again.data()["reviewedAt"], first.data()["reviewedAt"]);
    assert_eq!(reviewed_events(&app).await.len(), 1, "still one event");
    assert_eq!(app.review(&admin, &approved, "REJECTED").await.status, 409);
    assert_eq!(status_of(&app, &approved).await, "APPROVED");

    let (_, _, _, rejected) = app.uploaded().await;
    assert_eq!(app.review(&admin, &rejected, "REJECTED").await.status, 200);
    assert_eq!(app.review(&admin, &rejected, "REJECTED").await.status, 200);
    assert_eq!(app.review(&admin, &rejected, "APPROVED").await.status, 409);
    assert_eq!(status_of(&app, &rejected).await, "REJECTED");
    assert_eq!(reviewed_events(&app).await.len(), 2);
}

#[tokio::test]
async fn invalid_review_requests_are_422_400_or_404() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.admin();
    let (_, _, _, id) = app.uploaded().await;
    assert_eq!(app.review(&admin, &id, "PENDING").await.status, 422);
    assert_eq!(app.review(&admin, &id, "PAID").await.status, 400);
    assert_eq!(
        app.patch(Some(&admin), json!({"status": "APPROVED"}))
            .await
            .status,
        400
    );
    assert_eq!(
        app.patch(
            Some(&admin),
            json!({"paymentId": "abc", "status": "APPROVED"})
        )
        .await
        .status,
        400
    );
    let res = app
        .send(
            app.http
                .patch(app.url("/v1/payments"))
                .bearer_auth(&admin)
                .header("content-type", "application/json")
                .body("{\"paymentId\": "),
        )
        .await;
    assert_eq!(res.status, 400, "{res:?}");
    assert!(res.body.is_object(), "a JSON body");
    let res = app
        .review(&admin, &Uuid::now_v7().to_string(), "APPROVED")
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(status_of(&app, &id).await, "PENDING");
    assert!(reviewed_events(&app).await.is_empty());
}

#[tokio::test]
async fn ten_concurrent_identical_approvals_make_one_change_and_one_event() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.admin();
    let (_, _, _, id) = app.uploaded().await;
    let results =
        futures::future::join_all((0..10).map(|_| app.review(&admin, &id, "APPROVED"))).await;
    assert!(results.iter().all(|r| r.status == 200), "{results:?}");
    assert_eq!(reviewed_events(&app).await.len(), 1);
    assert_eq!(status_of(&app, &id).await, "APPROVED");
}

#[tokio::test]
async fn concurrent_approve_and_reject_give_one_200_and_one_409_matching_the_single_event() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.admin();
    for _ in 0..3 {
        let (_, _, _, id) = app.uploaded().await;
        let before = reviewed_events(&app).await.len();
        let (a, r) = tokio::join!(
            app.review(&admin, &id, "APPROVED"),
            app.review(&admin, &id, "REJECTED")
        );
        let mut statuses = [a.status, r.status];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{a:?} {r:?}");
        let events = reviewed_events(&app).await;
        assert_eq!(events.len(), before + 1);
        assert_eq!(
            events.last().unwrap()["data"]["status"],
            status_of(&app, &id).await.as_str()
        );
    }
}

#[tokio::test]
async fn approving_when_the_order_is_no_longer_payable_is_409_and_rejecting_still_works() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.admin();
    let (_, _, order, id) = app.uploaded().await;
    app.stub.set_status(order, "EXPIRED");
    let res = app.review(&admin, &id, "APPROVED").await;
    assert_eq!(res.status, 409, "{res:?}");
    assert_eq!(status_of(&app, &id).await, "PENDING");
    assert!(reviewed_events(&app).await.is_empty());
    let res = app.review(&admin, &id, "REJECTED").await;
    assert_eq!(res.status, 200, "{res:?}");
    let events = reviewed_events(&app).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["data"]["status"], "REJECTED");
    // The order service unavailable during an approval → 503, still PENDING elsewhere.
    let (_, _, _, other) = app.uploaded().await;
    app.stub.set_eligibility_delay(Duration::from_secs(3));
    let res = app.review(&admin, &other, "APPROVED").await;
    assert_eq!(res.status, 503, "{res:?}");
    assert_eq!(status_of(&app, &other).await, "PENDING");
}
