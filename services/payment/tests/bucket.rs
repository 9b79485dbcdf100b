//! The proof bucket bootstrap against the S3 emulator (moto at `AWS_ENDPOINT_URL`, default
//! http://localhost:5000): created once, private, encrypted by default (api/payment.md §3, §6 check 2).

use eshop_common::aws::bucket::ensure_private_bucket;

async fn s3() -> aws_sdk_s3::Client {
    let endpoint =
        std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://localhost:5000".into());
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_s3::config::Credentials::new(
            "test", "test", None, None, "tests",
        ))
        .load()
        .await;
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    )
}

#[tokio::test]
async fn proof_bucket_is_created_once_private_and_encrypted() {
    let s3 = s3().await;
    let bucket = format!(
        "t{}-eshop-payment-proofs",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    );
    ensure_private_bucket(&s3, &bucket)
        .await
        .expect("first run creates it");
    ensure_private_bucket(&s3, &bucket)
        .await
        .expect("second run is harmless");

    let buckets = s3.list_buckets().send().await.unwrap();
    assert_eq!(
        buckets
            .buckets()
            .iter()
            .filter(|b| b.name() == Some(bucket.as_str()))
            .count(),
        1
    );
    let block = s3
        .get_public_access_block()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    let block = block.public_access_block_configuration().unwrap();
    assert_eq!(
        (
            block.block_public_acls(),
            block.ignore_public_acls(),
            block.block_public_policy(),
            block.restrict_public_buckets()
        ),
        (Some(true), Some(true), Some(true), Some(true))
    );
    let encryption = s3
        .get_bucket_encryption()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    let rule = &encryption
        .server_side_encryption_configuration()
        .unwrap()
        .rules()[0];
    let algorithm = rule
        .apply_server_side_encryption_by_default()
        .unwrap()
        .sse_algorithm()
        .as_str();
    assert_eq!(algorithm, "AES256");
    assert!(
        s3.get_bucket_policy().bucket(&bucket).send().await.is_err(),
        "no bucket policy grants reads"
    );
}
