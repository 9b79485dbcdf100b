//! No token, password or refresh token ever appears in the logs (issue 3 check 5): the real binary runs with
//! its real log setup at DEBUG, a session goes through every credential-bearing route, and the captured
//! output is searched for each secret.

use std::io::Read;
use std::process::{Command, Stdio};

use serde_json::json;

use super::support::{self, refresh_token, token, unique, App, PASSWORD};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn drain(mut source: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        source.read_to_string(&mut text).ok();
        text
    })
}

#[tokio::test]
async fn no_token_password_or_refresh_token_appears_in_the_logs() {
    let (cognito, pool_id, client_id) = support::pool().await;
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_auth"))
        .env("HTTP_PORT", port.to_string())
        .env("COGNITO_ISSUER", support::issuer(&pool_id))
        .env("COGNITO_USER_POOL_ID", &pool_id)
        .env("COGNITO_JWKS_URL", support::jwks_url(&pool_id))
        .env("COGNITO_CLIENT_IDS", &client_id)
        .env("COGNITO_ENDPOINT", test_support::cognito::endpoint())
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("LOG_LEVEL", "debug")
        .env("LOG_FORMAT", "json")
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the auth binary");
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let app = App {
        base: format!("http://127.0.0.1:{port}"),
        http: reqwest::Client::new(),
        pool_id,
        client_id,
        cognito,
    };
    test_support::service::wait_ready(&app.base).await;

    let name = unique("secret");
    app.register(&name, &format!("{name}@example.com")).await;
    let wrong_password = "Wr0ngPasswordXYZ";
    assert_eq!(app.try_login(&name, wrong_password).await.status, 401);
    let session = app.login(&name).await;
    let (access, refresh, id_token) = (
        token(&session),
        refresh_token(&session),
        session["id_token"].as_str().unwrap().to_string(),
    );
    let refreshed = app
        .post("/v1/auth/refresh", json!({"refresh_token": refresh}))
        .await;
    let new_access = refreshed.body["data"]["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.get("/v1/auth/me", Some(&access)).await.status, 200);
    assert_eq!(
        app.get(&format!("/v1/auth/{access}"), None).await.status,
        200
    );
    assert_eq!(
        app.get(&format!("/v1/auth/{id_token}"), None).await.status,
        401
    );
    assert_eq!(
        app.get("/v1/auth/me", Some("garbage.bad.token"))
            .await
            .status,
        401
    );
    let new_password = "Chang3dSecretPw";
    let changed = app
        .send(
            "POST",
            "/v1/auth/change-password",
            Some(&access),
            Some(json!({"current_password": PASSWORD, "new_password": new_password})),
            &[],
        )
        .await;
    assert_eq!(changed.status, 200, "{changed:?}");
    let reset_password = "R3setSecretPw";
    app.post(
        "/v1/auth/reset-password",
        json!({"username": name, "code": "987654", "password": reset_password}),
    )
    .await;
    assert_eq!(
        app.send("POST", "/v1/auth/logout", Some(&new_access), None, &[])
            .await
            .status,
        200
    );

    child.kill().expect("stop the auth binary");
    child.wait().ok();
    let logs = format!("{}{}", stdout.join().unwrap(), stderr.join().unwrap());
    assert!(
        logs.contains("/v1/auth/{token}"),
        "the access log names the matched route:\n{logs}"
    );
    let secrets = [
        ("access token", access.as_str()),
        ("refreshed access token", new_access.as_str()),
        ("id token", id_token.as_str()),
        ("refresh token", refresh_token(&session).leak()),
        ("password", PASSWORD),
        ("wrong password", wrong_password),
        ("new password", new_password),
        ("reset password", reset_password),
        ("reset code", "987654"),
    ];
    for (what, secret) in secrets {
        assert!(!logs.contains(secret), "the {what} appears in the logs");
        // A token's signature alone would be just as bad.
        if let Some(signature) = secret.rsplit('.').next().filter(|s| s.len() > 20) {
            assert!(
                !logs.contains(signature),
                "the {what}'s signature appears in the logs"
            );
        }
    }
}
