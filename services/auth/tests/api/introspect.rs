//! The compat introspection endpoint (api/auth.md §8 check 17).

use super::support::{token, unique, App};

#[tokio::test]
async fn introspection_answers_user_id_and_role_and_401_for_id_foreign_or_garbage_tokens() {
    let app = App::spawn().await;
    let name = unique("ida");
    let user_id = app.register(&name, &format!("{name}@example.com")).await;
    let session = app.login(&name).await;
    let valid = app
        .get(&format!("/v1/auth/{}", token(&session)), None)
        .await;
    assert_eq!(valid.status, 200, "{valid:?}");
    assert_eq!(
        valid.body["data"],
        serde_json::json!({"user_id": user_id, "role": "customer"})
    );
    assert_eq!(valid.headers["cache-control"], "no-store");
    let admin = app
        .get(&format!("/v1/auth/{}", app.admin_token().await), None)
        .await;
    assert_eq!(admin.body["data"]["role"], "admin");

    let id_token = session["id_token"].as_str().unwrap().to_string();
    let issuer = test_support::service::LocalIssuer::start().await;
    let foreign = issuer.token(uuid::Uuid::new_v4(), &[]);
    for bad in [id_token, foreign, "garbage".into(), "a.b.c".into()] {
        let res = app.get(&format!("/v1/auth/{bad}"), None).await;
        assert_eq!(res.status, 401, "{bad} → {res:?}");
    }
    assert_eq!(app.get("/v1/auth/", None).await.status, 404);
}

#[tokio::test]
async fn introspection_of_an_expired_token_is_401_never_5xx() {
    use test_support::service::{LOCAL_CLIENT, LOCAL_ISSUER};
    let stub = super::stub::CognitoStub::start(|_, _| (200, serde_json::json!({}))).await;
    let (app, issuer) = super::stub::spawn_against(&stub, super::support::test_limits()).await;
    let now = chrono::Utc::now().timestamp();
    let sub = uuid::Uuid::new_v4();
    let claims = |exp: i64| {
        serde_json::json!({"sub": sub, "iss": LOCAL_ISSUER, "token_use": "access", "client_id": LOCAL_CLIENT,
                           "exp": exp, "iat": now - 1000, "cognito:groups": ["warehouse_staff"]})
    };
    let fresh = app
        .get(
            &format!("/v1/auth/{}", issuer.key.sign(&claims(now + 600))),
            None,
        )
        .await;
    assert_eq!(
        fresh.body["data"],
        serde_json::json!({"user_id": sub, "role": "warehouse_staff"})
    );
    let expired = app
        .get(
            &format!("/v1/auth/{}", issuer.key.sign(&claims(now - 120))),
            None,
        )
        .await;
    assert_eq!(expired.status, 401, "{expired:?}");
    assert_eq!(expired.message(), "token expired");
    assert_eq!(stub.calls("GetUser"), 0, "no Cognito call");
}
