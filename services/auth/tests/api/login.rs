//! Login failures and throttling (api/auth.md §8 checks 11–12; issue 3 checks 2–3).

use std::time::Duration;

use auth::config::Limits;
use serde_json::json;

use super::stub::{self, CognitoStub};
use super::support::{test_limits, unique, App, PASSWORD};

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401_and_an_unconfirmed_user_403() {
    let app = App::spawn().await;
    let name = unique("eve");
    app.register(&name, &format!("{name}@example.com")).await;
    let wrong = app.try_login(&name, "Wrong0password").await;
    let unknown = app.try_login(&unique("nobody"), PASSWORD).await;
    let unknown_email = app.try_login("nobody@example.com", PASSWORD).await;
    for res in [&wrong, &unknown, &unknown_email] {
        assert_eq!(res.status, 401, "{res:?}");
        assert_eq!(res.body, wrong.body, "one text for every refusal");
    }
    assert_eq!(wrong.message(), "incorrect username or password");

    let pending = unique("pending");
    app.post(
        "/v1/auth/signup",
        json!({"username": pending, "email": format!("{pending}@example.com"), "password": PASSWORD}),
    )
    .await;
    let unconfirmed = app.try_login(&pending, PASSWORD).await;
    assert_eq!(unconfirmed.status, 403, "{unconfirmed:?}");
    assert_eq!(unconfirmed.message(), "account not confirmed");
}

#[tokio::test]
async fn five_wrong_passwords_block_even_the_right_one_until_the_window_passes() {
    let app = App::spawn_with(Limits {
        login_failure_window: Duration::from_secs(3),
        ..test_limits()
    })
    .await;
    let name = unique("frank");
    app.register(&name, &format!("{name}@example.com")).await;
    for _ in 0..5 {
        assert_eq!(app.try_login(&name, "Wrong0password").await.status, 401);
    }
    let blocked = app.try_login(&name.to_uppercase(), PASSWORD).await;
    assert_eq!(blocked.status, 429, "{blocked:?}");
    assert_eq!(blocked.message(), "too many login attempts");
    let retry: u64 = blocked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3).contains(&retry), "{retry}");
    tokio::time::sleep(Duration::from_secs(retry)).await;
    assert_eq!(app.try_login(&name, PASSWORD).await.status, 200);
}

#[tokio::test]
async fn a_blocked_login_never_reaches_cognito() {
    let stub = CognitoStub::start(|_, _| stub::error("NotAuthorizedException")).await;
    let (app, _issuer) = stub::spawn_against(&stub, test_limits()).await;
    for _ in 0..5 {
        assert_eq!(app.try_login("grace", "Wrong0password").await.status, 401);
    }
    assert_eq!(stub.calls("InitiateAuth"), 5);
    let blocked = app.try_login("grace", PASSWORD).await;
    assert_eq!(blocked.status, 429);
    assert!(blocked.headers.contains_key("retry-after"));
    assert_eq!(
        stub.calls("InitiateAuth"),
        5,
        "no Cognito call once blocked"
    );
}

#[tokio::test]
async fn the_21st_login_in_a_minute_from_one_forwarded_address_is_429_but_another_address_is_not() {
    let stub = CognitoStub::start(|_, _| stub::error("NotAuthorizedException")).await;
    let (app, _issuer) = stub::spawn_against(
        &stub,
        Limits {
            login_ip_per_minute: 20,
            ..test_limits()
        },
    )
    .await;
    let login = |ip: &'static str, n: usize| {
        let body = json!({"username": format!("user{n}"), "password": "Wrong0password"});
        let app = &app;
        async move {
            app.send(
                "POST",
                "/v1/auth/login",
                None,
                Some(body),
                &[("x-forwarded-for", ip)],
            )
            .await
        }
    };
    for n in 0..20 {
        // The right-most entry is the one the trusted hop appended.
        assert_eq!(login("6.6.6.6, 203.0.113.5", n).await.status, 401);
    }
    let limited = login("7.7.7.7, 203.0.113.5", 20).await;
    assert_eq!(limited.status, 429, "{limited:?}");
    assert!(limited.headers.contains_key("retry-after"));
    assert_eq!(login("203.0.113.6", 21).await.status, 401);
}
