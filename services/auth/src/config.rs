//! Auth service settings (api/auth.md §7): the common ones and the Cognito pool it fronts.

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
        Ok(Config {
            common: CommonSettings::from_env("auth", 2003)?,
            auth,
            aws: cognito_aws_settings()?,
            app_client_id,
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
