//! Auth service settings (api/auth.md §7): the common ones, the Cognito pool it fronts, and its own limits.

use std::time::Duration;

use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::{self, CommonSettings, ConfigError};

#[derive(Clone, Debug)]
pub struct Config {
    pub common: CommonSettings,
    pub auth: AuthSettings,
    pub aws: AwsSettings,
    /// The app client used for SignUp/InitiateAuth: `COGNITO_APP_CLIENT_ID`, else the first accepted client.
    pub app_client_id: String,
    pub limits: Limits,
    pub maintenance: Maintenance,
}

/// The request limits of api/auth.md §4.4, §4.5 and §4.14.
#[derive(Clone, Debug)]
pub struct Limits {
    /// `LOGIN_MAX_FAILURES`: failed logins per identifier within the window before 429.
    pub login_max_failures: usize,
    /// `LOGIN_FAILURE_WINDOW_SECS`.
    pub login_failure_window: Duration,
    /// `RESEND_COOLDOWN_SECS`: between two resend-code or forgot-password requests for one identifier.
    pub resend_cooldown: Duration,
    /// `LOGIN_IP_MAX_PER_MINUTE`.
    pub login_ip_per_minute: usize,
    /// `PUBLIC_IP_MAX_PER_MINUTE`: signup, confirm, resend, refresh, forgot and reset together.
    pub public_ip_per_minute: usize,
    /// `TRUSTED_PROXY_HOPS`: which `X-Forwarded-For` entry, from the right, is the client.
    pub trusted_proxy_hops: usize,
    /// Most keys any one counter keeps (least recently used evicted).
    pub max_keys: usize,
}

impl Default for Limits {
    /// The contract's defaults (api/auth.md §7).
    fn default() -> Self {
        Limits {
            login_max_failures: 5,
            login_failure_window: Duration::from_secs(900),
            resend_cooldown: Duration::from_secs(30),
            login_ip_per_minute: 20,
            public_ip_per_minute: 60,
            trusted_proxy_hops: 1,
            max_keys: 100_000,
        }
    }
}

impl Limits {
    pub fn from_env() -> Result<Self, ConfigError> {
        let d = Limits::default();
        Ok(Limits {
            login_max_failures: config::parse_or("LOGIN_MAX_FAILURES", d.login_max_failures)?,
            login_failure_window: config::secs_or("LOGIN_FAILURE_WINDOW_SECS", 900)?,
            resend_cooldown: config::secs_or("RESEND_COOLDOWN_SECS", 30)?,
            login_ip_per_minute: config::parse_or(
                "LOGIN_IP_MAX_PER_MINUTE",
                d.login_ip_per_minute,
            )?,
            public_ip_per_minute: config::parse_or(
                "PUBLIC_IP_MAX_PER_MINUTE",
                d.public_ip_per_minute,
            )?,
            trusted_proxy_hops: config::parse_or("TRUSTED_PROXY_HOPS", d.trusted_proxy_hops)?,
            max_keys: d.max_keys,
        })
    }
}

/// The stale-unconfirmed-user sweep (api/auth.md §5).
#[derive(Clone, Debug)]
pub struct Maintenance {
    /// `UNCONFIRMED_USER_MAX_AGE_DAYS`: unconfirmed users older than this are deleted.
    pub unconfirmed_max_age: Duration,
    /// How often the sweep runs (hourly; not configurable by the contract).
    pub every: Duration,
}

impl Default for Maintenance {
    fn default() -> Self {
        Maintenance {
            unconfirmed_max_age: Duration::from_secs(7 * 24 * 3600),
            every: Duration::from_secs(3600),
        }
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let auth = AuthSettings::from_env()?;
        let app_client_id = config::string_or("COGNITO_APP_CLIENT_ID", &auth.client_ids[0]);
        if !auth.client_ids.contains(&app_client_id) {
            return Err(ConfigError::new(
                "COGNITO_APP_CLIENT_ID",
                "must be one of COGNITO_CLIENT_IDS",
            ));
        }
        let days: u64 = config::parse_or("UNCONFIRMED_USER_MAX_AGE_DAYS", 7)?;
        Ok(Config {
            common: CommonSettings::from_env("auth", 2003)?,
            auth,
            aws: cognito_aws_settings()?,
            app_client_id,
            limits: Limits::from_env()?,
            maintenance: Maintenance {
                unconfirmed_max_age: Duration::from_secs(days * 24 * 3600),
                ..Maintenance::default()
            },
        })
    }
}

/// The AWS settings with `COGNITO_ENDPOINT` taking precedence over `AWS_ENDPOINT_URL` (auth.md §2.1),
/// and the region of `COGNITO_REGION` when set.
pub fn cognito_aws_settings() -> Result<AwsSettings, ConfigError> {
    let mut aws = AwsSettings::from_env()?;
    if let Some(endpoint) = config::var("COGNITO_ENDPOINT") {
        aws.endpoint = Some(endpoint);
    }
    if let Some(region) = config::var("COGNITO_REGION") {
        aws.region = region;
    }
    aws.timeout = config::millis_or("COGNITO_TIMEOUT_MS", 5000)?;
    Ok(aws)
}
