//! Cart service settings (api/cart.md §7): the common ones, MySQL, the Redis cache, the two peers it calls
//! and the cart's limits. Every value has the documented local default.

use std::time::Duration;

use eshop_common::auth::AuthSettings;
use eshop_common::config::{self, CommonSettings, ConfigError};
use secrecy::SecretString;

/// `DATABASE_URL` on the local stack.
pub const LOCAL_DATABASE_URL: &str = "mysql://admin:password@localhost:3306/carts";

/// The highest `CART_MAX_LINE_QUANTITY` the table's CHECK allows (§6.1).
pub const QUANTITY_CEILING: u32 = 9999;

#[derive(Clone, Debug)]
pub struct Config {
    pub common: CommonSettings,
    pub auth: AuthSettings,
    pub database_url: String,
    pub database_max_connections: u32,
    pub redis_url: String,
    pub internal_tokens: String,
    pub cache: CacheSettings,
    pub peers: PeerSettings,
    pub limits: Limits,
    /// `PROCESSED_EVENTS_RETENTION_DAYS` (30).
    pub processed_events_retention: Duration,
}

/// The Redis read cache (§6.3).
#[derive(Clone, Debug)]
pub struct CacheSettings {
    /// `REDIS_KEY_PREFIX` (`cart:v2:`).
    pub key_prefix: String,
    /// `CART_CACHE_TTL_SECS` (86400).
    pub ttl: Duration,
}

impl Default for CacheSettings {
    fn default() -> Self {
        CacheSettings {
            key_prefix: "cart:v2:".into(),
            ttl: Duration::from_secs(86_400),
        }
    }
}

/// The services cart calls (§4).
#[derive(Clone, Debug)]
pub struct PeerSettings {
    /// `PRODUCT_SERVICE`, base URL without a trailing slash.
    pub product_url: String,
    /// `ORDER_SERVICE`, base URL without a trailing slash.
    pub order_url: String,
    /// `PRODUCT_TIMEOUT_MS` (3000).
    pub product_timeout: Duration,
    /// `ORDER_TIMEOUT_MS` (25000).
    pub order_timeout: Duration,
    /// `SERVICE_TOKEN` (`local-cart-token`), sent to product's internal route.
    pub service_token: SecretString,
}

impl Default for PeerSettings {
    fn default() -> Self {
        PeerSettings {
            product_url: "http://localhost:2001".into(),
            order_url: "http://localhost:2004".into(),
            product_timeout: Duration::from_millis(3000),
            order_timeout: Duration::from_millis(25_000),
            service_token: SecretString::from("local-cart-token"),
        }
    }
}

/// `CART_MAX_LINES` (50) and `CART_MAX_LINE_QUANTITY` (99).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_lines: u32,
    pub max_line_quantity: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_lines: 50,
            max_line_quantity: 99,
        }
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let (database_url, database_max_connections) =
            config::database_from_env(LOCAL_DATABASE_URL)?;
        let config = Config {
            common: CommonSettings::from_env("cart", 2002)?,
            auth: AuthSettings::from_env()?,
            database_url,
            database_max_connections,
            redis_url: config::string_or("REDIS_URL", "redis://127.0.0.1:6379/0"),
            internal_tokens: config::string_or("INTERNAL_TOKENS", "product:local-product-token"),
            cache: CacheSettings {
                key_prefix: config::string_or("REDIS_KEY_PREFIX", "cart:v2:"),
                ttl: config::secs_or("CART_CACHE_TTL_SECS", 86_400)?,
            },
            peers: PeerSettings {
                product_url: base_url("PRODUCT_SERVICE", "http://localhost:2001"),
                order_url: base_url("ORDER_SERVICE", "http://localhost:2004"),
                product_timeout: config::millis_or("PRODUCT_TIMEOUT_MS", 3000)?,
                order_timeout: config::millis_or("ORDER_TIMEOUT_MS", 25_000)?,
                service_token: SecretString::from(config::string_or(
                    "SERVICE_TOKEN",
                    "local-cart-token",
                )),
            },
            limits: Limits {
                max_lines: config::parse_or("CART_MAX_LINES", 50)?,
                max_line_quantity: config::parse_or("CART_MAX_LINE_QUANTITY", 99)?,
            },
            processed_events_retention: Duration::from_secs(
                86_400 * config::parse_or::<u64>("PROCESSED_EVENTS_RETENTION_DAYS", 30)?,
            ),
        };
        config.validate()?;
        Ok(config)
    }

    /// The rules §7 states between settings; `build` checks them too, so tests cannot skip them.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.limits.max_line_quantity == 0 || self.limits.max_line_quantity > QUANTITY_CEILING {
            return Err(ConfigError::new(
                "CART_MAX_LINE_QUANTITY",
                "must be between 1 and 9999",
            ));
        }
        if self.limits.max_lines == 0 {
            return Err(ConfigError::new("CART_MAX_LINES", "must be at least 1"));
        }
        if self.cache.ttl.is_zero() {
            return Err(ConfigError::new(
                "CART_CACHE_TTL_SECS",
                "must be at least 1",
            ));
        }
        // §4: a checkout must never be cut off by our own request timeout after the order was made.
        if self.common.request_timeout <= self.peers.order_timeout {
            return Err(ConfigError::new(
                "HTTP_REQUEST_TIMEOUT_SECS",
                "must exceed ORDER_TIMEOUT_MS",
            ));
        }
        Ok(())
    }
}

fn base_url(name: &str, default: &str) -> String {
    config::string_or(name, default)
        .trim_end_matches('/')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config {
            common: CommonSettings::from_env("cart", 0).unwrap(),
            auth: AuthSettings::new("https://issuer.test", &["client"], "http://jwks.test"),
            database_url: LOCAL_DATABASE_URL.into(),
            database_max_connections: 1,
            redis_url: "redis://127.0.0.1:6379/0".into(),
            internal_tokens: String::new(),
            cache: CacheSettings::default(),
            peers: PeerSettings::default(),
            limits: Limits::default(),
            processed_events_retention: Duration::from_secs(86_400),
        }
    }

    #[test]
    fn the_documented_defaults_are_valid() {
        let c = config();
        assert!(c.validate().is_ok());
        assert_eq!(c.peers.product_timeout, Duration::from_millis(3000));
        assert_eq!(c.peers.order_timeout, Duration::from_millis(25_000));
        assert_eq!(
            c.limits,
            Limits {
                max_lines: 50,
                max_line_quantity: 99
            }
        );
        assert_eq!(c.cache.key_prefix, "cart:v2:");
    }

    #[test]
    fn a_request_timeout_not_above_the_order_timeout_stops_the_start() {
        let mut c = config();
        c.common.request_timeout = Duration::from_secs(25);
        assert_eq!(c.validate().unwrap_err().var, "HTTP_REQUEST_TIMEOUT_SECS");
    }

    #[test]
    fn a_maximum_quantity_outside_one_to_9999_is_refused() {
        for q in [0, 10_000] {
            let mut c = config();
            c.limits.max_line_quantity = q;
            assert_eq!(c.validate().unwrap_err().var, "CART_MAX_LINE_QUANTITY");
        }
    }
}
