//! Cart service settings (api/cart.md, configuration): the common ones, MySQL and Redis.

use eshop_common::auth::AuthSettings;
use eshop_common::config::{self, CommonSettings, ConfigError};

/// `DATABASE_URL` on the local stack.
pub const LOCAL_DATABASE_URL: &str = "mysql://admin:password@localhost:3306/carts";

#[derive(Clone, Debug)]
pub struct Config {
    pub common: CommonSettings,
    pub auth: AuthSettings,
    pub database_url: String,
    pub database_max_connections: u32,
    pub redis_url: String,
    pub internal_tokens: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let (database_url, database_max_connections) =
            config::database_from_env(LOCAL_DATABASE_URL)?;
        Ok(Config {
            common: CommonSettings::from_env("cart", 2002)?,
            auth: AuthSettings::from_env()?,
            database_url,
            database_max_connections,
            redis_url: config::string_or("REDIS_URL", "redis://127.0.0.1:6379/0"),
            internal_tokens: config::string_or("INTERNAL_TOKENS", "product:local-product-token"),
        })
    }
}
