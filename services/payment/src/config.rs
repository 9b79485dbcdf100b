//! Payment service settings (api/payment.md §5): the common ones, MySQL, the private proof bucket, the order
//! service, proof links and uploads, and the outbox relay.

use std::time::Duration;

use eshop_common::auth::AuthSettings;
use eshop_common::aws::AwsSettings;
use eshop_common::config::{self, CommonSettings, ConfigError};
use eshop_common::outbox::OutboxSettings;
use secrecy::SecretString;

/// `DATABASE_URL` on the local stack.
pub const LOCAL_DATABASE_URL: &str = "mysql://admin:password@localhost:3306/payments";

/// `PAYMENT_MAX_UPLOAD_BYTES` default: 5 MiB.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;

/// `PAYMENT_PROOF_URL_TTL_SECONDS` bounds: SigV4 allows at most seven days.
pub const MAX_PROOF_URL_TTL_SECS: u64 = 604_800;

#[derive(Clone, Debug)]
pub struct Config {
    pub common: CommonSettings,
    pub auth: AuthSettings,
    pub aws: AwsSettings,
    pub database_url: String,
    pub database_max_connections: u32,
    /// `S3_BUCKET_NAME`.
    pub bucket: String,
    /// `S3_PRESIGN_ENDPOINT`: the host put in presigned URLs; `None` = the S3 endpoint.
    pub presign_endpoint: Option<String>,
    /// `ORDER_SERVICE`: the order service's base URL (eligibility and events).
    pub order_service: String,
    /// `SERVICE_TOKEN`: sent as `X-Service-Token` to the order service.
    pub service_token: SecretString,
    /// `PROOF_LINK_SECRET`: the HMAC key of signed proof links (§2.5).
    pub proof_link_secret: SecretString,
    /// `PAYMENT_MAX_UPLOAD_BYTES`.
    pub max_upload_bytes: usize,
    /// `PAYMENT_PROOF_URL_TTL_SECONDS`.
    pub proof_url_ttl: Duration,
    pub outbox: OutboxSettings,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let (database_url, database_max_connections) =
            config::database_from_env(LOCAL_DATABASE_URL)?;
        let outbox = OutboxSettings::from_env().map_err(|e| match e {
            eshop_common::outbox::SettingsError::Invalid { name, .. } => {
                ConfigError::new(name, "has an invalid value")
            }
        })?;
        Ok(Config {
            common: CommonSettings::from_env("payment", 2006)?,
            auth: AuthSettings::from_env()?,
            aws: AwsSettings::from_env()?,
            database_url,
            database_max_connections,
            bucket: config::string_or("S3_BUCKET_NAME", "eshop-payment-proofs"),
            presign_endpoint: config::var("S3_PRESIGN_ENDPOINT"),
            order_service: config::string_or("ORDER_SERVICE", "http://localhost:2004"),
            service_token: config::string_or("SERVICE_TOKEN", "local-payment-token").into(),
            proof_link_secret: config::string_or("PROOF_LINK_SECRET", "local-proof-link-secret")
                .into(),
            max_upload_bytes: max_upload_bytes(config::parse_or(
                "PAYMENT_MAX_UPLOAD_BYTES",
                DEFAULT_MAX_UPLOAD_BYTES,
            )?)?,
            proof_url_ttl: proof_url_ttl(config::parse_or("PAYMENT_PROOF_URL_TTL_SECONDS", 900)?)?,
            outbox,
        })
    }
}

/// At least one byte (an empty proof is refused anyway) and below 4 GiB (`size_bytes` is `INT UNSIGNED`).
pub fn max_upload_bytes(value: usize) -> Result<usize, ConfigError> {
    if value == 0 || value > u32::MAX as usize {
        return Err(ConfigError::new(
            "PAYMENT_MAX_UPLOAD_BYTES",
            "must be from 1 to 4294967295",
        ));
    }
    Ok(value)
}

/// api/payment.md §5: 1..=604800 seconds, else start-up fails.
pub fn proof_url_ttl(secs: u64) -> Result<Duration, ConfigError> {
    if !(1..=MAX_PROOF_URL_TTL_SECS).contains(&secs) {
        return Err(ConfigError::new(
            "PAYMENT_PROOF_URL_TTL_SECONDS",
            "must be from 1 to 604800",
        ));
    }
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_url_ttl_outside_the_sigv4_range_is_refused() {
        assert!(proof_url_ttl(0).is_err());
        assert!(proof_url_ttl(604_801).is_err());
        assert_eq!(proof_url_ttl(1).unwrap(), Duration::from_secs(1));
        assert_eq!(proof_url_ttl(604_800).unwrap().as_secs(), 604_800);
    }

    #[test]
    fn an_empty_upload_limit_is_refused() {
        assert!(max_upload_bytes(0).is_err());
        assert_eq!(max_upload_bytes(5).unwrap(), 5);
    }
}
