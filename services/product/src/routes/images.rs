//! I1 `GET /images/product/{file}` (contract: api/product.md §2.9): the local image proxy, because the
//! emulator refuses unsigned GETs on the private bucket. Only mounted with `PRODUCT_IMAGE_PROXY=true`.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use eshop_common::extract::Path;
use eshop_common::AppError;

use crate::domain::image::{content_type_of, is_servable_file, IMAGE_CACHE_CONTROL};
use crate::store::images;
use crate::AppState;

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
