//! Hostile inputs never produce a 5xx (api/payment.md §6 check 21).

use super::multipart::{Form, Part};
use rand::{Rng, RngCore, SeedableRng};
use serde_json::json;

use super::support::{jpeg, TestApp};

#[tokio::test]
async fn random_multipart_bytes_huge_headers_non_utf8_notes_and_huge_json_never_give_a_5xx() {
    let app = TestApp::spawn().await;
    let (user, token) = app.customer();
    let (_, admin) = app.admin();
    let order = app.stub.order(user, 10.0);
    let mut rng = rand::rngs::StdRng::seed_from_u64(8);
    let mut statuses = Vec::new();
    for i in 0..40 {
        let mut body = vec![0u8; rng.gen_range(0..4096)];
        rng.fill_bytes(&mut body);
        if i % 2 == 0 {
            body.splice(
                0..0,
                b"--B\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\n"
                    .iter()
                    .copied(),
            );
        }
        let res = app
            .send(
                app.http
                    .post(app.url("/v1/payments"))
                    .bearer_auth(&token)
                    .header("content-type", "multipart/form-data; boundary=B")
                    .body(body),
            )
            .await;
        statuses.push(res.status);
    }
    // A non-UTF-8 note and order id.
    let form = Form::new()
        .part("orderId", Part::bytes(vec![0xFF, 0xFE, 0x00]))
        .part("note", Part::bytes(vec![0xC3, 0x28, 0xA0, 0xA1]))
        .part("image", Part::bytes(jpeg()).file_name("p.jpg"));
    statuses.push(app.post_form(Some(&token), form).await.status);
    let form = Form::new()
        .text("orderId", order.to_string())
        .part("note", Part::bytes(vec![0xC3, 0x28, 0xA0, 0xA1]))
        .part("image", Part::bytes(jpeg()).file_name("p.jpg"));
    let res = app.post_form(Some(&token), form).await;
    assert_eq!(res.status, 400, "{res:?}");
    // Oversized headers.
    let huge = "x".repeat(64 * 1024);
    let res = app
        .http
        .get(app.url("/v1/payments"))
        .bearer_auth(&token)
        .header("x-junk", &huge)
        .send()
        .await;
    if let Ok(res) = res {
        statuses.push(res.status().as_u16());
    }
    let res = app
        .http
        .get(app.url("/v1/payments"))
        .header("authorization", format!("Bearer {huge}"))
        .send()
        .await;
    if let Ok(res) = res {
        statuses.push(res.status().as_u16());
    }
    // Huge and deeply nested JSON.
    let big = json!({"paymentId": "x".repeat(2 * 1024 * 1024), "status": "APPROVED"});
    statuses.push(app.patch(Some(&admin), big).await.status);
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let res = app
        .send(
            app.http
                .patch(app.url("/v1/payments"))
                .bearer_auth(&admin)
                .header("content-type", "application/json")
                .body(nested),
        )
        .await;
    statuses.push(res.status);
    // Odd query strings and paths.
    for path in [
        "/v1/payments?limit=%FF",
        "/v1/payments?createdFrom=%00",
        "/v1/payments/%FF%FE",
        "/v1/payments/..%2F..%2Fetc/proof?exp=-1&sig=%00",
    ] {
        statuses.push(app.get(path, Some(&admin)).await.status);
    }
    assert!(statuses.iter().all(|s| *s < 500), "{statuses:?}");
    app.assert_nothing_stored().await;
}
