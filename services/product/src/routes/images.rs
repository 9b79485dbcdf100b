//! I1 `GET /images/product/{file}` (contract: api/product.md §2.9): the local image proxy, because the
//! emulator refuses unsigned GETs on the private bucket. Only mounted with `PRODUCT_IMAGE_PROXY=true`.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Path;
use eshop_common::AppError;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;

use crate::domain::image::{content_type_of, is_servable_file, IMAGE_CACHE_CONTROL};
use crate::store::images;
use crate::AppState;

/// I1's answer in the OpenAPI document: the object's bytes (sent as they are, not JSON).
pub struct ImageBytes;

impl utoipa::PartialSchema for ImageBytes {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for ImageBytes {}

/// I1: local image proxy (only when PRODUCT_IMAGE_PROXY=true)
///
/// api/product.md §2.9. Streams object product/{file} of the bucket; the route is absent with
/// PRODUCT_IMAGE_PROXY=false.
#[utoipa::path(
    get,
    path = "/images/product/{file}",
    operation_id = "productImage",
    tag = "images",
    params(("file" = String, Path, pattern = r"^[0-9a-f-]{36}\.(jpg|png|webp|gif)$", description = "an image key's file name; any other name answers 404")),
    responses(
        (status = 200, description = "the image bytes with their stored Content-Type, immutable Cache-Control and nosniff",
            content_type = "image/*", body = inline(ImageBytes),
            headers(("Cache-Control" = String), ("X-Content-Type-Options" = String))),
        (status = 404, description = "a name that is not an image key, or no such object", body = ErrorBody),
        (status = 503, description = "the bucket unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn serve(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    if !is_servable_file(&file) {
        return Err(AppError::not_found("image not found"));
    }
    let key = format!("product/{file}");
    let (bytes, stored_type) = images::fetch(&state.aws.s3, &state.names.bucket, &key)
        .await
        .map_err(|e| AppError::unavailable("the image store is unavailable", e))?
        .ok_or_else(|| AppError::not_found("image not found"))?;
    let content_type = stored_type
        .filter(|t| t.starts_with("image/"))
        .unwrap_or_else(|| content_type_of(&file).to_string());
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(IMAGE_CACHE_CONTROL),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}
