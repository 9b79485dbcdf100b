//! Sign-up, confirmation and the stale-user sweep (api/auth.md §8 checks 9–10; issue 3 checks 1–2).

use std::time::Duration;

use eshop_common::auth::{AuthSettings, Verifier};
use serde_json::json;

use super::support::{issuer, jwks_url, token, unique, App, PASSWORD};

#[tokio::test]
async fn signup_confirm_and_login_by_username_upper_case_and_email_give_a_customer_token() {
    let app = App::spawn().await;
    let name = unique("ann");
    let email = format!("{name}@Example.com");
    let signed = app
        .post(
            "/v1/auth/signup",
            json!({"username": name.to_uppercase(), "email": email, "password": PASSWORD, "name": "Ann"}),
        )
        .await;
    assert_eq!(signed.status, 201, "{signed:?}");
    assert_eq!(signed.body["message"], "success create");
    let data = &signed.body["data"];
    assert_eq!(data["username"], name.as_str(), "stored lower-cased");
    assert_eq!(data["email"], email.to_lowercase());
    assert_eq!(data["confirmed"], false);
    assert!(uuid::Uuid::parse_str(data["user_id"].as_str().unwrap()).is_ok());

    let confirmed = app
        .post(
            "/v1/auth/confirm",
            json!({"username": name, "code": "123456"}),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{confirmed:?}");
    assert_eq!(
        confirmed.body["data"],
        json!({"username": name, "confirmed": true})
    );

    for identifier in [name.clone(), name.to_uppercase(), email.clone()] {
        let session = app.login(&identifier).await;
        assert_eq!(session["role"], "customer");
        assert_eq!(session["token_type"], "Bearer");
        assert_eq!(session["username"], name.as_str());
        assert!(session["id_token"].is_string() && session["refresh_token"].is_string());
        assert!(session["expires_in"].as_i64().unwrap() > 0);
    }
    // The token passes the common validation another service runs.
    let verifier = Verifier::new(AuthSettings::new(
        &issuer(&app.pool_id),
        &[&app.client_id],
        &jwks_url(&app.pool_id),
    ));
    verifier.refresh().await.unwrap();
    let claims = verifier
        .verify(&token(&app.login(&name).await))
        .await
        .unwrap();
    assert_eq!(claims.sub.as_deref(), data["user_id"].as_str());
    assert!(claims.groups.is_empty());
    assert_eq!(
        app.attribute(&name, "custom:role").await.as_deref(),
        Some("customer")
    );
}

#[tokio::test]
async fn taken_names_are_409_a_weak_password_422_and_malformed_fields_400() {
    let app = App::spawn().await;
    let name = unique("bob");
    let email = format!("{name}@example.com");
    app.register(&name, &email).await;
    let cases = [
        (
            json!({"username": name, "email": "other@example.com", "password": PASSWORD}),
            409,
        ),
        (
            json!({"username": unique("bob"), "email": email.to_uppercase(), "password": PASSWORD}),
            409,
        ),
        (
            json!({"username": unique("c"), "email": "c@example.com", "password": "alllowercase1"}),
            422,
        ),
        (
            json!({"username": unique("d"), "email": "not-an-email", "password": PASSWORD}),
            400,
        ),
        (
            json!({"username": "has@at", "email": "e@example.com", "password": PASSWORD}),
            400,
        ),
        (
            json!({"username": "has space", "email": "e@example.com", "password": PASSWORD}),
            400,
        ),
        (json!({"email": "e@example.com"}), 400),
    ];
    for (body, status) in cases {
        let res = app.post("/v1/auth/signup", body.clone()).await;
        assert_eq!(res.status, status, "{body} → {res:?}");
        assert!(!res.message().is_empty(), "{res:?}");
    }
    let weak = app
        .post(
            "/v1/auth/signup",
            json!({"username": unique("w"), "email": "w@example.com", "password": "alllowercase1"}),
        )
        .await;
    assert!(
        weak.message().contains("upper case"),
        "the policy in words: {weak:?}"
    );
    let bad = app
        .post(
            "/v1/auth/signup",
            json!({"username": "x y", "email": "nope", "password": "short"}),
        )
        .await;
    let fields: Vec<&str> = bad.body["error"]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["username", "email", "password"]);
}

#[tokio::test]
async fn a_role_in_the_signup_body_grants_nothing() {
    let app = App::spawn().await;
    let name = unique("mallory");
    let signed = app
        .post(
            "/v1/auth/signup",
            json!({"username": name, "email": format!("{name}@example.com"), "password": PASSWORD,
                   "role": "admin", "custom:role": "admin"}),
        )
        .await;
    assert_eq!(signed.status, 201, "{signed:?}");
    app.post("/v1/auth/confirm", json!({"username": name, "code": "1"}))
        .await;
    assert_eq!(app.login(&name).await["role"], "customer");
    assert_eq!(
        app.attribute(&name, "custom:role").await.as_deref(),
        Some("customer")
    );
}

#[tokio::test]
async fn an_unconfirmed_claim_on_an_email_blocks_nobody_and_login_by_email_finds_the_verified_account(
) {
    let app = App::spawn().await;
    let email = format!("{}@example.com", unique("shared"));
    let squatter = unique("squat");
    let squatted = app
        .post(
            "/v1/auth/signup",
            json!({"username": squatter, "email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(squatted.status, 201);
    let owner = unique("owner");
    app.register(&owner, &email).await;
    assert_eq!(app.login(&email).await["username"], owner.as_str());
}

#[tokio::test]
async fn the_maintenance_task_deletes_old_unconfirmed_users_only() {
    let app = App::spawn().await;
    let pending = unique("pending");
    let res = app
        .post(
            "/v1/auth/signup",
            json!({"username": pending, "email": format!("{pending}@example.com"), "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, 201);
    let confirmed = unique("kept");
    app.register(&confirmed, &format!("{confirmed}@example.com"))
        .await;
    let pool = auth::pool::UserPool {
        client: app.cognito.clone(),
        pool_id: app.pool_id.as_str().into(),
        app_client_id: app.client_id.as_str().into(),
    };
    let week = Duration::from_secs(7 * 24 * 3600);
    assert_eq!(
        auth::maintenance::delete_stale_unconfirmed(&pool, week)
            .await
            .unwrap(),
        0
    );
    // Test-shortened age: everything unconfirmed is "old".
    assert_eq!(
        auth::maintenance::delete_stale_unconfirmed(&pool, Duration::ZERO)
            .await
            .unwrap(),
        1
    );
    assert!(pool.get(&pending).await.unwrap().is_none());
    assert!(pool.get(&confirmed).await.unwrap().is_some());
}
