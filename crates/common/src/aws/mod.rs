//! AWS SDK configuration shared by auth, product and payment: region, the optional endpoint override (the
//! emulator locally, unset in AWS) and the standard credential chain (IRSA / Workload Identity in k8s).

#[cfg(feature = "s3")]
pub mod bucket;

use std::time::Duration;

use crate::config::{self, ConfigError};

/// `AWS_REGION` (default `us-east-1`) and `AWS_ENDPOINT_URL` (unset in production).
#[derive(Clone, Debug)]
pub struct AwsSettings {
    pub region: String,
    pub endpoint: Option<String>,
    pub force_path_style: bool,
    /// Create missing tables and buckets at start (`AWS_BOOTSTRAP`, local only).
    pub bootstrap: bool,
    pub timeout: Duration,
}

impl AwsSettings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(AwsSettings {
            region: config::string_or("AWS_REGION", "us-east-1"),
            endpoint: config::var("AWS_ENDPOINT_URL"),
            force_path_style: config::bool_or("AWS_S3_FORCE_PATH_STYLE", false)?,
            bootstrap: config::bool_or("AWS_BOOTSTRAP", false)?,
            timeout: config::millis_or("AWS_TIMEOUT_MS", 5000)?,
        })
    }

    /// The SDK configuration: region, endpoint override, per-operation timeout, default credentials.
    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        let timeouts = aws_config::timeout::TimeoutConfig::builder()
            .operation_timeout(self.timeout)
            .connect_timeout(Duration::from_secs(2))
            .build();
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(self.region.clone()))
            .timeout_config(timeouts);
        if let Some(endpoint) = &self.endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        loader.load().await
    }
}
