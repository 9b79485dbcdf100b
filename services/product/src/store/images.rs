//! Product images in the private bucket (contract: api/product.md §4.3): upload with the detected type and
//! an immutable `Cache-Control`, best-effort removal of an orphan, and reads for the local proxy (I1).

use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;
use bytes::Bytes;

use crate::domain::image::IMAGE_CACHE_CONTROL;

/// Stores `bytes` as `key` with `content_type`.
pub async fn upload(
    s3: &Client,
    bucket: &str,
    key: &str,
    content_type: &str,
    bytes: Bytes,
) -> Result<(), String> {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .content_type(content_type)
        .cache_control(IMAGE_CACHE_CONTROL)
        .body(ByteStream::from(bytes))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| DisplayErrorContext(e).to_string())
}

/// Deletes the orphan of a failed create or update; failures are only logged.
pub async fn remove_orphan(s3: &Client, bucket: &str, key: &str) {
    if let Err(e) = s3.delete_object().bucket(bucket).key(key).send().await {
        tracing::warn!(key, error = %DisplayErrorContext(e), "orphan image not removed");
    }
}

/// An object and its stored content type; `Ok(None)` when it does not exist.
pub async fn fetch(
    s3: &Client,
    bucket: &str,
    key: &str,
) -> Result<Option<(Bytes, Option<String>)>, String> {
    match s3.get_object().bucket(bucket).key(key).send().await {
        Ok(out) => {
            let content_type = out.content_type().map(str::to_string);
            let bytes = out
                .body
                .collect()
                .await
                .map_err(|e| e.to_string())?
                .into_bytes();
            Ok(Some((bytes, content_type)))
        }
        Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
        Err(e) => Err(DisplayErrorContext(e).to_string()),
    }
}
