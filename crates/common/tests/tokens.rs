//! Token checks of auth.md §2.3 through a real route, with tokens issued by the AWS emulator and, for the
//! cases it cannot produce (expired, rotated keys), by a local key behind a local JWKS server.

use std::sync::Arc;
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use eshop_common::auth::{AuthSettings, AuthUser, Verifier};
use eshop_common::config::CommonSettings;
use eshop_common::server::{self, ready_check, Defaults, Server};
use serde_json::{json, Value};
use test_support::cognito::TestPool;
use test_support::keys::{JwksServer, SigningKey};

async fn whoami(user: AuthUser) -> axum::Json<Value> {
    axum::Json(json!({"user_id": user.user_id, "role": user.role, "username": user.username}))
}

/// Serves `/whoami` (signed-in callers) with `verifier`, the way every service wires it.
async fn spawn(verifier: Arc<Verifier>) -> String {
    let routes = Router::new()
        .route("/whoami", get(whoami))
        .with_state(verifier.clone());
    let settings = CommonSettings::from_env("test", 0).unwrap();
    let app = server::build(
        routes,
        Defaults {
            settings,
            openapi: "{}",
            verifier: Some(verifier),
            stores_ready: ready_check(|| async { true }),
        },
    );
    let server = Server::bind("127.0.0.1:0".parse().unwrap(), app)
        .await
        .unwrap();
    let url = format!("http://{}", server.local_addr());
    tokio::spawn(server.run_until(std::future::pending()));
    url
}

async fn call(url: &str, authorization: Option<&str>) -> (u16, Value, Option<String>) {
    let mut request = reqwest::Client::new().get(format!("{url}/whoami"));
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let www = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_string());
    (status, response.json().await.unwrap_or(Value::Null), www)
}

fn assert_401(result: (u16, Value, Option<String>), message: &str) {
    let (status, body, www) = result;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], 401);
    assert_eq!(body["error"]["message"], message);
    assert!(www.expect("WWW-Authenticate").starts_with("Bearer"));
}

async fn emulator_verifier(pool: &TestPool) -> Arc<Verifier> {
    let verifier = Verifier::new(AuthSettings::new(
        &pool.issuer(),
        &[&pool.client_id],
        &pool.jwks_url(),
    ));
    verifier
        .refresh()
        .await
        .expect("the emulator serves the pool's JWKS");
    verifier
}

#[tokio::test]
async fn emulator_access_token_gives_sub_and_role_from_groups() {
    let pool = TestPool::create().await;
    pool.user("alice", &[]).await;
    pool.user("boss", &["warehouse_staff", "admin"]).await;
    pool.user("keeper", &["warehouse_staff"]).await;
    let url = spawn(emulator_verifier(&pool).await).await;

    for (user, role) in [
        ("alice", "customer"),
        ("boss", "admin"),
        ("keeper", "warehouse_staff"),
    ] {
        let tokens = pool.login(user).await;
        let (status, body, _) = call(&url, Some(&format!("Bearer {}", tokens.access))).await;
        assert_eq!(status, 200, "{user}: {body}");
        assert_eq!(body["user_id"], tokens.sub.to_lowercase());
        assert_eq!(body["role"], role, "{user}");
    }
}

#[tokio::test]
async fn refused_tokens_answer_401_with_the_envelope() {
    let pool = TestPool::create().await;
    pool.user("bob", &[]).await;
    let other_client = pool.add_client("other-app").await;
    let other_pool = TestPool::create().await;
    other_pool.user("eve", &[]).await;
    let url = spawn(emulator_verifier(&pool).await).await;
    let tokens = pool.login("bob").await;

    assert_401(call(&url, None).await, "missing bearer token");
    // An id token is not an access token.
    assert_401(
        call(&url, Some(&format!("Bearer {}", tokens.id))).await,
        "invalid token",
    );
    // No `Bearer ` scheme, another scheme, garbage.
    assert_401(call(&url, Some(&tokens.access)).await, "invalid token");
    assert_401(
        call(&url, Some(&format!("Basic {}", tokens.access))).await,
        "invalid token",
    );
    assert_401(call(&url, Some("Bearer not.a.jwt")).await, "invalid token");
    // Another pool (issuer) and another app client of this pool.
    let foreign = other_pool.login("eve").await;
    assert_401(
        call(&url, Some(&format!("Bearer {}", foreign.access))).await,
        "invalid token",
    );
    let wrong_client = pool.login_with("bob", &other_client).await;
    assert_401(
        call(&url, Some(&format!("Bearer {}", wrong_client.access))).await,
        "invalid token",
    );
    // A tampered signature.
    let mut tampered = tokens.access.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    assert_401(
        call(&url, Some(&format!("Bearer {tampered}"))).await,
        "invalid token",
    );
    // The genuine token still passes.
    assert_eq!(
        call(&url, Some(&format!("Bearer {}", tokens.access)))
            .await
            .0,
        200
    );
}

const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local";

fn claims(exp_offset: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": uuid::Uuid::new_v4(), "iss": ISSUER, "token_use": "access", "client_id": "web",
        "exp": now + exp_offset, "iat": now - 600, "cognito:groups": ["warehouse_manager"], "username": "kim"})
}

#[tokio::test]
async fn expiry_has_a_leeway_of_sixty_seconds() {
    let key = SigningKey::generate();
    let jwks = JwksServer::start(&[&key]).await;
    let verifier = Verifier::new(AuthSettings::new(ISSUER, &["web"], &jwks.url()));
    verifier.refresh().await.unwrap();
    let url = spawn(verifier).await;

    let (status, body, _) = call(&url, Some(&format!("Bearer {}", key.sign(&claims(-30))))).await;
    assert_eq!(
        (status, body["role"].as_str()),
        (200, Some("warehouse_manager"))
    );
    assert_401(
        call(&url, Some(&format!("Bearer {}", key.sign(&claims(-61))))).await,
        "token expired",
    );
}

#[tokio::test]
async fn a_new_signing_key_is_picked_up_after_one_refetch() {
    let old = SigningKey::generate();
    let new = SigningKey::generate();
    let jwks = JwksServer::start(&[&old]).await;
    let verifier = Verifier::new(AuthSettings::new(ISSUER, &["web"], &jwks.url()));
    verifier.refresh().await.unwrap();
    let url = spawn(verifier.clone()).await;
    assert_eq!(jwks.fetches(), 1);

    jwks.rotate(&[&old, &new]);
    // 100 concurrent requests with the unknown kid cause one fetch, and all pass.
    let token = format!("Bearer {}", new.sign(&claims(600)));
    let calls = (0..100).map(|_| call(&url, Some(&token)));
    for (status, body, _) in futures::future::join_all(calls).await {
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(jwks.fetches(), 2);

    // Another unknown kid inside the cool-down is refused without a fetch.
    let stranger = SigningKey::generate();
    assert_401(
        call(
            &url,
            Some(&format!("Bearer {}", stranger.sign(&claims(600)))),
        )
        .await,
        "invalid token",
    );
    assert_eq!(jwks.fetches(), 2);
}

#[tokio::test]
async fn before_the_keys_load_tokens_get_503_and_ready_is_503() {
    let key = SigningKey::generate();
    let verifier = Verifier::new(AuthSettings::new(
        ISSUER,
        &["web"],
        "http://127.0.0.1:9/unreachable",
    ));
    let url = spawn(verifier.clone()).await;
    let token = format!("Bearer {}", key.sign(&claims(600)));
    let (status, body, _) = call(&url, Some(&token)).await;
    assert_eq!(status, 503);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("authentication is temporarily unavailable"));
    let ready = reqwest::get(format!("{url}/ready"))
        .await
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(ready, 503);

    let jwks = JwksServer::start(&[&key]).await;
    verifier
        .install_jwks(
            &reqwest::get(jwks.url())
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        )
        .unwrap();
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(call(&url, Some(&token)).await.0, 200);
    assert_eq!(
        reqwest::get(format!("{url}/ready"))
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

async fn local_app() -> (SigningKey, JwksServer, String) {
    let key = SigningKey::generate();
    let jwks = JwksServer::start(&[&key]).await;
    let verifier = Verifier::new(AuthSettings::new(ISSUER, &["web"], &jwks.url()));
    verifier.refresh().await.unwrap();
    let url = spawn(verifier).await;
    (key, jwks, url)
}

#[tokio::test]
async fn forged_algorithms_and_bad_claims_are_refused() {
    use base64::Engine;
    let (key, _jwks, url) = local_app().await;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());

    // alg none, with and without a signature part.
    let header = json!({"alg": "none", "typ": "JWT", "kid": key.kid});
    let unsigned = format!("{}.{}.", b64(&header), b64(&claims(600)));
    assert_401(call(&url, Some(&bearer(&unsigned))).await, "invalid token");
    // HS256 "signed" with the public key's bytes (the classic key-confusion attack).
    let mut hs = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    hs.kid = Some(key.kid.clone());
    let public = key.jwk().to_string();
    let confused = jsonwebtoken::encode(
        &hs,
        &claims(600),
        &jsonwebtoken::EncodingKey::from_secret(public.as_bytes()),
    )
    .unwrap();
    assert_401(call(&url, Some(&bearer(&confused))).await, "invalid token");

    let mut wrong = Vec::new();
    let mut with = |field: &str, value: Value| {
        let mut c = claims(600);
        c[field] = value;
        wrong.push((field.to_string(), key.sign(&c)));
    };
    with(
        "iss",
        json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"),
    );
    with("token_use", json!("id"));
    with("client_id", json!("someone-else"));
    with("nbf", json!(chrono::Utc::now().timestamp() + 120));
    with("sub", json!("not-a-uuid"));
    for (field, token) in wrong {
        let (status, _, _) = call(&url, Some(&bearer(&token))).await;
        assert_eq!(status, 401, "a token with a bad {field} passed");
    }
}

#[tokio::test]
async fn a_custom_role_claim_grants_nothing() {
    let (key, _jwks, url) = local_app().await;
    let mut c = claims(600);
    c["cognito:groups"] = json!([]);
    c["custom:role"] = json!("admin");
    let (status, body, _) = call(&url, Some(&bearer(&key.sign(&c)))).await;
    assert_eq!((status, body["role"].as_str()), (200, Some("customer")));
}

#[tokio::test]
async fn a_failed_background_refresh_keeps_the_old_keys() {
    let key = SigningKey::generate();
    let jwks = JwksServer::start(&[&key]).await;
    let verifier = Verifier::new(AuthSettings::new(ISSUER, &["web"], &jwks.url()));
    verifier.refresh().await.unwrap();
    let url = spawn(verifier.clone()).await;
    jwks.rotate(&[]);
    assert!(
        verifier.refresh().await.is_err(),
        "a set without usable keys counts as a failed fetch"
    );
    assert_eq!(
        call(&url, Some(&bearer(&key.sign(&claims(600))))).await.0,
        200
    );
}

#[tokio::test]
async fn a_known_token_skips_the_signature_check_but_not_its_expiry() {
    let key = SigningKey::generate();
    let jwks = JwksServer::start(&[&key]).await;
    let mut settings = AuthSettings::new(ISSUER, &["web"], &jwks.url());
    settings.leeway = Duration::ZERO;
    let verifier = Verifier::new(settings);
    verifier.refresh().await.unwrap();
    let url = spawn(verifier.clone()).await;

    let token = bearer(&key.sign(&claims(2)));
    for _ in 0..50 {
        assert_eq!(call(&url, Some(&token)).await.0, 200);
    }
    assert_eq!(verifier.signature_checks(), 1, "verified once, then known");
    let other = bearer(&key.sign(&claims(600)));
    assert_eq!(call(&url, Some(&other)).await.0, 200);
    assert_eq!(verifier.signature_checks(), 2, "another token is checked");

    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_401(call(&url, Some(&token)).await, "token expired");
}

#[tokio::test]
async fn a_known_token_signed_by_a_withdrawn_key_is_refused() {
    let (old, new) = (SigningKey::generate(), SigningKey::generate());
    let jwks = JwksServer::start(&[&old]).await;
    let verifier = Verifier::new(AuthSettings::new(ISSUER, &["web"], &jwks.url()));
    verifier.refresh().await.unwrap();
    let url = spawn(verifier.clone()).await;
    let token = bearer(&old.sign(&claims(600)));
    assert_eq!(call(&url, Some(&token)).await.0, 200);
    assert_eq!(call(&url, Some(&token)).await.0, 200);

    jwks.rotate(&[&new]);
    verifier.refresh().await.unwrap();
    assert_401(call(&url, Some(&token)).await, "invalid token");
    assert_eq!(
        call(&url, Some(&bearer(&new.sign(&claims(600))))).await.0,
        200
    );
}
