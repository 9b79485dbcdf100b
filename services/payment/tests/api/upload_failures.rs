//! Outages during an upload (api/payment.md §6 check 8): the order service down, slow or failing, or S3
//! cut → 503 with the request id and no driver text, and nothing stored anywhere.

use std::time::Duration;

use test_support::proxy::TcpProxy;

use super::multipart::MultipartExt;

use super::support::{form, jpeg, s3_endpoint, Options, Res, TestApp};

fn assert_plain_503(res: &Res, request_id: &str) {
    assert_eq!(res.status, 503, "{res:?}");
    let message = res.body["error"]["message"].as_str().unwrap();
    assert!(message.contains(request_id), "{message}");
    for leak in [
        "sqlx",
        "mysql",
        "dispatch",
        "hyper",
        "connection refused",
        "error sending",
        "Sdk",
        "timed out",
        "127.0.0.1",
    ] {
        assert!(
            !res.text.to_lowercase().contains(&leak.to_lowercase()),
            "{leak} in {}",
            res.text
        );
    }
}

async fn upload_with_id(app: &TestApp, token: &str, order: uuid::Uuid, id: &str) -> Res {
    app.send(
        app.http
            .post(app.url("/v1/payments"))
            .bearer_auth(token)
            .header("x-request-id", id)
            .multipart(form(order, jpeg(), "image/jpeg", "p.jpg")),
    )
    .await
}

#[tokio::test]
async fn the_order_service_down_slow_or_failing_gives_503_and_stores_nothing() {
    // Down: nothing listens at its address.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let app = TestApp::spawn_with(Options {
        order_service: Some(down),
        ..Options::default()
    })
    .await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 10.0);
    assert_plain_503(
        &upload_with_id(&app, &token, order, "req-down").await,
        "req-down",
    );
    app.assert_nothing_stored().await;

    let app = TestApp::spawn_with(Options {
        client_timeout: Duration::from_millis(300),
        ..Options::default()
    })
    .await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 10.0);
    // Slower than HTTP_CLIENT_TIMEOUT_MS.
    app.stub.set_eligibility_delay(Duration::from_secs(2));
    assert_plain_503(
        &upload_with_id(&app, &token, order, "req-slow").await,
        "req-slow",
    );
    app.stub.set_eligibility_delay(Duration::ZERO);
    // 500, and other unexpected answers.
    for status in [500, 502, 401, 400] {
        app.stub.force_eligibility(Some(status));
        let id = format!("req-{status}");
        assert_plain_503(&upload_with_id(&app, &token, order, &id).await, &id);
    }
    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn s3_cut_during_an_upload_gives_503_and_leaves_no_row_or_outbox_row() {
    let upstream = s3_endpoint().trim_start_matches("http://").to_string();
    let proxy = TcpProxy::start(&upstream).await;
    let app = TestApp::spawn_with(Options {
        s3_endpoint: Some(format!("http://{}", proxy.addr())),
        ..Options::default()
    })
    .await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 10.0);
    proxy.cut();
    assert_plain_503(
        &upload_with_id(&app, &token, order, "req-s3").await,
        "req-s3",
    );
    app.assert_nothing_stored().await;
    assert!(app.stub.received().is_empty());
    // Back again: the same upload works.
    proxy.restore();
    let res = app.upload(&token, order, jpeg()).await;
    assert_eq!(res.status, 201, "{res:?}");
}
