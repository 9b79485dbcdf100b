//! Role changes, enabling/disabling and account deletion (api/auth.md §8 checks 16 and 20; issue 3 check 4).

use serde_json::json;

use super::support::{claims, refresh_token, token, unique, App, PASSWORD};

#[tokio::test]
async fn a_role_set_by_an_admin_shows_in_the_next_token_and_a_demotion_revokes_refresh_tokens() {
    let app = App::spawn().await;
    let name = unique("jo");
    let id = app.register(&name, &format!("{name}@example.com")).await;
    let session = app.login(&name).await;
    let admin = app.admin_token().await;
    let path = format!("/v1/auth/users/{id}/role");
    let set = |role: &str| app.send("PUT", &path, Some(&admin), Some(json!({"role": role})), &[]);

    let promoted = set("warehouse_manager").await;
    assert_eq!(promoted.status, 200, "{promoted:?}");
    assert_eq!(promoted.body["data"]["role"], "warehouse_manager");
    assert_eq!(
        app.attribute(&name, "custom:role").await.as_deref(),
        Some("warehouse_manager")
    );
    let refreshed = app
        .post(
            "/v1/auth/refresh",
            json!({"refresh_token": refresh_token(&session)}),
        )
        .await;
    let access = refreshed.body["data"]["access_token"].as_str().unwrap();
    assert_eq!(
        claims(access)["cognito:groups"],
        json!(["warehouse_manager"])
    );
    let relogged = app.login(&name).await;
    assert_eq!(relogged["role"], "warehouse_manager");
    assert_eq!(
        set("warehouse_manager").await.status,
        200,
        "repeating is fine"
    );

    let demoted = set("customer").await;
    assert_eq!(demoted.status, 200);
    assert_eq!(demoted.body["data"]["role"], "customer");
    assert_eq!(demoted.body["data"]["groups"], json!([]));
    let revoked = app
        .post(
            "/v1/auth/refresh",
            json!({"refresh_token": refresh_token(&relogged)}),
        )
        .await;
    assert_eq!(revoked.status, 401, "{revoked:?}");

    let own_id = claims(&admin)["sub"].as_str().unwrap().to_string();
    let own = app
        .send(
            "PUT",
            &format!("/v1/auth/users/{own_id}/role"),
            Some(&admin),
            Some(json!({"role": "customer"})),
            &[],
        )
        .await;
    assert_eq!(own.status, 409, "{own:?}");
    let unknown = app
        .send(
            "PUT",
            &format!("/v1/auth/users/{}/role", uuid::Uuid::new_v4()),
            Some(&admin),
            Some(json!({"role": "admin"})),
            &[],
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(set("root").await.status, 400);
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in_or_refresh_until_enabled_and_admins_cannot_disable_themselves(
) {
    let app = App::spawn().await;
    let name = unique("kim");
    let id = app.register(&name, &format!("{name}@example.com")).await;
    let session = app.login(&name).await;
    let admin = app.admin_token().await;
    let path = format!("/v1/auth/users/{id}/enabled");
    let set = |enabled: bool| {
        app.send(
            "PUT",
            &path,
            Some(&admin),
            Some(json!({"enabled": enabled})),
            &[],
        )
    };

    let disabled = set(false).await;
    assert_eq!(disabled.status, 200, "{disabled:?}");
    assert_eq!(disabled.body["data"]["enabled"], false);
    assert_eq!(set(false).await.status, 200);
    let login = app.try_login(&name, PASSWORD).await;
    assert_eq!(login.status, 401);
    assert_eq!(login.message(), "incorrect username or password");
    let refresh = app
        .post(
            "/v1/auth/refresh",
            json!({"refresh_token": refresh_token(&session)}),
        )
        .await;
    assert_eq!(refresh.status, 401);

    assert_eq!(set(true).await.body["data"]["enabled"], true);
    app.login(&name).await;

    let own_id = claims(&admin)["sub"].as_str().unwrap().to_string();
    let own = app
        .send(
            "PUT",
            &format!("/v1/auth/users/{own_id}/enabled"),
            Some(&admin),
            Some(json!({"enabled": false})),
            &[],
        )
        .await;
    assert_eq!(own.status, 409);
    assert_eq!(
        app.send(
            "PUT",
            &path,
            Some(&admin),
            Some(json!({"enabled": "no"})),
            &[]
        )
        .await
        .status,
        400
    );
}

#[tokio::test]
async fn deleting_my_account_ends_login_and_the_admin_lookup() {
    let app = App::spawn().await;
    let name = unique("lee");
    let id = app.register(&name, &format!("{name}@example.com")).await;
    let access = token(&app.login(&name).await);
    let gone = app
        .send("DELETE", "/v1/auth/me", Some(&access), None, &[])
        .await;
    assert_eq!(gone.status, 200, "{gone:?}");
    assert_eq!(gone.body["message"], "success delete");
    assert_eq!(app.try_login(&name, PASSWORD).await.status, 401);
    let admin = app.admin_token().await;
    assert_eq!(
        app.get(&format!("/v1/auth/users/{id}"), Some(&admin))
            .await
            .status,
        404
    );
    assert_eq!(app.get("/v1/auth/me", Some(&access)).await.status, 404);
}
