//! Refresh and logout (api/auth.md §8 check 13; issue 3 check 1).

use serde_json::json;

use super::support::{refresh_token, token, unique, App};

#[tokio::test]
async fn refresh_gives_a_new_access_token_and_logout_revokes_the_refresh_token() {
    let app = App::spawn().await;
    let name = unique("hal");
    app.register(&name, &format!("{name}@example.com")).await;
    let session = app.login(&name).await;
    let refreshed = app
        .post(
            "/v1/auth/refresh",
            json!({"refresh_token": refresh_token(&session)}),
        )
        .await;
    assert_eq!(refreshed.status, 200, "{refreshed:?}");
    assert_eq!(refreshed.headers["cache-control"], "no-store");
    let access = refreshed.body["data"]["access_token"].as_str().unwrap();
    assert_eq!(app.get("/v1/auth/me", Some(access)).await.status, 200);

    for _ in 0..2 {
        let out = app
            .send("POST", "/v1/auth/logout", Some(&token(&session)), None, &[])
            .await;
        assert_eq!(out.status, 200, "{out:?}");
        assert_eq!(out.body["data"], serde_json::Value::Null);
    }
    let revoked = app
        .post(
            "/v1/auth/refresh",
            json!({"refresh_token": refresh_token(&session)}),
        )
        .await;
    assert_eq!(revoked.status, 401, "{revoked:?}");
    assert_eq!(revoked.message(), "invalid or revoked refresh token");
    assert_eq!(
        app.send("POST", "/v1/auth/logout", None, None, &[])
            .await
            .status,
        401
    );
}
