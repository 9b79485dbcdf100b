//! Payment service settings (api/payment.md §7): the common ones, MySQL, the private proof bucket.

use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::{self, CommonSettings, ConfigError};

/// `DATABASE_URL` on the local stack.
pub const LOCAL_DATABASE_URL: &str = "mysql://admin:password@localhost:3306/payments";

#[derive(Clone, Debug)]
pub struct Config {
    pub common: CommonSettings,
    pub auth: AuthSettings,
    pub aws: AwsSettings,
    pub database_url: String,
    pub database_max_connections: u32,
    pub bucket: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let (database_url, database_max_connections) =
            config::database_from_env(LOCAL_DATABASE_URL)?;
        Ok(Config {
            common: CommonSettings::from_env("payment", 2006)?,
            auth: AuthSettings::from_env()?,
            aws: AwsSettings::from_env()?,
            database_url,
            database_max_connections,
            bucket: config::string_or("S3_BUCKET_NAME", "eshop-payment-proofs"),
        })
    }
}
