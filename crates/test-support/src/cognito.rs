//! Real Cognito tokens from the AWS emulator: a throw-away user pool per test with an app client, the role
//! groups and users, and `USER_PASSWORD_AUTH` logins. The emulator's URL is `AWS_ENDPOINT_URL`
//! (default `http://localhost:5000`).

use aws_sdk_cognitoidentityprovider::types::{AttributeType, AuthFlowType, ExplicitAuthFlowsType};
use aws_sdk_cognitoidentityprovider::Client;

pub const PASSWORD: &str = "Passw0rd!Test";

/// The emulator's base URL. Also gives the SDK's default credential chain the emulator's static test
/// credentials when the environment has none, so services built in tests can sign their calls.
pub fn endpoint() -> String {
    static CREDENTIALS: std::sync::Once = std::sync::Once::new();
    CREDENTIALS.call_once(|| {
        for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
            if std::env::var_os(name).is_none() {
                std::env::set_var(name, "test");
            }
        }
    });
    std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://localhost:5000".into())
}

/// A client for the emulator (region us-east-1, static test credentials).
pub async fn client() -> Client {
    let creds = aws_sdk_cognitoidentityprovider::config::Credentials::new(
        "test", "test", None, None, "test",
    );
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(endpoint())
        .credentials_provider(creds)
        .load()
        .await;
    Client::new(&sdk)
}

/// Tokens of one login.
#[derive(Clone, Debug)]
pub struct Tokens {
    pub access: String,
    pub id: String,
    pub sub: String,
}

/// A fresh user pool with one app client and the groups `admin`, `warehouse_manager`, `warehouse_staff`.
pub struct TestPool {
    pub client: Client,
    pub pool_id: String,
    pub client_id: String,
}

impl TestPool {
    pub async fn create() -> TestPool {
        let client = client().await;
        let name = format!("test-{}", uuid::Uuid::new_v4().simple());
        let pool = client
            .create_user_pool()
            .pool_name(name)
            .send()
            .await
            .expect("create pool");
        let pool_id = pool
            .user_pool()
            .and_then(|p| p.id())
            .expect("pool id")
            .to_string();
        for group in ["admin", "warehouse_manager", "warehouse_staff"] {
            client
                .create_group()
                .user_pool_id(&pool_id)
                .group_name(group)
                .send()
                .await
                .expect("create group");
        }
        let client_id = Self::app_client(&client, &pool_id, "eshop-web").await;
        TestPool {
            client,
            pool_id,
            client_id,
        }
    }

    /// Another app client of this pool (for "unlisted client" tests).
    pub async fn add_client(&self, name: &str) -> String {
        Self::app_client(&self.client, &self.pool_id, name).await
    }

    async fn app_client(client: &Client, pool_id: &str, name: &str) -> String {
        let created = client
            .create_user_pool_client()
            .user_pool_id(pool_id)
            .client_name(name)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .send()
            .await
            .expect("create app client");
        created
            .user_pool_client()
            .and_then(|c| c.client_id())
            .expect("client id")
            .to_string()
    }

    /// `https://cognito-idp.us-east-1.amazonaws.com/<pool>`: the `iss` the emulator writes.
    pub fn issuer(&self) -> String {
        format!(
            "https://cognito-idp.us-east-1.amazonaws.com/{}",
            self.pool_id
        )
    }

    /// Where the emulator serves this pool's keys.
    pub fn jwks_url(&self) -> String {
        format!(
            "{}/{}/.well-known/jwks.json",
            endpoint().trim_end_matches('/'),
            self.pool_id
        )
    }

    /// A confirmed user with a permanent password, in `groups`.
    pub async fn user(&self, username: &str, groups: &[&str]) {
        self.client
            .admin_create_user()
            .user_pool_id(&self.pool_id)
            .username(username)
            .user_attributes(
                AttributeType::builder()
                    .name("email")
                    .value(format!("{username}@test.local"))
                    .build()
                    .unwrap(),
            )
            .user_attributes(
                AttributeType::builder()
                    .name("email_verified")
                    .value("true")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("create user");
        self.client
            .admin_set_user_password()
            .user_pool_id(&self.pool_id)
            .username(username)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .expect("set password");
        for group in groups {
            self.client
                .admin_add_user_to_group()
                .user_pool_id(&self.pool_id)
                .username(username)
                .group_name(*group)
                .send()
                .await
                .expect("add to group");
        }
    }

    /// Logs `username` in through `client_id` (default: the pool's first client).
    pub async fn login_with(&self, username: &str, client_id: &str) -> Tokens {
        let out = self
            .client
            .initiate_auth()
            .client_id(client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await
            .expect("login");
        let result = out.authentication_result().expect("authentication result");
        let access = result.access_token().expect("access token").to_string();
        let sub = crate::keys::claim(&access, "sub").expect("sub claim");
        Tokens {
            access,
            id: result.id_token().expect("id token").to_string(),
            sub,
        }
    }

    pub async fn login(&self, username: &str) -> Tokens {
        self.login_with(username, &self.client_id.clone()).await
    }
}
