//! Warehouse service settings (api/warehouse.md, configuration): the common ones plus its database.

use eshop_common::auth::AuthSettings;
use eshop_common::config::{self, CommonSettings, ConfigError};

/// `DATABASE_URL` on the local stack.
pub const LOCAL_DATABASE_URL: &str = "postgres://admin:password@localhost:5432/warehouse";

#[derive(Clone, Debug)]
pub struct Config {
    pub common: CommonSettings,
    pub auth: AuthSettings,
    pub database_url: String,
    pub database_max_connections: u32,
    pub internal_tokens: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let (database_url, database_max_connections) =
            config::database_from_env(LOCAL_DATABASE_URL)?;
        Ok(Config {
            common: CommonSettings::from_env("warehouse", 2005)?,
            auth: AuthSettings::from_env()?,
            database_url,
            database_max_connections,
            internal_tokens: config::string_or(
                "INTERNAL_TOKENS",
                "order:local-order-token,product:local-product-token",
            ),
        })
    }
}
