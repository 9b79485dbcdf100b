//! Presigned `imageUrl` and the proof link (api/payment.md §2.5, §6 checks 17–18; issue 8 check 4).

use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use super::support::{fetch, jpeg, s3_endpoint, Options, TestApp, LINK_SECRET};

fn query_param(url: &str, name: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).unwrap();
    parsed
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn sign(id: &str, exp: i64, secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{id}|{exp}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn image_url_is_sigv4_presigned_for_the_configured_ttl_and_resigned_on_each_read() {
    let app = TestApp::spawn_with(Options {
        proof_url_ttl: Duration::from_secs(120),
        ..Options::default()
    })
    .await;
    let (_, token, _, id) = app.uploaded().await;
    let res = app.get(&format!("/v1/payments/{id}"), Some(&token)).await;
    let responded = Utc::now();
    let url = res.data()["imageUrl"].as_str().unwrap().to_string();
    assert_eq!(query_param(&url, "X-Amz-Expires").as_deref(), Some("120"));
    assert_eq!(
        query_param(&url, "X-Amz-Algorithm").as_deref(),
        Some("AWS4-HMAC-SHA256")
    );
    assert_eq!(
        query_param(&url, "X-Amz-Signature").map(|s| s.len()),
        Some(64)
    );
    assert_eq!(
        query_param(&url, "response-content-type").as_deref(),
        Some("image/jpeg")
    );
    assert_eq!(
        query_param(&url, "response-content-disposition").as_deref(),
        Some("inline")
    );
    let expires: chrono::DateTime<Utc> = res.data()["imageUrlExpiresAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let expected = responded + chrono::Duration::seconds(120);
    assert!(
        (expires - expected).num_milliseconds().abs() <= 2000,
        "{expires} vs {expected}"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let later = app.get(&format!("/v1/payments/{id}"), Some(&token)).await;
    let later_url = later.data()["imageUrl"].as_str().unwrap();
    assert_ne!(later_url, url, "signed afresh");
    assert_eq!(fetch(later_url).await, (200, jpeg()));
}

/// A front to the emulator that enforces what S3 enforces and moto does not: a presigned URL stops working
/// once `X-Amz-Date` + `X-Amz-Expires` has passed (403 `Request has expired`).
async fn expiring_front() -> String {
    async fn handle(request: Request) -> Response {
        let uri = request.uri().clone();
        let url = format!("http://front{uri}");
        let date = query_param(&url, "X-Amz-Date").unwrap_or_default();
        let expires: i64 = query_param(&url, "X-Amz-Expires")
            .and_then(|e| e.parse().ok())
            .unwrap_or(0);
        let Ok(signed_at) = NaiveDateTime::parse_from_str(&date, "%Y%m%dT%H%M%SZ") else {
            return (StatusCode::FORBIDDEN, "no signature").into_response();
        };
        if Utc::now().naive_utc() > signed_at + chrono::Duration::seconds(expires) {
            return (
                StatusCode::FORBIDDEN,
                "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
            )
                .into_response();
        }
        let upstream = reqwest::get(format!("{}{uri}", s3_endpoint()))
            .await
            .unwrap();
        let status = StatusCode::from_u16(upstream.status().as_u16()).unwrap();
        (status, upstream.bytes().await.unwrap()).into_response()
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().fallback(handle))
            .await
            .ok()
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn image_url_works_now_and_stops_working_after_its_expiry() {
    let front = expiring_front().await;
    let app = TestApp::spawn_with(Options {
        proof_url_ttl: Duration::from_secs(4),
        presign_endpoint: Some(front.clone()),
        ..Options::default()
    })
    .await;
    let (user, token) = app.customer();
    let order = app.stub.order(user, 10.0);
    let res = app.upload(&token, order, jpeg()).await;
    assert_eq!(res.status, 201, "{res:?}");
    let url = res.data()["imageUrl"].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&front),
        "presigned for S3_PRESIGN_ENDPOINT: {url}"
    );
    assert_eq!(fetch(&url).await, (200, jpeg()));
    tokio::time::sleep(Duration::from_millis(5200)).await;
    assert_eq!(fetch(&url).await.0, 403, "expired");
    // A new read signs a new URL that works again.
    let id = res.data()["id"].as_str().unwrap();
    let again = app.get(&format!("/v1/payments/{id}"), Some(&token)).await;
    assert_eq!(
        fetch(again.data()["imageUrl"].as_str().unwrap()).await,
        (200, jpeg())
    );
}

#[tokio::test]
async fn the_proof_link_redirects_owner_and_admin_to_a_fresh_presigned_url() {
    let app = TestApp::spawn().await;
    let (_, owner, _, id) = app.uploaded().await;
    let (_, admin) = app.admin();
    let (_, other) = app.customer();
    let path = format!("/v1/payments/{id}/proof");
    let mut locations = Vec::new();
    for token in [&owner, &admin, &owner] {
        let res = app.get(&path, Some(token)).await;
        assert_eq!(res.status, 302, "{res:?}");
        assert_eq!(res.headers["cache-control"], "no-store");
        assert!(res.text.is_empty());
        let location = res.headers["location"].to_str().unwrap().to_string();
        assert_eq!(fetch(&location).await, (200, jpeg()));
        locations.push(location);
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    assert_ne!(locations[0], locations[2], "newly signed on each call");
    assert_eq!(app.get(&path, Some(&other)).await.status, 403);
    assert_eq!(app.get(&path, None).await.status, 401);
    assert_eq!(
        app.get(
            &format!("/v1/payments/{}/proof", Uuid::now_v7()),
            Some(&admin)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.get("/v1/payments/abc/proof", Some(&admin)).await.status,
        400
    );
}

#[tokio::test]
async fn a_signed_link_opens_the_proof_without_a_token_until_it_expires() {
    let app = TestApp::spawn().await;
    let (_, _, _, id) = app.uploaded().await;
    let (_, _, _, other_id) = app.uploaded().await;
    let exp = Utc::now().timestamp() + 300;
    let sig = sign(&id, exp, LINK_SECRET);
    let res = app
        .get(
            &format!("/v1/payments/{id}/proof?exp={exp}&sig={sig}"),
            None,
        )
        .await;
    assert_eq!(res.status, 302, "{res:?}");
    assert_eq!(
        fetch(res.headers["location"].to_str().unwrap()).await,
        (200, jpeg())
    );
    let past = Utc::now().timestamp() - 1;
    let cases = [
        format!(
            "/v1/payments/{id}/proof?exp={past}&sig={}",
            sign(&id, past, LINK_SECRET)
        ),
        format!(
            "/v1/payments/{id}/proof?exp={exp}&sig={}",
            sign(&id, exp, "wrong-secret")
        ),
        format!("/v1/payments/{id}/proof?exp={}&sig={sig}", exp + 1),
        format!(
            "/v1/payments/{id}/proof?exp={exp}&sig={}{}",
            &sig[..63],
            if sig.ends_with('0') { '1' } else { '0' }
        ),
        format!("/v1/payments/{other_id}/proof?exp={exp}&sig={sig}"),
    ];
    for path in cases {
        let res = app.get(&path, None).await;
        assert_eq!(res.status, 401, "{path}: {res:?}");
    }
    // A valid signature for an unknown payment → 404.
    let unknown = Uuid::now_v7().to_string();
    let res = app
        .get(
            &format!(
                "/v1/payments/{unknown}/proof?exp={exp}&sig={}",
                sign(&unknown, exp, LINK_SECRET)
            ),
            None,
        )
        .await;
    assert_eq!(res.status, 404);
}
