//! Password reset and change (api/auth.md §8 check 19).

use serde_json::json;

use super::support::{refresh_token, token, unique, App, PASSWORD};

#[tokio::test]
async fn forgot_password_answers_the_same_for_known_and_unknown_users_and_reset_revokes_old_sessions(
) {
    let app = App::spawn().await;
    let name = unique("max");
    let email = format!("{name}@example.com");
    app.register(&name, &email).await;
    let session = app.login(&name).await;

    let known = app
        .post("/v1/auth/forgot-password", json!({"username": email}))
        .await;
    let unknown = app
        .post(
            "/v1/auth/forgot-password",
            json!({"username": unique("ghost")}),
        )
        .await;
    assert_eq!(known.status, 200, "{known:?}");
    assert_eq!(known.body, unknown.body);
    assert_eq!(known.body["data"], serde_json::Value::Null);

    let new_password = "N3wPassword";
    let reset = app
        .post(
            "/v1/auth/reset-password",
            json!({"username": name, "code": "123456", "password": new_password}),
        )
        .await;
    assert_eq!(reset.status, 200, "{reset:?}");
    assert_eq!(app.try_login(&name, new_password).await.status, 200);
    let old = app
        .post(
            "/v1/auth/refresh",
            json!({"refresh_token": refresh_token(&session)}),
        )
        .await;
    assert_eq!(old.status, 401, "{old:?}");
    let ghost = app
        .post(
            "/v1/auth/reset-password",
            json!({"username": unique("ghost"), "code": "123456", "password": new_password}),
        )
        .await;
    assert_eq!(ghost.status, 422, "{ghost:?}");
}

#[tokio::test]
async fn change_password_needs_the_current_one_and_the_new_one_then_logs_in() {
    let app = App::spawn().await;
    let name = unique("ned");
    app.register(&name, &format!("{name}@example.com")).await;
    let access = token(&app.login(&name).await);
    let change = |current: &str, new: &str| {
        app.send(
            "POST",
            "/v1/auth/change-password",
            Some(&access),
            Some(json!({"current_password": current, "new_password": new})),
            &[],
        )
    };
    let wrong = change("Wrong0password", "Chang3dPassword").await;
    assert_eq!(wrong.status, 422, "{wrong:?}");
    assert_eq!(wrong.message(), "current password is incorrect");
    let right = change(PASSWORD, "Chang3dPassword").await;
    assert_eq!(right.status, 200, "{right:?}");
    assert_eq!(app.try_login(&name, "Chang3dPassword").await.status, 200);
    assert_eq!(app.try_login(&name, PASSWORD).await.status, 401);
}
