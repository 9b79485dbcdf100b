//! Reading the upload's multipart body (contract: api/payment.md §2.1 step 1): parts `orderId` (alias
//! `order_id`), `image`, `note`; the file streamed with a hard size limit and typed by its magic bytes.

use axum::extract::multipart::{Field, MultipartError};
use axum::extract::Multipart;
use bytes::{Bytes, BytesMut};
use eshop_common::{AppError, Cause};
use uuid::Uuid;

use crate::domain::ProofType;

/// `note` at most this many characters after trimming.
pub const NOTE_MAX_CHARS: usize = 255;
/// A text part longer than this is refused without reading it all.
const TEXT_PART_MAX_BYTES: usize = 4 * 1024;

// Also the multipart body's schema in the OpenAPI document, where `super::OrderIdAlias` adds the `order_id`
// part.
/// The upload's parts (a valid form once read).
#[derive(Debug, utoipa::ToSchema)]
#[schema(rename_all = "camelCase")]
pub struct UploadForm {
    /// required; order_id is accepted as an alias (one of the two, not both)
    #[schema(required = false)]
    pub order_id: Uuid,
    #[schema(required = false, max_length = 255)]
    pub note: String,
    /// 1 byte to PAYMENT_MAX_UPLOAD_BYTES (default 5 MiB)
    #[schema(value_type = String, format = Binary)]
    pub image: Bytes,
    /// Detected, not sent.
    #[schema(ignore)]
    pub kind: ProofType,
}

// The literal of `note` above.
const _: () = assert!(NOTE_MAX_CHARS == 255);

fn malformed(err: MultipartError) -> AppError {
    if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge("the request body is too large".into())
    } else {
        AppError::bad_request("the multipart body is malformed")
    }
}

/// The part's bytes, refusing (413) once it exceeds `max`.
async fn read_limited(
    field: &mut Field<'_>,
    max: usize,
    too_large: AppError,
) -> Result<Bytes, AppError> {
    let mut buf = BytesMut::new();
    while let Some(chunk) = field.chunk().await.map_err(malformed)? {
        if buf.len() + chunk.len() > max {
            return Err(too_large);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// A text part as UTF-8, at most [`TEXT_PART_MAX_BYTES`].
async fn read_text(field: &mut Field<'_>, name: &str) -> Result<Result<String, Cause>, AppError> {
    let mut buf = BytesMut::new();
    while let Some(chunk) = field.chunk().await.map_err(malformed)? {
        if buf.len() + chunk.len() > TEXT_PART_MAX_BYTES {
            // Drain the rest so the error names the field, not the stream.
            while field.chunk().await.map_err(malformed)?.is_some() {}
            return Ok(Err(Cause::new(name, "is too long")));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8(buf.to_vec()).map_err(|_| Cause::new(name, "must be UTF-8 text")))
}

/// Reads every part, then validates: 400 with causes for missing, duplicate or invalid parts, 413 for a file
/// over `max_file_bytes`, 415 for a file of another type.
pub async fn read(mut multipart: Multipart, max_file_bytes: usize) -> Result<UploadForm, AppError> {
    let mut causes = Vec::new();
    let mut order_ids: Vec<(String, String)> = Vec::new();
    let mut images: Vec<Bytes> = Vec::new();
    let mut note: Option<String> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "orderId" | "order_id" => match read_text(&mut field, &name).await? {
                Ok(text) => order_ids.push((name, text)),
                Err(cause) => causes.push(cause),
            },
            "image" => {
                let too_large = AppError::PayloadTooLarge(format!(
                    "the file is larger than {max_file_bytes} bytes"
                ));
                images.push(read_limited(&mut field, max_file_bytes, too_large).await?);
            }
            "note" => {
                if note.is_some() {
                    causes.push(Cause::new("note", "must be sent once"));
                }
                match read_text(&mut field, "note").await? {
                    Ok(text) => note = Some(text),
                    Err(cause) => causes.push(cause),
                }
            }
            // Unknown parts are ignored (§2.1).
            _ => {}
        }
    }
    let order_id = match order_ids.as_slice() {
        [] => {
            causes.push(Cause::new("orderId", "is required"));
            None
        }
        [(name, text)] => match Uuid::parse_str(text.trim()) {
            Ok(id) => Some(id),
            Err(_) => {
                causes.push(Cause::new(name.as_str(), "must be a UUID"));
                None
            }
        },
        _ => {
            causes.push(Cause::new(
                "orderId",
                "send exactly one of orderId and order_id",
            ));
            None
        }
    };
    let note = note.unwrap_or_default().trim().to_string();
    if note.chars().count() > NOTE_MAX_CHARS {
        causes.push(Cause::new("note", "must be at most 255 characters"));
    }
    let image = match images.len() {
        0 => {
            causes.push(Cause::new("image", "is required"));
            None
        }
        1 if images[0].is_empty() => {
            causes.push(Cause::new("image", "must not be empty"));
            None
        }
        1 => images.pop(),
        _ => {
            causes.push(Cause::new("image", "must be sent once"));
            None
        }
    };
    let (Some(order_id), Some(image), true) = (order_id, image, causes.is_empty()) else {
        return Err(AppError::invalid_fields("invalid upload", causes));
    };
    let kind = ProofType::detect(&image).ok_or_else(|| {
        AppError::UnsupportedMediaType("the file must be a JPEG, PNG, WebP or PDF document".into())
    })?;
    Ok(UploadForm {
        order_id,
        note,
        image,
        kind,
    })
}
