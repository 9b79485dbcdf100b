//! Warehouse service settings (contract: api/warehouse.md §6): the common ones plus its database, the
//! product service that receives `stock.changed`, the low-stock default and the outbox relay.

use eshop_common::auth::AuthSettings;
use eshop_common::config::{self, CommonSettings, ConfigError};
use eshop_common::outbox::{OutboxSettings, SettingsError};

/// `DATABASE_URL` on the local stack.
pub const LOCAL_DATABASE_URL: &str = "postgres://admin:password@localhost:5432/warehouse";
/// `INTERNAL_TOKENS` on the local stack: order and product may call.
pub const LOCAL_INTERNAL_TOKENS: &str = "order:local-order-token,product:local-product-token";

#[derive(Clone, Debug)]
pub struct Config {
    pub common: CommonSettings,
    pub auth: AuthSettings,
    pub database_url: String,
    pub database_max_connections: u32,
    pub internal_tokens: String,
    /// `SERVICE_TOKEN`: this service's own credential, sent with every event delivery.
    pub service_token: String,
    /// `PRODUCT_SERVICE`: base URL of the `stock.changed` subscriber.
    pub product_service: String,
    /// `WAREHOUSE_LOW_STOCK_THRESHOLD` (10): the alert threshold of rows without their own.
    pub low_stock_threshold: i32,
    /// `OUTBOX_*` and `HTTP_CLIENT_TIMEOUT_MS` (design §4.2).
    pub outbox: OutboxSettings,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let (database_url, database_max_connections) =
            config::database_from_env(LOCAL_DATABASE_URL)?;
        let low_stock_threshold: i32 = config::parse_or("WAREHOUSE_LOW_STOCK_THRESHOLD", 10)?;
        if !(0..=1_000_000).contains(&low_stock_threshold) {
            return Err(ConfigError::new(
                "WAREHOUSE_LOW_STOCK_THRESHOLD",
                "must be from 0 to 1000000",
            ));
        }
        let outbox = OutboxSettings::from_env().map_err(|e| match &e {
            SettingsError::Invalid { name, .. } => ConfigError::new(name, e.to_string()),
        })?;
        Ok(Config {
            common: CommonSettings::from_env("warehouse", 2005)?,
            auth: AuthSettings::from_env()?,
            database_url,
            database_max_connections,
            internal_tokens: config::string_or("INTERNAL_TOKENS", LOCAL_INTERNAL_TOKENS),
            service_token: config::string_or("SERVICE_TOKEN", "local-warehouse-token"),
            product_service: config::string_or("PRODUCT_SERVICE", "http://localhost:2001"),
            low_stock_threshold,
            outbox,
        })
    }
}
