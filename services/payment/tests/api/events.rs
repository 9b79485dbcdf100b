//! `payment.submitted` and `payment.reviewed` reaching the order (api/payment.md §4, §6 check 9; design §4.2).

use std::time::{Duration, Instant};

use serde_json::Value;

use super::support::{jpeg, Options, TestApp};

async fn delivered_at(app: &TestApp, event_type: &str) -> Vec<Option<chrono::NaiveDateTime>> {
    sqlx::query_scalar("SELECT delivered_at FROM outbox WHERE type = ? ORDER BY created_at")
        .bind(event_type)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn payment_submitted_reaches_the_order_before_the_201_with_the_contract_fields_and_no_url() {
    let app = TestApp::spawn().await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 99.9);
    let res = app.upload(&token, order, jpeg()).await;
    let answered = Instant::now();
    assert_eq!(res.status, 201, "{res:?}");
    let received = app.stub.received();
    assert_eq!(received.len(), 1, "delivered inline, before the answer");
    let event = &received[0];
    assert!(event.at <= answered);
    assert_eq!(event.token.as_deref(), Some(super::stub::PAYMENT_TOKEN));
    let e = &event.envelope;
    assert_eq!(e["type"], "payment.submitted");
    assert_eq!(e["source"], "payment");
    assert!(e["occurred_at"].as_str().unwrap().ends_with('Z'));
    let data = &e["data"];
    assert_eq!(data["payment_id"], res.data()["id"]);
    assert_eq!(data["order_id"], order.to_string());
    assert_eq!(data["user_id"], user.to_string());
    assert_eq!(data["status"], "PENDING");
    assert_eq!(data["total_amount"], 99.9);
    assert_eq!(data["content_type"], "image/jpeg");
    assert!(data["submitted_at"].as_str().unwrap().ends_with('Z'));
    let text = e.to_string();
    assert!(
        !text.contains("http") && !text.contains("X-Amz"),
        "no URL: {text}"
    );
    assert_eq!(delivered_at(&app, "payment.submitted").await.len(), 1);
    assert!(
        delivered_at(&app, "payment.submitted").await[0].is_some(),
        "the row is delivered"
    );
}

#[tokio::test]
async fn a_failing_or_slow_order_does_not_fail_the_upload_and_the_relay_redelivers_with_growing_delays(
) {
    let app = TestApp::spawn_with(Options {
        outbox: eshop_common::outbox::OutboxSettings {
            max_backoff: Duration::from_secs(300),
            ..Options::default().outbox
        },
        ..Options::default()
    })
    .await;
    let (user, token) = app.customer();
    // 500 to the inline attempt and the first retry, then 200.
    app.stub.answer_events_with(&[500, 500]);
    let order = app.stub.order(user, 10.0);
    let res = app.upload(&token, order, jpeg()).await;
    assert_eq!(res.status, 201, "{res:?}");
    assert!(
        app.eventually(15, || async { app.stub.delivered().len() == 1 })
            .await
    );
    let times: Vec<Instant> = app.stub.received().iter().map(|r| r.at).collect();
    assert_eq!(times.len(), 3);
    let (first, second) = (times[1] - times[0], times[2] - times[1]);
    // 2^0 s then 2^1 s, each ± 20 %.
    assert!(first >= Duration::from_millis(750), "{first:?}");
    assert!(second > first, "{first:?} then {second:?}");
    assert!(
        app.eventually(5, || async {
            delivered_at(&app, "payment.submitted").await[0].is_some()
        })
        .await
    );

    // Slower than the 1 s inline timeout: still 201 (after about a second), then redelivered.
    app.stub.set_event_delay(Duration::from_millis(1500));
    let order = app.stub.order(user, 10.0);
    let started = Instant::now();
    let res = app.upload(&token, order, jpeg()).await;
    assert_eq!(res.status, 201, "{res:?}");
    assert!(
        started.elapsed() < Duration::from_millis(2900),
        "{:?}",
        started.elapsed()
    );
    app.stub.set_event_delay(Duration::ZERO);
    assert!(
        app.eventually(15, || async {
            delivered_at(&app, "payment.submitted")
                .await
                .iter()
                .all(Option::is_some)
        })
        .await
    );
}

#[tokio::test]
async fn pending_events_are_delivered_after_a_restart() {
    let mut first = TestApp::spawn().await;
    let (user, token) = first.customer();
    first.stub.answer_events_with(&[503]);
    let order = first.stub.order(user, 10.0);
    assert_eq!(first.upload(&token, order, jpeg()).await.status, 201);
    first.stub.answer_events_with(&[503; 50]);
    first.stop().await;
    assert_eq!(delivered_at(&first, "payment.submitted").await, vec![None]);
    first.stub.state.event_answers.lock().unwrap().clear();
    let second = first.sibling(Options::default()).await;
    assert!(
        second
            .eventually(15, || async {
                delivered_at(&second, "payment.submitted").await[0].is_some()
            })
            .await
    );
    assert_eq!(second.stub.delivered().len(), 1);
}

#[tokio::test]
async fn two_relay_instances_never_deliver_the_same_row_concurrently() {
    let first = TestApp::spawn().await;
    let second = first.sibling(Options::default()).await;
    let (user, token) = first.customer();
    // Every inline attempt fails, so both relays compete for the rows.
    first.stub.answer_events_with(&[503; 12]);
    for _ in 0..12 {
        let order = first.stub.order(user, 10.0);
        assert_eq!(first.upload(&token, order, jpeg()).await.status, 201);
    }
    first.stub.set_event_delay(Duration::from_millis(200));
    assert!(
        first
            .eventually(30, || async {
                delivered_at(&first, "payment.submitted")
                    .await
                    .iter()
                    .all(Option::is_some)
            })
            .await
    );
    let delivered = first.stub.delivered();
    let mut ids: Vec<String> = delivered
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12);
    assert_eq!(delivered.len(), 12, "each row delivered once");
    assert_eq!(*first.stub.state.max_in_flight_per_event.lock().unwrap(), 1);
    drop(second);
}

#[tokio::test]
async fn payment_reviewed_is_never_delivered_before_the_submitted_event_of_its_order() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.admin();
    let (user, token) = app.customer();
    app.stub.refuse_type("payment.submitted", true);
    let order = app.stub.order(user, 10.0);
    let res = app.upload(&token, order, jpeg()).await;
    assert_eq!(res.status, 201);
    let id = res.data()["id"].as_str().unwrap().to_string();
    assert_eq!(app.review(&admin, &id, "APPROVED").await.status, 200);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        app.stub.delivered().is_empty(),
        "reviewed held behind submitted"
    );
    assert!(app
        .stub
        .received()
        .iter()
        .all(|r| r.envelope["type"] == "payment.submitted"));
    app.stub.refuse_type("payment.submitted", false);
    assert!(
        app.eventually(15, || async { app.stub.delivered().len() == 2 })
            .await
    );
    let types: Vec<Value> = app
        .stub
        .delivered()
        .iter()
        .map(|e| e["type"].clone())
        .collect();
    assert_eq!(types, vec!["payment.submitted", "payment.reviewed"]);
}

#[tokio::test]
async fn a_400_from_the_order_parks_the_row() {
    let app = TestApp::spawn().await;
    let (user, token) = app.customer();
    app.stub.answer_events_with(&[400]);
    let order = app.stub.order(user, 10.0);
    assert_eq!(app.upload(&token, order, jpeg()).await.status, 201);
    let parked: Vec<(Option<chrono::NaiveDateTime>, u32)> =
        sqlx::query_as("SELECT parked_at, attempts FROM outbox")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(parked.len(), 1);
    assert!(parked[0].0.is_some(), "parked at once");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(app.stub.received().len(), 1, "a parked row is not retried");
}
