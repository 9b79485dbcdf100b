//! Image rules (contract: api/product.md §2.9, §4.3): content type by magic bytes, the object key, and
//! which file names the local proxy serves.

use uuid::Uuid;

pub use crate::seed::{detect_image, IMAGE_CACHE_CONTROL};

/// `product/<uuid v4>.<ext>` for a newly uploaded image of extension `ext`.
pub fn new_key(ext: &str) -> String {
    format!("product/{}.{ext}", Uuid::new_v4())
}

/// `^[0-9a-f-]{36}\.(jpg|png|webp|gif)$`: the only names I1 serves.
pub fn is_servable_file(file: &str) -> bool {
    let Some((stem, ext)) = file.split_once('.') else {
        return false;
    };
    stem.len() == 36
        && stem
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b'-')
        && matches!(ext, "jpg" | "png" | "webp" | "gif")
}

/// The content type of a served key, from its extension (objects are stored with it too).
pub fn content_type_of(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("jpg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_uuid_image_names_are_servable() {
        assert!(is_servable_file("2e939f89-e0bd-4352-8f8d-c479f564e7e7.png"));
        assert!(!is_servable_file("../../etc/passwd"));
        assert!(!is_servable_file(
            "2e939f89-e0bd-4352-8f8d-c479f564e7e7.svg"
        ));
        assert!(!is_servable_file(
            "2E939F89-E0BD-4352-8F8D-C479F564E7E7.png"
        ));
        assert!(!is_servable_file("..%2f...png"));
        let key = new_key("gif");
        assert!(is_servable_file(key.strip_prefix("product/").unwrap()));
    }
}
