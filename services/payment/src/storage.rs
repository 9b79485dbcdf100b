//! The private proof bucket (contract: api/payment.md §2.1 step 4, §3 "S3"): objects written with their
//! detected type, AES256 and their SHA-256; presigned GET URLs signed afresh for every answer.

use std::time::Duration;

use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ServerSideEncryption;
use chrono::{DateTime, Utc};

/// A presigned GET URL and when it stops working.
#[derive(Debug, Clone)]
pub struct SignedUrl {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// The bucket, the client that writes to it and the one that signs URLs for browsers.
#[derive(Clone)]
pub struct ProofStore {
    pub s3: aws_sdk_s3::Client,
    /// Same credentials; endpoint `S3_PRESIGN_ENDPOINT` when set (a host browsers can reach).
    pub presigner: aws_sdk_s3::Client,
    pub bucket: std::sync::Arc<str>,
    pub url_ttl: Duration,
}

/// `payments/{orderId}/{paymentId}.{ext}` (§3).
pub fn object_key(order_id: uuid::Uuid, payment_id: uuid::Uuid, extension: &str) -> String {
    format!("payments/{order_id}/{payment_id}.{extension}")
}

impl ProofStore {
    /// PutObject; the SDK's error text goes to the log only.
    pub async fn put(
        &self,
        key: &str,
        bytes: bytes::Bytes,
        content_type: &str,
        sha256: &str,
    ) -> Result<(), String> {
        self.s3
            .put_object()
            .bucket(&*self.bucket)
            .key(key)
            .content_type(content_type)
            .server_side_encryption(ServerSideEncryption::Aes256)
            .metadata("sha256", sha256)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| DisplayErrorContext(e).to_string())
    }

    /// Best effort: a failed delete is logged, never answered (§2.1 step 5).
    pub async fn delete(&self, key: &str) {
        if let Err(e) = self
            .s3
            .delete_object()
            .bucket(&*self.bucket)
            .key(key)
            .send()
            .await
        {
            tracing::error!(key, error = %DisplayErrorContext(e), "deleting an orphan proof object failed");
        }
    }

    /// A GET URL valid `url_ttl`, serving the object inline with its type (§2 "The payment object").
    pub async fn presign(&self, key: &str, content_type: &str) -> Result<SignedUrl, String> {
        let config = PresigningConfig::expires_in(self.url_ttl).map_err(|e| e.to_string())?;
        let now = Utc::now();
        let request = self
            .presigner
            .get_object()
            .bucket(&*self.bucket)
            .key(key)
            .response_content_type(content_type)
            .response_content_disposition("inline")
            .presigned(config)
            .await
            .map_err(|e| DisplayErrorContext(e).to_string())?;
        let ttl = chrono::Duration::from_std(self.url_ttl).unwrap_or_default();
        Ok(SignedUrl {
            url: request.uri().to_string(),
            expires_at: now + ttl,
        })
    }

    /// HeadBucket, for `/ready`.
    pub async fn reachable(&self) -> bool {
        self.s3
            .head_bucket()
            .bucket(&*self.bucket)
            .send()
            .await
            .is_ok()
    }
}
