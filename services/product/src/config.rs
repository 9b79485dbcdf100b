//! Product service settings (api/product.md §6): the common ones and its AWS stores.

use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::{self, CommonSettings, ConfigError};

use crate::store::bootstrap::StoreNames;

#[derive(Clone, Debug)]
pub struct Config {
    pub common: CommonSettings,
    pub auth: AuthSettings,
    pub aws: AwsSettings,
    pub stores: StoreNames,
    pub internal_tokens: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Config {
            common: CommonSettings::from_env("product", 2001)?,
            auth: AuthSettings::from_env()?,
            aws: AwsSettings::from_env()?,
            stores: StoreNames::from_env(),
            internal_tokens: config::string_or(
                "INTERNAL_TOKENS",
                "cart:local-cart-token,order:local-order-token,warehouse:local-warehouse-token",
            ),
        })
    }
}
