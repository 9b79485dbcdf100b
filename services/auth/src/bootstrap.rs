//! `auth bootstrap`: finds or creates the user pool, its app client, the role groups and the seed admin, then
//! writes the env file the runner sources (contract: api/auth.md §5). Idempotent: a second run finds every
//! resource by name and returns the same ids. Passwords are never logged.

mod env_file;
mod pool;
mod users;

use std::fmt;
use std::path::Path;

use anyhow::{bail, Context};
use aws_sdk_cognitoidentityprovider::config::Region;
use aws_sdk_cognitoidentityprovider::Client;

pub use env_file::write_env_file;
pub use pool::{ensure_app_client, ensure_groups, ensure_user_pool, APP_CLIENT_NAME, ROLE_GROUPS};
pub use users::seed_user;

/// What `auth bootstrap` needs (contract: api/auth.md §7).
#[derive(Clone)]
pub struct BootstrapSettings {
    /// `COGNITO_POOL_NAME`, default `eshop`.
    pub pool_name: String,
    /// `COGNITO_REGION`, then `AWS_COGNITO_REGION`, then `AWS_REGION`, default `us-east-1`.
    pub region: String,
    /// `COGNITO_ENDPOINT`, then `AWS_ENDPOINT_URL`; unset in AWS.
    pub endpoint: Option<String>,
    /// `SEED_ADMIN_USERNAME`, default `admin` (stored lower-cased).
    pub admin_username: String,
    /// `SEED_ADMIN_EMAIL`, default `admin@eshop.local` (stored lower-cased).
    pub admin_email: String,
    /// `SEED_ADMIN_PASSWORD`, required: no default in code.
    pub admin_password: String,
}

impl fmt::Debug for BootstrapSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BootstrapSettings")
            .field("pool_name", &self.pool_name)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("admin_username", &self.admin_username)
            .field("admin_email", &self.admin_email)
            .field("admin_password", &"<redacted>")
            .finish()
    }
}

impl BootstrapSettings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (tests pass a map); empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let first = |names: &[&str]| names.iter().find_map(|n| get(n));
        let Some(admin_password) = lookup("SEED_ADMIN_PASSWORD").filter(|v| !v.is_empty()) else {
            bail!("SEED_ADMIN_PASSWORD is required for auth bootstrap (no default)");
        };
        Ok(Self {
            pool_name: get("COGNITO_POOL_NAME").unwrap_or_else(|| "eshop".into()),
            region: first(&["COGNITO_REGION", "AWS_COGNITO_REGION", "AWS_REGION"])
                .unwrap_or_else(|| "us-east-1".into()),
            endpoint: first(&["COGNITO_ENDPOINT", "AWS_ENDPOINT_URL"]),
            admin_username: get("SEED_ADMIN_USERNAME").unwrap_or_else(|| "admin".into()),
            admin_email: get("SEED_ADMIN_EMAIL").unwrap_or_else(|| "admin@eshop.local".into()),
            admin_password,
        })
    }

    /// A Cognito client for these settings: the SDK's default credential chain, the configured region and,
    /// when set, the emulator endpoint.
    pub async fn client(&self) -> Client {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(Region::new(self.region.clone()));
        if let Some(endpoint) = &self.endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        Client::new(&loader.load().await)
    }
}

/// The ids the bootstrap found or created and the settings derived from them (contract: api/auth.md §2.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootstrapOutput {
    pub pool_id: String,
    pub client_id: String,
    pub issuer: String,
    pub jwks_url: String,
}

impl BootstrapOutput {
    /// Derives issuer and JWKS URL: `{endpoint}/{pool}/.well-known/jwks.json` when an endpoint is set (where
    /// moto serves it), else `{issuer}/.well-known/jwks.json` (contract: api/auth.md §2.1).
    pub fn new(pool_id: String, client_id: String, region: &str, endpoint: Option<&str>) -> Self {
        let issuer = format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}");
        let jwks_url = match endpoint
            .map(|e| e.trim_end_matches('/'))
            .filter(|e| !e.is_empty())
        {
            Some(endpoint) => format!("{endpoint}/{pool_id}/.well-known/jwks.json"),
            None => format!("{issuer}/.well-known/jwks.json"),
        };
        Self {
            pool_id,
            client_id,
            issuer,
            jwks_url,
        }
    }

    /// The env file's text: one `NAME=value` line per setting.
    pub fn env_file_contents(&self) -> String {
        format!(
            "COGNITO_USER_POOL_ID={}\nCOGNITO_ISSUER={}\nCOGNITO_JWKS_URL={}\nCOGNITO_CLIENT_IDS={}\n",
            self.pool_id, self.issuer, self.jwks_url, self.client_id
        )
    }
}

/// Finds or creates the pool, the app client `eshop-web`, the groups and the seed admin.
#[tracing::instrument(skip_all, fields(pool_name = %settings.pool_name))]
pub async fn bootstrap(
    client: &Client,
    settings: &BootstrapSettings,
) -> anyhow::Result<BootstrapOutput> {
    let pool_id = ensure_user_pool(client, &settings.pool_name).await?;
    let client_id = ensure_app_client(client, &pool_id).await?;
    ensure_groups(client, &pool_id).await?;
    seed_user(
        client,
        &pool_id,
        &settings.admin_username,
        &settings.admin_email,
        &settings.admin_password,
        Some("admin"),
    )
    .await
    .context("seed admin")?;
    tracing::info!(%pool_id, %client_id, "user pool ready");
    Ok(BootstrapOutput::new(
        pool_id,
        client_id,
        &settings.region,
        settings.endpoint.as_deref(),
    ))
}

/// The whole subcommand: client, [`bootstrap`], then the env file at `env_file`.
pub async fn run(settings: &BootstrapSettings, env_file: &Path) -> anyhow::Result<BootstrapOutput> {
    let client = settings.client().await;
    let output = bootstrap(&client, settings).await?;
    write_env_file(env_file, &output.env_file_contents())
        .with_context(|| format!("write env file {}", env_file.display()))?;
    tracing::info!(path = %env_file.display(), "env file written");
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn missing_admin_password_names_the_variable() {
        let err = BootstrapSettings::from_lookup(lookup(&[])).unwrap_err();
        assert!(err.to_string().contains("SEED_ADMIN_PASSWORD"));
    }

    #[test]
    fn defaults_and_fallbacks_apply() {
        let s = BootstrapSettings::from_lookup(lookup(&[
            ("SEED_ADMIN_PASSWORD", "Secret123"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL", "http://localhost:5000"),
        ]))
        .unwrap();
        assert_eq!(s.pool_name, "eshop");
        assert_eq!(s.region, "eu-west-1");
        assert_eq!(s.endpoint.as_deref(), Some("http://localhost:5000"));
        assert_eq!(
            (s.admin_username.as_str(), s.admin_email.as_str()),
            ("admin", "admin@eshop.local")
        );
        assert!(!format!("{s:?}").contains("Secret123"));
    }

    #[test]
    fn jwks_url_uses_the_endpoint_else_the_issuer() {
        let local = BootstrapOutput::new(
            "us-east-1_abc".into(),
            "cid".into(),
            "us-east-1",
            Some("http://h:5000/"),
        );
        assert_eq!(
            local.issuer,
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
        );
        assert_eq!(
            local.jwks_url,
            "http://h:5000/us-east-1_abc/.well-known/jwks.json"
        );
        let aws = BootstrapOutput::new("us-east-1_abc".into(), "cid".into(), "us-east-1", None);
        assert_eq!(
            aws.jwks_url,
            format!("{}/.well-known/jwks.json", aws.issuer)
        );
        assert!(aws.env_file_contents().contains("COGNITO_CLIENT_IDS=cid\n"));
    }
}
