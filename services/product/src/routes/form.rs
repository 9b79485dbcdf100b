//! The bodies of P5 and P6: `multipart/form-data` (compat) or, for P6, `application/json` (new); the image
//! part is read up to `PRODUCT_IMAGE_MAX_BYTES` (contract: api/product.md §2.5, §2.6, §4.3).

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;
use bytes::{Bytes, BytesMut};
use eshop_common::{AppError, Cause};
use serde_json::Value;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::domain::fields::{DESCRIPTION_MAX_CHARS, PRODUCT_NAME_MAX_CHARS, QUANTITY_MAX};
use crate::AppState;

// Also the multipart body's schema of P6 in the OpenAPI document (P5's is `ProductCreateForm`). The rules are
// applied to the trimmed text by the handler.
/// The parts of a product form, raw (other parts are ignored).
#[derive(Debug, Default, ToSchema)]
pub struct ProductForm {
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[schema(nullable = false, min_length = 1, max_length = 10000)]
    pub description: Option<String>,
    /// decimal > 0, <= 9999999999.99, at most 2 decimals
    #[schema(nullable = false)]
    pub price: Option<String>,
    /// integer 0..1000000, default 0 (create only; ignored on update whatever its value)
    #[schema(nullable = false)]
    pub quantity: Option<String>,
    /// a live category
    #[schema(nullable = false, format = Uuid)]
    pub category_id: Option<String>,
    /// JPEG, PNG, WebP or GIF by content (not by name or part type); 1 byte to PRODUCT_IMAGE_MAX_BYTES
    #[schema(value_type = Option<String>, format = Binary, nullable = false)]
    pub image: Option<Bytes>,
}

// The literals of the parts above and of `ProductJsonUpdate`.
const _: () = assert!(
    PRODUCT_NAME_MAX_CHARS == 200 && DESCRIPTION_MAX_CHARS == 10_000 && QUANTITY_MAX == 1_000_000
);

/// The parts P5 requires (`quantity` is optional there; P6 requires none, but at least one change).
pub const CREATE_REQUIRED: [&str; 5] = ["name", "description", "price", "category_id", "image"];

/// P5's multipart body in the OpenAPI document: a [`ProductForm`] with [`CREATE_REQUIRED`] required.
pub struct ProductCreateForm;

impl PartialSchema for ProductCreateForm {
    fn schema() -> RefOr<Schema> {
        let mut form = ProductForm::schema();
        if let RefOr::T(Schema::Object(object)) = &mut form {
            object.required = CREATE_REQUIRED.map(String::from).to_vec();
            object.description =
                Some("The parts of a new product (other parts are ignored).".into());
        }
        form
    }
}

impl ToSchema for ProductCreateForm {
    fn name() -> std::borrow::Cow<'static, str> {
        "ProductCreateForm".into()
    }
}

// P6's JSON body as `from_json` reads it from a `Value`, for the OpenAPI document only (there is no Rust type
// of it to derive on); the tests hold it to `from_json`.
/// P6 as JSON: at least one field; null is the same as absent; quantity and unknown keys are ignored.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ProductJsonUpdate {
    #[schema(min_length = 1, max_length = 200)]
    name: Option<String>,
    #[schema(min_length = 1, max_length = 10000)]
    description: Option<String>,
    /// decimal > 0, <= 9999999999.99, at most 2 decimals; a number or a string
    #[schema(schema_with = json_price)]
    price: Option<String>,
    /// a live category
    #[schema(format = Uuid)]
    category_id: Option<String>,
}

/// `price` of [`ProductJsonUpdate`]: a number or its text.
fn json_price() -> utoipa::openapi::Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([
            Type::Number,
            Type::String,
            Type::Null,
        ]))
        .description(Some(
            "decimal > 0, <= 9999999999.99, at most 2 decimals; a number or a string",
        ))
        .build()
}

impl ProductForm {
    /// Whether any part P6 may change is present (`quantity` is ignored there).
    pub fn changes_something(&self) -> bool {
        self.name.is_some()
            || self.description.is_some()
            || self.price.is_some()
            || self.category_id.is_some()
            || self.image.is_some()
    }
}

fn content_type(req: &Request) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge("request body is too large".into())
    } else {
        AppError::bad_request(format!("malformed multipart body: {}", e.body_text()))
    }
}

/// Reads a multipart form; with `allow_json`, an `application/json` object too. Anything else → 415.
pub async fn read(
    req: Request,
    state: &AppState,
    allow_json: bool,
) -> Result<ProductForm, AppError> {
    let kind = content_type(&req);
    if kind.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(req, state)
            .await
            .map_err(|e| AppError::bad_request(format!("malformed multipart body: {e}")))?;
        read_multipart(multipart, state.snapshot.settings.image_max_bytes).await
    } else if allow_json && kind.starts_with("application/json") {
        // contract: api/product.md §4.3 — JSON bodies stay within 64 KiB even on the upload route.
        let bytes = axum::body::to_bytes(req.into_body(), super::JSON_LIMIT)
            .await
            .map_err(|_| AppError::PayloadTooLarge("request body is too large".into()))?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|_| AppError::bad_request("the body is not valid JSON"))?;
        from_json(value)
    } else {
        let expected = if allow_json {
            "multipart/form-data or application/json"
        } else {
            "multipart/form-data"
        };
        Err(AppError::UnsupportedMediaType(format!(
            "expected a {expected} body"
        )))
    }
}

async fn read_multipart(
    mut multipart: Multipart,
    max_image: usize,
) -> Result<ProductForm, AppError> {
    let mut form = ProductForm::default();
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "image" {
            let mut bytes = BytesMut::new();
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                if bytes.len() + chunk.len() > max_image {
                    return Err(AppError::PayloadTooLarge(format!(
                        "the image is larger than {max_image} bytes"
                    )));
                }
                bytes.extend_from_slice(&chunk);
            }
            form.image = Some(bytes.freeze());
            continue;
        }
        let slot = match name.as_str() {
            "name" => &mut form.name,
            "description" => &mut form.description,
            "price" => &mut form.price,
            "quantity" => &mut form.quantity,
            "category_id" => &mut form.category_id,
            // Other parts are ignored (contract: api/product.md §2.5); still drained.
            _ => {
                while field.chunk().await.map_err(multipart_error)?.is_some() {}
                continue;
            }
        };
        let text = field.text().await.map_err(multipart_error)?;
        *slot = Some(text);
    }
    Ok(form)
}

/// P6 as JSON: strings (price also as a number); `quantity` and unknown keys are ignored.
fn from_json(value: Value) -> Result<ProductForm, AppError> {
    let Value::Object(map) = value else {
        return Err(AppError::bad_request("the body must be a JSON object"));
    };
    let mut causes = Vec::new();
    let mut text = |key: &str, allow_number: bool| -> Option<String> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) if allow_number => Some(n.to_string()),
            Some(_) => {
                causes.push(Cause::new(key, "has the wrong type"));
                None
            }
        }
    };
    let form = ProductForm {
        name: text("name", false),
        description: text("description", false),
        price: text("price", true),
        quantity: None,
        category_id: text("category_id", false),
        image: None,
    };
    if causes.is_empty() {
        Ok(form)
    } else {
        Err(AppError::invalid_fields("invalid fields", causes))
    }
}
