//! Order service settings (api/order.md §6): the common ones, its database, its peers, the payment
//! deadline and sweeper, shipping rates, checkout bounds, proof links and the outbox relay.

use std::fmt;
use std::time::Duration;

use eshop_common::auth::AuthSettings;
use eshop_common::config::{self, CommonSettings, ConfigError};
use eshop_common::outbox::OutboxSettings;
use rust_decimal::Decimal;

use crate::domain::shipping::ShippingRates;

/// `DATABASE_URL` on the local stack.
pub const LOCAL_DATABASE_URL: &str = "postgres://admin:password@localhost:5432/orders";

#[derive(Clone, Debug)]
pub struct Config {
    pub common: CommonSettings,
    pub auth: AuthSettings,
    pub database_url: String,
    pub database_max_connections: u32,
    pub internal_tokens: String,
    pub order: OrderSettings,
    pub peers: Peers,
    pub outbox: OutboxSettings,
}

/// The services order calls or delivers events to (api/order.md §6).
#[derive(Clone)]
pub struct Peers {
    pub product_url: String,
    pub warehouse_url: String,
    pub sales_report_url: String,
    /// This service's own `SERVICE_TOKEN`.
    pub service_token: String,
    /// `HTTP_CLIENT_TIMEOUT_MS`, per outgoing call.
    pub timeout: Duration,
}

impl fmt::Debug for Peers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Peers")
            .field("product_url", &self.product_url)
            .field("warehouse_url", &self.warehouse_url)
            .field("sales_report_url", &self.sales_report_url)
            .field("service_token", &"[redacted]")
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The order rules' knobs (api/order.md §6).
#[derive(Clone)]
pub struct OrderSettings {
    pub payment_timeout: Duration,
    pub expiry_grace: Duration,
    pub sweep_interval: Duration,
    pub sweep_batch: i64,
    pub max_payment_rejections: i32,
    pub shipping: ShippingRates,
    pub checkout_timeout: Duration,
    pub checkout_lease: Duration,
    pub checkout_abandon: Duration,
    pub payment_public_url: String,
    pub proof_link_secret: String,
    pub proof_link_ttl: Duration,
}

impl fmt::Debug for OrderSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrderSettings")
            .field("payment_timeout", &self.payment_timeout)
            .field("expiry_grace", &self.expiry_grace)
            .field("sweep_interval", &self.sweep_interval)
            .field("sweep_batch", &self.sweep_batch)
            .field("max_payment_rejections", &self.max_payment_rejections)
            .field("shipping", &self.shipping)
            .field("checkout_timeout", &self.checkout_timeout)
            .field("checkout_lease", &self.checkout_lease)
            .field("checkout_abandon", &self.checkout_abandon)
            .field("payment_public_url", &self.payment_public_url)
            .field("proof_link_secret", &"[redacted]")
            .field("proof_link_ttl", &self.proof_link_ttl)
            .finish()
    }
}

impl Default for OrderSettings {
    /// The documented local defaults (api/order.md §6).
    fn default() -> Self {
        OrderSettings {
            payment_timeout: Duration::from_secs(600),
            expiry_grace: Duration::from_secs(30),
            sweep_interval: Duration::from_secs(5),
            sweep_batch: 100,
            max_payment_rejections: 3,
            shipping: ShippingRates::default(),
            checkout_timeout: Duration::from_secs(20),
            checkout_lease: Duration::from_secs(30),
            checkout_abandon: Duration::from_secs(900),
            payment_public_url: "http://localhost:2006".into(),
            proof_link_secret: "local-proof-link-secret".into(),
            proof_link_ttl: Duration::from_secs(900),
        }
    }
}

impl OrderSettings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let d = OrderSettings::default();
        let payment_timeout = match config::var("ORDER_PAYMENT_TIMEOUT_SECONDS") {
            Some(_) => config::secs_or("ORDER_PAYMENT_TIMEOUT_SECONDS", 600)?,
            None => match config::var("ORDER_TIME_HOURS") {
                Some(_) => {
                    tracing::warn!(
                        "ORDER_TIME_HOURS is deprecated: set ORDER_PAYMENT_TIMEOUT_SECONDS"
                    );
                    Duration::from_secs(config::parse_or::<u64>("ORDER_TIME_HOURS", 0)? * 3600)
                }
                None => d.payment_timeout,
            },
        };
        let settings = OrderSettings {
            payment_timeout,
            expiry_grace: config::secs_or("ORDER_EXPIRY_GRACE_SECONDS", 30)?,
            sweep_interval: config::secs_or("ORDER_SWEEP_INTERVAL_SECONDS", 5)?,
            sweep_batch: config::parse_or("ORDER_SWEEP_BATCH", 100)?,
            max_payment_rejections: config::parse_or("ORDER_MAX_PAYMENT_REJECTIONS", 3)?,
            shipping: ShippingRates {
                base: decimal_or("SHIPPING_BASE_FEE", d.shipping.base)?,
                rate: decimal_or("SHIPPING_RATE_PER_ZIP_UNIT", d.shipping.rate)?,
                max: decimal_or("SHIPPING_MAX_FEE", d.shipping.max)?,
            },
            checkout_timeout: config::secs_or("CHECKOUT_TIMEOUT_SECONDS", 20)?,
            checkout_lease: config::secs_or("CHECKOUT_LEASE_SECONDS", 30)?,
            checkout_abandon: config::secs_or("CHECKOUT_ABANDON_SECONDS", 900)?,
            payment_public_url: config::string_or("PAYMENT_PUBLIC_URL", &d.payment_public_url),
            proof_link_secret: config::string_or("PROOF_LINK_SECRET", &d.proof_link_secret),
            proof_link_ttl: config::secs_or("PROOF_LINK_TTL_SECONDS", 900)?,
        };
        settings.validate()?;
        Ok(settings)
    }

    /// The ranges of api/order.md §6; `build` checks them too, so tests cannot start a broken service.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let secs = self.payment_timeout.as_secs();
        if !(1..=604_800).contains(&secs) {
            return Err(ConfigError::new(
                "ORDER_PAYMENT_TIMEOUT_SECONDS",
                "must be 1–604800",
            ));
        }
        if self.sweep_interval.is_zero() {
            return Err(ConfigError::new(
                "ORDER_SWEEP_INTERVAL_SECONDS",
                "must be at least 1",
            ));
        }
        if self.sweep_batch < 1 {
            return Err(ConfigError::new("ORDER_SWEEP_BATCH", "must be at least 1"));
        }
        if self.max_payment_rejections < 1 {
            return Err(ConfigError::new(
                "ORDER_MAX_PAYMENT_REJECTIONS",
                "must be at least 1",
            ));
        }
        let s = &self.shipping;
        if s.base < Decimal::ZERO || s.rate < Decimal::ZERO {
            return Err(ConfigError::new(
                "SHIPPING_BASE_FEE",
                "and the rate must be ≥ 0",
            ));
        }
        if s.max < s.base {
            return Err(ConfigError::new(
                "SHIPPING_MAX_FEE",
                "must be ≥ SHIPPING_BASE_FEE",
            ));
        }
        if !(self.checkout_timeout < self.checkout_lease
            && self.checkout_lease < self.checkout_abandon)
        {
            return Err(ConfigError::new(
                "CHECKOUT_LEASE_SECONDS",
                "must lie between CHECKOUT_TIMEOUT_SECONDS and CHECKOUT_ABANDON_SECONDS",
            ));
        }
        if self.proof_link_secret.is_empty() {
            return Err(ConfigError::new("PROOF_LINK_SECRET", "must not be empty"));
        }
        Ok(())
    }
}

fn decimal_or(name: &str, default: Decimal) -> Result<Decimal, ConfigError> {
    config::parse_or(name, default)
}

impl Peers {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Peers {
            product_url: config::string_or("PRODUCT_SERVICE", "http://localhost:2001"),
            warehouse_url: config::string_or("WAREHOUSE_SERVICE", "http://localhost:2005"),
            sales_report_url: config::string_or("SALES_REPORT_SERVICE", "http://localhost:2007"),
            service_token: config::string_or("SERVICE_TOKEN", "local-order-token"),
            timeout: config::millis_or("HTTP_CLIENT_TIMEOUT_MS", 3000)?,
        })
    }
}

/// `DATABASE_URL`, else the old `POSTGRESQL_COMMAND_URL`, else the local default (api/order.md §6);
/// and `DATABASE_MAX_CONNECTIONS`.
pub fn database_from_env() -> Result<(String, u32), ConfigError> {
    let fallback = config::string_or("POSTGRESQL_COMMAND_URL", LOCAL_DATABASE_URL);
    config::database_from_env(&fallback)
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let (database_url, database_max_connections) = database_from_env()?;
        Ok(Config {
            common: CommonSettings::from_env("order", 2004)?,
            auth: AuthSettings::from_env()?,
            database_url,
            database_max_connections,
            internal_tokens: config::string_or("INTERNAL_TOKENS", "payment:local-payment-token"),
            order: OrderSettings::from_env()?,
            peers: Peers::from_env()?,
            outbox: OutboxSettings::from_env()
                .map_err(|e| ConfigError::new("OUTBOX_*", e.to_string()))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_defaults_are_valid() {
        let d = OrderSettings::default();
        assert!(d.validate().is_ok());
        assert_eq!(d.payment_timeout, Duration::from_secs(600));
        assert_eq!(d.shipping.max.to_string(), "250.00");
    }

    #[test]
    fn checkout_bounds_must_grow_from_timeout_to_lease_to_abandon() {
        let bad = OrderSettings {
            checkout_lease: Duration::from_secs(20),
            ..OrderSettings::default()
        };
        assert_eq!(bad.validate().unwrap_err().var, "CHECKOUT_LEASE_SECONDS");
        let bad = OrderSettings {
            payment_timeout: Duration::ZERO,
            ..OrderSettings::default()
        };
        assert_eq!(
            bad.validate().unwrap_err().var,
            "ORDER_PAYMENT_TIMEOUT_SECONDS"
        );
        let bad = OrderSettings {
            max_payment_rejections: 0,
            ..OrderSettings::default()
        };
        assert!(bad.validate().is_err());
    }
}
