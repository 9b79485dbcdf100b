//! Private S3 buckets, created at start when `AWS_BOOTSTRAP=true` (local stack) and idempotent.

use anyhow::{anyhow, bail};
use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::types::{
    BucketLocationConstraint, CreateBucketConfiguration, PublicAccessBlockConfiguration,
    ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
    ServerSideEncryptionRule,
};
use aws_sdk_s3::Client;

/// Creates `bucket` when missing, then (again on every run, so a drifted bucket converges) blocks all public
/// access and sets AES256 default encryption. No bucket policy is written: nothing may grant reads.
/// Product images (api/product.md §4.3) and payment proofs (api/payment.md §5) both live in such a bucket.
pub async fn ensure_private_bucket(s3: &Client, bucket: &str) -> anyhow::Result<()> {
    if s3.head_bucket().bucket(bucket).send().await.is_err() {
        let region = s3
            .config()
            .region()
            .map(|r| r.as_ref().to_owned())
            .unwrap_or_default();
        let mut create = s3.create_bucket().bucket(bucket);
        // us-east-1 takes no location constraint; every other region needs one.
        if !region.is_empty() && region != "us-east-1" {
            create = create.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(region.as_str()))
                    .build(),
            );
        }
        match create.send().await {
            Ok(_) => tracing::info!(bucket, "bucket created"),
            // A concurrent start created it first.
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_bucket_already_owned_by_you()) => {}
            Err(e) => bail!("CreateBucket {bucket}: {}", DisplayErrorContext(e)),
        }
    }
    s3.put_public_access_block()
        .bucket(bucket)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .map_err(|e| anyhow!("PutPublicAccessBlock {bucket}: {}", DisplayErrorContext(e)))?;
    // Default encryption covers every object, whatever its writer asked for.
    let by_default = ServerSideEncryptionByDefault::builder()
        .sse_algorithm(ServerSideEncryption::Aes256)
        .build()?;
    let encryption = ServerSideEncryptionConfiguration::builder()
        .rules(
            ServerSideEncryptionRule::builder()
                .apply_server_side_encryption_by_default(by_default)
                .build(),
        )
        .build()?;
    s3.put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(encryption)
        .send()
        .await
        .map_err(|e| anyhow!("PutBucketEncryption {bucket}: {}", DisplayErrorContext(e)))?;
    Ok(())
}
