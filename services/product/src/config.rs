//! Product service settings (api/product.md §6): the common ones, its AWS stores, the catalogue snapshot,
//! images, and the outbox relay with its subscribers.

use std::time::Duration;

use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::{self, CommonSettings, ConfigError};
use eshop_common::outbox::OutboxSettings;

use crate::store::bootstrap::StoreNames;

#[derive(Clone, Debug)]
pub struct Config {
    pub common: CommonSettings,
    pub auth: AuthSettings,
    pub aws: AwsSettings,
    pub stores: StoreNames,
    pub internal_tokens: String,
    pub catalogue: CatalogueSettings,
    pub relay: RelaySettings,
}

/// Images and the in-process snapshot (contract: api/product.md §4.3, §4.5, §6).
#[derive(Clone, Debug)]
pub struct CatalogueSettings {
    /// `PRODUCT_IMAGE_BASE_URL`, without a trailing slash.
    pub image_base_url: String,
    /// `PRODUCT_IMAGE_PROXY`: serve `/images/product/{file}` (I1).
    pub image_proxy: bool,
    /// `PRODUCT_IMAGE_MAX_BYTES`.
    pub image_max_bytes: usize,
    /// `PRODUCT_CACHE_TTL_SECONDS`: incremental refresh period; 2 × TTL is the staleness bound.
    pub cache_ttl: Duration,
    /// `PRODUCT_CACHE_FULL_SCAN_SECONDS`.
    pub full_scan: Duration,
    /// `PRODUCT_COMPAT_MAX`: P1 compat mode cap.
    pub compat_max: usize,
}

impl Default for CatalogueSettings {
    fn default() -> Self {
        CatalogueSettings {
            image_base_url: "http://localhost:2001/images".into(),
            image_proxy: true,
            image_max_bytes: 5 * 1024 * 1024,
            cache_ttl: Duration::from_secs(15),
            full_scan: Duration::from_secs(3600),
            compat_max: 2000,
        }
    }
}

impl CatalogueSettings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let d = CatalogueSettings::default();
        let ttl: u64 = config::parse_or("PRODUCT_CACHE_TTL_SECONDS", d.cache_ttl.as_secs())?;
        if ttl == 0 {
            return Err(ConfigError::new(
                "PRODUCT_CACHE_TTL_SECONDS",
                "must be at least 1",
            ));
        }
        Ok(CatalogueSettings {
            image_base_url: config::string_or("PRODUCT_IMAGE_BASE_URL", &d.image_base_url)
                .trim_end_matches('/')
                .to_string(),
            image_proxy: config::bool_or("PRODUCT_IMAGE_PROXY", d.image_proxy)?,
            image_max_bytes: config::parse_or("PRODUCT_IMAGE_MAX_BYTES", d.image_max_bytes)?,
            cache_ttl: Duration::from_secs(ttl),
            full_scan: config::secs_or("PRODUCT_CACHE_FULL_SCAN_SECONDS", d.full_scan.as_secs())?,
            compat_max: config::parse_or("PRODUCT_COMPAT_MAX", d.compat_max)?,
        })
    }
}

/// Where product events go and how (contract: api/product.md §4.4, §6).
#[derive(Clone, Debug)]
pub struct RelaySettings {
    pub outbox: OutboxSettings,
    /// `CART_SERVICE`.
    pub cart_url: String,
    /// `WAREHOUSE_SERVICE`.
    pub warehouse_url: String,
    /// `SERVICE_TOKEN`: this service's credential on the subscribers' `/internal/events`.
    pub service_token: String,
}

impl Default for RelaySettings {
    fn default() -> Self {
        RelaySettings {
            outbox: OutboxSettings::default(),
            cart_url: "http://localhost:2002".into(),
            warehouse_url: "http://localhost:2005".into(),
            service_token: "local-product-token".into(),
        }
    }
}

impl RelaySettings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let d = RelaySettings::default();
        let outbox = OutboxSettings::from_env().map_err(|e| match e {
            eshop_common::outbox::SettingsError::Invalid { name, .. } => {
                ConfigError::new(name, e.to_string())
            }
        })?;
        Ok(RelaySettings {
            outbox,
            cart_url: config::string_or("CART_SERVICE", &d.cart_url),
            warehouse_url: config::string_or("WAREHOUSE_SERVICE", &d.warehouse_url),
            service_token: config::string_or("SERVICE_TOKEN", &d.service_token),
        })
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut aws = AwsSettings::from_env()?;
        // contract: api/product.md §6 — the local stack is the default: path-style S3 and bootstrap on.
        aws.force_path_style = config::bool_or("AWS_S3_FORCE_PATH_STYLE", true)?;
        aws.bootstrap = config::bool_or("AWS_BOOTSTRAP", true)?;
        Ok(Config {
            common: CommonSettings::from_env("product", 2001)?,
            auth: AuthSettings::from_env()?,
            aws,
            stores: StoreNames::from_env(),
            internal_tokens: config::string_or(
                "INTERNAL_TOKENS",
                "cart:local-cart-token,order:local-order-token,warehouse:local-warehouse-token",
            ),
            catalogue: CatalogueSettings::from_env()?,
            relay: RelaySettings::from_env()?,
        })
    }
}
