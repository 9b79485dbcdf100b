//! `POST /v1/payments` (api/payment.md §2.1; checks 2–7; issue 8 checks 1, 2, 4).

use super::multipart::{Form, MultipartExt, Part};
use serde_json::Value;
use uuid::Uuid;

use super::support::{fetch, form, jpeg, pdf, png, webp, Options, TestApp};

#[tokio::test]
async fn customer_uploads_a_jpeg_for_their_own_pending_order_and_the_url_returns_its_bytes() {
    let app = TestApp::spawn().await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 123.45);
    let bytes = jpeg();
    let res = app.upload(&token, order, bytes.clone()).await;
    assert_eq!(res.status, 201, "{res:?}");
    assert_eq!(res.body["message"], "payment created successfully");
    let data = res.data();
    assert_eq!(data["status"], "PENDING");
    assert_eq!(data["userId"], user.to_string());
    assert_eq!(data["orderId"], order.to_string());
    assert_eq!(data["totalAmount"], 123.45);
    assert_eq!(data["contentType"], "image/jpeg");
    assert_eq!(data["sizeBytes"], bytes.len());
    assert_eq!(data["note"], "");
    for field in ["adminNote", "reviewedBy", "reviewedAt"] {
        assert_eq!(data[field], Value::Null, "{field}");
    }
    assert!(data["createdAt"].as_str().unwrap().ends_with('Z'));
    let (status, body) = fetch(data["imageUrl"].as_str().unwrap()).await;
    assert_eq!((status, body), (200, bytes));
    // The object: its key, type, encryption and checksum (§2.1 step 4), no public grant (§3).
    let id = data["id"].as_str().unwrap();
    let key = format!("payments/{order}/{id}.jpg");
    assert_eq!(app.objects().await, vec![key.clone()]);
    let head = app
        .s3
        .head_object()
        .bucket(&app.bucket)
        .key(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_type(), Some("image/jpeg"));
    assert_eq!(
        head.server_side_encryption().map(|s| s.as_str()),
        Some("AES256")
    );
    assert_eq!(head.metadata().unwrap()["sha256"].len(), 64);
    let acl = app
        .s3
        .get_object_acl()
        .bucket(&app.bucket)
        .key(&key)
        .send()
        .await
        .unwrap();
    for grant in acl.grants() {
        let uri = grant.grantee().and_then(|g| g.uri()).unwrap_or_default();
        assert!(
            !uri.contains("AllUsers") && !uri.contains("AuthenticatedUsers"),
            "{uri}"
        );
    }
    let block = app
        .s3
        .get_public_access_block()
        .bucket(&app.bucket)
        .send()
        .await
        .unwrap();
    let block = block.public_access_block_configuration().unwrap();
    assert_eq!(
        (
            block.block_public_acls(),
            block.ignore_public_acls(),
            block.block_public_policy(),
            block.restrict_public_buckets()
        ),
        (Some(true), Some(true), Some(true), Some(true))
    );
    assert!(app
        .s3
        .get_bucket_policy()
        .bucket(&app.bucket)
        .send()
        .await
        .is_err());
    // The order's timer stops: it was told before the 201 (issue 8 check 1).
    let delivered = app.stub.delivered();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0]["type"], "payment.submitted");
    // api/payment.md §5: the upload is counted.
    let metrics = app.get("/metrics", None).await.text;
    assert!(
        metrics.contains("payment_uploads_total{result=\"created\"}"),
        "{metrics}"
    );
}

#[tokio::test]
async fn png_webp_and_pdf_are_accepted_with_the_type_of_their_bytes_not_the_declared_one() {
    let app = TestApp::spawn().await;
    let (user, token) = app.customer();
    for (bytes, expected, ext) in [
        (png(), "image/png", "png"),
        (webp(), "image/webp", "webp"),
        (pdf(), "application/pdf", "pdf"),
    ] {
        let order = app.stub.order(user, 10.0);
        let res = app
            .post_form(Some(&token), form(order, bytes, "text/plain", "proof.exe"))
            .await;
        assert_eq!(res.status, 201, "{res:?}");
        assert_eq!(res.data()["contentType"], expected);
        let id = res.data()["id"].as_str().unwrap();
        assert!(app
            .objects()
            .await
            .contains(&format!("payments/{order}/{id}.{ext}")));
    }
}

#[tokio::test]
async fn gif_svg_html_text_and_a_renamed_exe_are_refused_with_415_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 10.0);
    let cases: Vec<(Vec<u8>, &str, &str)> = vec![
        (
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00".to_vec(),
            "image/gif",
            "proof.gif",
        ),
        (
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
            "image/svg+xml",
            "proof.svg",
        ),
        (
            b"<!doctype html><html><script>alert(1)</script></html>".to_vec(),
            "text/html",
            "proof.html",
        ),
        (b"I paid, promise".to_vec(), "image/jpeg", "proof.jpg"),
        (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec(),
            "image/png",
            "setup.png",
        ),
    ];
    for (bytes, declared, name) in cases {
        let res = app
            .post_form(Some(&token), form(order, bytes, declared, name))
            .await;
        assert_eq!(res.status, 415, "{name}: {res:?}");
        assert_eq!(res.body["code"], 415);
    }
    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn a_file_of_exactly_the_limit_is_accepted_and_one_byte_more_is_413_with_nothing_stored() {
    let limit = 64 * 1024;
    let app = TestApp::spawn_with(Options {
        max_upload_bytes: limit,
        ..Options::default()
    })
    .await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 10.0);
    let mut over = jpeg();
    over.resize(limit + 1, 0);
    let res = app.upload(&token, order, over).await;
    assert_eq!(res.status, 413, "{res:?}");
    app.assert_nothing_stored().await;
    let mut exact = jpeg();
    exact.resize(limit, 0);
    let res = app.upload(&token, order, exact).await;
    assert_eq!(res.status, 201, "{res:?}");
    assert_eq!(res.data()["sizeBytes"], limit);
}

#[tokio::test]
async fn the_default_limit_is_five_mib() {
    let app = TestApp::spawn().await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 10.0);
    let mut over = jpeg();
    over.resize(5 * 1024 * 1024 + 1, 0);
    let res = app.upload(&token, order, over).await;
    assert_eq!(res.status, 413, "{res:?}");
    app.assert_nothing_stored().await;
}

fn image_part() -> Part {
    Part::bytes(jpeg())
        .file_name("p.jpg")
        .mime_str("image/jpeg")
        .unwrap()
}

#[tokio::test]
async fn malformed_forms_are_400_a_json_body_is_415_and_order_id_alone_is_accepted() {
    let app = TestApp::spawn().await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 10.0);
    let o = order.to_string();
    let cases: Vec<(&str, Form)> = vec![
        ("missing orderId", Form::new().part("image", image_part())),
        (
            "non-UUID orderId",
            Form::new()
                .text("orderId", "abc")
                .part("image", image_part()),
        ),
        (
            "both orderId and order_id",
            Form::new()
                .text("orderId", o.clone())
                .text("order_id", o.clone())
                .part("image", image_part()),
        ),
        ("missing image", Form::new().text("orderId", o.clone())),
        (
            "empty image",
            Form::new()
                .text("orderId", o.clone())
                .part("image", Part::bytes(Vec::new()).file_name("p.jpg")),
        ),
        (
            "two images",
            Form::new()
                .text("orderId", o.clone())
                .part("image", image_part())
                .part("image", image_part()),
        ),
        (
            "256-character note",
            Form::new()
                .text("orderId", o.clone())
                .text("note", "n".repeat(256))
                .part("image", image_part()),
        ),
    ];
    for (name, form) in cases {
        let res = app.post_form(Some(&token), form).await;
        assert_eq!(res.status, 400, "{name}: {res:?}");
        assert_eq!(res.body["code"], 400, "{name}");
    }
    // A truncated multipart body.
    let body = format!(
        "--XYZ\r\nContent-Disposition: form-data; name=\"orderId\"\r\n\r\n{o}\r\n--XYZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p.jpg\"\r\n\r\n\u{FF}"
    );
    let res = app
        .send(
            app.http
                .post(app.url("/v1/payments"))
                .bearer_auth(&token)
                .header("content-type", "multipart/form-data; boundary=XYZ")
                .body(body),
        )
        .await;
    assert_eq!(res.status, 400, "truncated: {res:?}");
    let res = app
        .send(
            app.http
                .post(app.url("/v1/payments"))
                .bearer_auth(&token)
                .json(&serde_json::json!({"orderId": o, "image": "aGVsbG8="})),
        )
        .await;
    assert_eq!(res.status, 415, "json: {res:?}");
    app.assert_nothing_stored().await;
    // A 255-character note (after trimming) and the order_id alias are fine.
    let form = Form::new()
        .text("order_id", o.clone())
        .text("note", format!("  {}  ", "n".repeat(255)))
        .text("extra", "ignored")
        .part("image", image_part());
    let res = app.post_form(Some(&token), form).await;
    assert_eq!(res.status, 201, "{res:?}");
    assert_eq!(res.data()["note"], "n".repeat(255));
}

#[tokio::test]
async fn a_zero_byte_file_is_400_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 10.0);
    let res = app.upload(&token, order, Vec::new()).await;
    assert_eq!(res.status, 400, "{res:?}");
    assert_eq!(res.body["error"]["causes"][0]["field"], "image");
    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn the_eligibility_call_carries_payments_token_and_the_caller_as_user_id() {
    let app = TestApp::spawn().await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 10.0);
    let res = app
        .send(
            app.http
                .post(app.url("/v1/payments"))
                .bearer_auth(&token)
                .header("x-request-id", "req-upload-1")
                .multipart(form(order, jpeg(), "image/jpeg", "p.jpg")),
        )
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    let calls = app.stub.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].order_id, order.to_string());
    assert_eq!(calls[0].user_id.as_deref(), Some(user.to_string().as_str()));
    assert_eq!(calls[0].token.as_deref(), Some(super::stub::PAYMENT_TOKEN));
    assert_eq!(calls[0].request_id.as_deref(), Some("req-upload-1"));
    assert!(calls[0]
        .traceparent
        .as_deref()
        .is_some_and(|t| t.starts_with("00-")));
}

#[tokio::test]
async fn someone_elses_paid_expired_or_missing_order_answers_the_orders_status_and_stores_nothing()
{
    let app = TestApp::spawn().await;
    let (owner, _) = app.customer();
    let (_, other) = app.customer();
    let (_, admin) = app.admin();
    let order = app.stub.order(owner, 10.0);
    // Someone else's order, also for an admin caller.
    assert_eq!(app.upload(&other, order, jpeg()).await.status, 403);
    assert_eq!(app.upload(&admin, order, jpeg()).await.status, 403);
    // Unknown order.
    assert_eq!(app.upload(&other, Uuid::now_v7(), jpeg()).await.status, 404);
    // Not payable: expired, cancelled, rejected, accepted (paid).
    let (user, token) = app.customer();
    for status in ["EXPIRED", "CANCELLED", "REJECTED", "PAYMENT_ACCEPTED"] {
        let order = app.stub.order(user, 10.0);
        app.stub.set_status(order, status);
        let res = app.upload(&token, order, jpeg()).await;
        assert_eq!(res.status, 409, "{status}: {res:?}");
    }
    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn a_second_upload_is_409_while_pending_or_approved_and_allowed_after_a_rejection() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.admin();
    let (_, token, order, first) = app.uploaded().await;
    assert_eq!(app.upload(&token, order, png()).await.status, 409);
    assert_eq!(app.review(&admin, &first, "REJECTED").await.status, 200);
    let res = app.upload(&token, order, png()).await;
    assert_eq!(res.status, 201, "{res:?}");
    let second = res.data()["id"].as_str().unwrap().to_string();
    assert_eq!(app.payments().await, 2);
    assert_eq!(app.review(&admin, &second, "APPROVED").await.status, 200);
    assert_eq!(app.upload(&token, order, pdf()).await.status, 409);
    assert_eq!(app.payments().await, 2);
    assert_eq!(app.objects().await.len(), 2);
}

#[tokio::test]
async fn ten_concurrent_uploads_for_one_order_store_exactly_one_proof() {
    let app = TestApp::spawn().await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 10.0);
    let uploads = (0..10).map(|_| app.upload(&token, order, jpeg()));
    let results = futures::future::join_all(uploads).await;
    let mut statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    statuses.sort();
    assert_eq!(statuses, [vec![201], vec![409; 9]].concat(), "{results:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM payments WHERE active_order_id IS NOT NULL")
            .await,
        1
    );
    assert_eq!(app.payments().await, 1);
    assert_eq!(app.objects().await.len(), 1);
    assert_eq!(app.outbox_rows("payment.submitted").await, 1);
}
