//! Demo images: checked by content and uploaded once to the private bucket (contract: api/product.md §4.3).

use std::path::Path;

use anyhow::{anyhow, ensure, Context};
use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::primitives::ByteStream;

use super::catalogue::image_key_extension;

/// contract: api/product.md §4.3 — objects are immutable, so browsers and CDNs may keep them for a year.
pub const IMAGE_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// Content type and extension decided by magic bytes, never by the file name.
pub fn detect_image(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(("image/jpeg", "jpg")),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(("image/png", "png")),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(("image/gif", "gif")),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => {
            Some(("image/webp", "webp"))
        }
        _ => None,
    }
}

/// Uploads `file` as `key` unless the object is already there. The key's extension must match the detected
/// type, since the warehouse's copy of the product carries the same URL.
pub async fn ensure_image(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    file: &Path,
) -> anyhow::Result<()> {
    match s3.head_object().bucket(bucket).key(key).send().await {
        Ok(_) => return Ok(()),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => {}
        Err(e) => return Err(anyhow!("HeadObject {key}: {}", DisplayErrorContext(e))),
    }
    let bytes = std::fs::read(file).with_context(|| format!("read image {}", file.display()))?;
    let (content_type, ext) = detect_image(&bytes)
        .with_context(|| format!("{} is not a JPEG, PNG, WebP or GIF", file.display()))?;
    ensure!(
        image_key_extension(key) == Some(ext),
        "{} holds {content_type}, but its image_key is {key}",
        file.display()
    );
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .content_type(content_type)
        .cache_control(IMAGE_CACHE_CONTROL)
        .body(ByteStream::from(bytes))
        .send()
        .await
        .map_err(|e| anyhow!("PutObject {key}: {}", DisplayErrorContext(e)))?;
    tracing::info!(key, "image uploaded");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(
            detect_image(b"\x89PNG\r\n\x1a\nrest"),
            Some(("image/png", "png"))
        );
        assert_eq!(
            detect_image(b"\xff\xd8\xff\xe0"),
            Some(("image/jpeg", "jpg"))
        );
        assert_eq!(
            detect_image(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(("image/webp", "webp"))
        );
        assert_eq!(detect_image(b"GIF89a"), Some(("image/gif", "gif")));
        assert_eq!(
            detect_image(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
    }
}
