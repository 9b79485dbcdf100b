//! `auth bootstrap` against the AWS emulator (moto at `AWS_ENDPOINT_URL`, default http://localhost:5000): the
//! pool, client, groups and seed users of api/auth.md §5, found again on a rerun. Each test uses its own pool.

use auth::bootstrap::{bootstrap, seed_user, write_env_file, BootstrapSettings};
use aws_sdk_cognitoidentityprovider::config::{Credentials, Region};
use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use aws_sdk_cognitoidentityprovider::Client;
use base64::Engine;

fn endpoint() -> String {
    std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://localhost:5000".into())
}

fn settings() -> BootstrapSettings {
    BootstrapSettings {
        pool_name: format!(
            "eshop-test-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        ),
        region: "us-east-1".into(),
        endpoint: Some(format!("{}/", endpoint())),
        admin_username: "Admin".into(),
        admin_email: "Admin@Eshop.Local".into(),
        admin_password: "Password1".into(),
    }
}

async fn client() -> Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint())
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .load()
        .await;
    Client::new(&config)
}

async fn login(
    client: &Client,
    client_id: &str,
    username: &str,
    password: &str,
) -> serde_json::Value {
    let out = client
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", password)
        .send()
        .await
        .expect("login succeeds");
    let token = out
        .authentication_result()
        .and_then(|r| r.access_token())
        .expect("an access token");
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

async fn attribute(client: &Client, pool_id: &str, username: &str, name: &str) -> Option<String> {
    let user = client
        .admin_get_user()
        .user_pool_id(pool_id)
        .username(username)
        .send()
        .await
        .unwrap();
    user.user_attributes()
        .iter()
        .find(|a| a.name() == name)
        .and_then(|a| a.value())
        .map(str::to_owned)
}

#[tokio::test]
async fn bootstrap_twice_gives_the_same_ids_and_env_file() {
    let settings = settings();
    let client = client().await;
    let dir = std::env::temp_dir().join(format!("eshop-auth-{}", uuid::Uuid::new_v4().simple()));
    let path = dir.join("cognito.env");

    let first = bootstrap(&client, &settings)
        .await
        .expect("first bootstrap");
    write_env_file(&path, &first.env_file_contents()).unwrap();
    let first_file = std::fs::read_to_string(&path).unwrap();
    let second = bootstrap(&client, &settings)
        .await
        .expect("second bootstrap");
    write_env_file(&path, &second.env_file_contents()).unwrap();

    assert_eq!(first, second);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first_file);
    let pool = &first.pool_id;
    let expected = format!(
        "COGNITO_USER_POOL_ID={pool}\nCOGNITO_ISSUER=https://cognito-idp.us-east-1.amazonaws.com/{pool}\n\
         COGNITO_JWKS_URL={}/{pool}/.well-known/jwks.json\nCOGNITO_CLIENT_IDS={}\n",
        endpoint().trim_end_matches('/'),
        first.client_id
    );
    assert_eq!(first_file, expected);

    // The shared emulator holds every test's pools: count over all pages.
    let mut named = 0;
    let mut next_token = None;
    loop {
        let page = client
            .list_user_pools()
            .max_results(60)
            .set_next_token(next_token)
            .send()
            .await
            .unwrap();
        named += page
            .user_pools()
            .iter()
            .filter(|p| p.name() == Some(settings.pool_name.as_str()))
            .count();
        next_token = page.next_token().map(String::from);
        if next_token.is_none() {
            break;
        }
    }
    assert_eq!(named, 1, "no second pool");
    let clients = client
        .list_user_pool_clients()
        .user_pool_id(pool)
        .send()
        .await
        .unwrap();
    assert_eq!(clients.user_pool_clients().len(), 1, "no second app client");
    let groups = client
        .list_groups()
        .user_pool_id(pool)
        .send()
        .await
        .unwrap();
    let mut groups: Vec<_> = groups
        .groups()
        .iter()
        .map(|g| (g.group_name().unwrap(), g.precedence()))
        .collect();
    groups.sort();
    assert_eq!(
        groups,
        [
            ("admin", Some(0)),
            ("warehouse_manager", Some(1)),
            ("warehouse_staff", Some(2))
        ]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn app_client_has_the_contract_settings() {
    let settings = settings();
    let client = client().await;
    let out = bootstrap(&client, &settings).await.unwrap();
    let described = client
        .describe_user_pool_client()
        .user_pool_id(&out.pool_id)
        .client_id(&out.client_id)
        .send()
        .await
        .unwrap();
    let app = described.user_pool_client().unwrap();
    assert_eq!(app.client_name(), Some("eshop-web"));
    assert!(app.client_secret().is_none(), "no client secret");
    let flows: Vec<&str> = app
        .explicit_auth_flows()
        .iter()
        .map(|f| f.as_str())
        .collect();
    for flow in [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
    ] {
        assert!(flows.contains(&flow), "{flow} in {flows:?}");
    }
    assert!(app.write_attributes().iter().any(|a| a == "custom:role"));
}

#[tokio::test]
async fn seeded_admin_logs_in_and_the_access_token_carries_the_admin_group() {
    let settings = settings();
    let client = client().await;
    let out = bootstrap(&client, &settings).await.unwrap();

    let claims = login(&client, &out.client_id, "admin", "Password1").await;
    assert_eq!(claims["cognito:groups"], serde_json::json!(["admin"]));
    assert_eq!(claims["token_use"], "access");
    assert_eq!(
        claims["username"], "admin",
        "usernames are stored lower-cased"
    );
    assert_eq!(claims["iss"], out.issuer);

    let pool = &out.pool_id;
    assert_eq!(
        attribute(&client, pool, "admin", "email").await.as_deref(),
        Some("admin@eshop.local")
    );
    assert_eq!(
        attribute(&client, pool, "admin", "email_verified")
            .await
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        attribute(&client, pool, "admin", "custom:role")
            .await
            .as_deref(),
        Some("admin")
    );
}

#[tokio::test]
async fn demo_customer_is_seeded_once_without_a_group() {
    let settings = settings();
    let client = client().await;
    let out = bootstrap(&client, &settings).await.unwrap();
    for _ in 0..2 {
        seed_user(
            &client,
            &out.pool_id,
            "customer",
            "customer@eshop.local",
            "Password1",
            None,
        )
        .await
        .expect("seed customer");
    }

    let claims = login(&client, &out.client_id, "customer", "Password1").await;
    let groups = claims
        .get("cognito:groups")
        .cloned()
        .unwrap_or(serde_json::json!([]));
    assert_eq!(groups, serde_json::json!([]), "a customer has no group");
    assert_eq!(
        attribute(&client, &out.pool_id, "customer", "custom:role")
            .await
            .as_deref(),
        Some("customer")
    );
    let users = client
        .list_users()
        .user_pool_id(&out.pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(users.users().len(), 2, "admin and customer, once each");
}

#[tokio::test]
async fn a_password_outside_the_policy_fails_with_a_plain_message() {
    let mut settings = settings();
    settings.admin_password = "lowercaseonly".into();
    let client = client().await;
    let err = bootstrap(&client, &settings).await.unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("does not meet the pool policy"), "{text}");
    assert!(
        !text.contains("lowercaseonly"),
        "the password is not echoed"
    );
}
