//! P5, P6: product writes by staff-managers (contract: api/product.md §2.5–2.7). Each write is one transaction
//! with its category counters and outbox item; the result is applied to the snapshot before answering.

use axum::extract::{Request, State};
use axum::response::IntoResponse;
use bytes::Bytes;
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{created, updated, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Path;
use eshop_common::openapi::BearerRefused;
use eshop_common::{AppError, Cause};
use uuid::Uuid;

use super::form::{self, ProductCreateForm, ProductForm, ProductJsonUpdate};
use super::{path_id, require_staff_manager};
use crate::domain::image::{detect_image, new_key};
use crate::domain::{fields, ProductRecord, ProductView};
use crate::events;
use crate::store::items::Stamp;
use crate::store::{images, products, StoreError};
use crate::AppState;

/// Optimistic-concurrency attempts of P6–P8 before 409 (contract: api/product.md §2.6).
pub(super) const ATTEMPTS: usize = 3;

/// Applies `rule` to an optional part, collecting the failure under `field`.
fn check<T>(
    causes: &mut Vec<Cause>,
    field: &str,
    raw: Option<&str>,
    rule: impl Fn(&str) -> Result<T, String>,
) -> Option<T> {
    match raw.map(rule) {
        Some(Ok(value)) => Some(value),
        Some(Err(message)) => {
            causes.push(Cause::new(field, message));
            None
        }
        None => None,
    }
}

fn required<T>(causes: &mut Vec<Cause>, field: &str, value: Option<T>, present: bool) -> Option<T> {
    if !present {
        causes.push(Cause::new(field, "is required"));
    }
    value
}

/// An uploaded image ready to store: `(key, content type, bytes)`. Empty → 400 (as a cause); not a
/// JPEG/PNG/WebP/GIF by its bytes → 415.
fn image_part(
    causes: &mut Vec<Cause>,
    image: Option<&Bytes>,
) -> Result<Option<(String, &'static str, Bytes)>, AppError> {
    let Some(bytes) = image else { return Ok(None) };
    if bytes.is_empty() {
        causes.push(Cause::new("image", "must not be empty"));
        return Ok(None);
    }
    let (content_type, ext) = detect_image(bytes).ok_or_else(|| {
        AppError::UnsupportedMediaType("the image must be a JPEG, PNG, WebP or GIF".into())
    })?;
    Ok(Some((new_key(ext), content_type, bytes.clone())))
}

async fn upload(state: &AppState, image: &(String, &'static str, Bytes)) -> Result<(), AppError> {
    images::upload(
        &state.aws.s3,
        &state.names.bucket,
        &image.0,
        image.1,
        image.2.clone(),
    )
    .await
    .map_err(|e| AppError::unavailable("the image store is unavailable", e))
}

/// P5: create a product (admin, warehouse_manager)
///
/// api/product.md §2.5. Multipart only. Validate, upload the image, then one transaction: the product, its
/// category's product_count (if live) and product.created in the outbox.
#[utoipa::path(
    post,
    path = "/v1/products",
    operation_id = "createProduct",
    tag = "products",
    request_body(content = ProductCreateForm, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "created", body = Envelope<ProductView>),
        (status = 400, description = "missing or invalid parts (with causes), an empty image, malformed multipart", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "neither admin nor warehouse_manager", body = ErrorBody),
        (status = 409, description = "a concurrent transaction on the category got there first; try again", body = ErrorBody),
        (status = 413, description = "the image over PRODUCT_IMAGE_MAX_BYTES, or the body over that plus 64 KiB", body = ErrorBody),
        (status = 415, description = "not multipart, or the image is not a JPEG, PNG, WebP or GIF", body = ErrorBody),
        (status = 422, description = "category unknown or deleted", body = ErrorBody),
        (status = 503, description = "the table, the bucket or the token keys unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    req: Request,
) -> Result<impl IntoResponse, AppError> {
    require_staff_manager(&user)?;
    let form = form::read(req, &state, false).await?;
    let mut causes = Vec::new();
    let name = check(
        &mut causes,
        "name",
        form.name.as_deref(),
        fields::product_name,
    );
    let name = required(&mut causes, "name", name, form.name.is_some());
    let description = check(
        &mut causes,
        "description",
        form.description.as_deref(),
        fields::description,
    );
    let description = required(
        &mut causes,
        "description",
        description,
        form.description.is_some(),
    );
    let price = check(&mut causes, "price", form.price.as_deref(), fields::price);
    let price = required(&mut causes, "price", price, form.price.is_some());
    let quantity = check(
        &mut causes,
        "quantity",
        form.quantity.as_deref(),
        fields::quantity,
    );
    let category = check(
        &mut causes,
        "category_id",
        form.category_id.as_deref(),
        fields::uuid,
    );
    let category = required(
        &mut causes,
        "category_id",
        category,
        form.category_id.is_some(),
    );
    let image = required(
        &mut causes,
        "image",
        form.image.as_ref(),
        form.image.is_some(),
    );
    let image = if causes.is_empty() {
        image_part(&mut causes, image)?
    } else {
        None
    };
    let (Some(name), Some(description), Some(price), Some(category), Some(image), true) =
        (name, description, price, category, image, causes.is_empty())
    else {
        return Err(AppError::invalid_fields("invalid product", causes));
    };
    upload(&state, &image).await?;

    let stamp = Stamp::now();
    let base = &state.snapshot.settings.image_base_url;
    let mut product = ProductRecord {
        id: Uuid::now_v7(),
        sku: fields::new_sku(),
        name,
        description,
        price,
        quantity: quantity.unwrap_or(0),
        stock_version: 0,
        category_id: category.to_string(),
        image_key: Some(image.0.clone()),
        image_url: String::new(),
        version: 1,
        created_at: stamp.rfc3339(),
        updated_at: stamp.rfc3339(),
        deleted_at: None,
        changed_at: stamp.millis(),
    };
    product.image_url = product.image_url(base);
    let event = events::created(&product, &product.image_url);
    if let Err(e) = products::create(&state.aws.dynamodb, &state.names, &product, &event).await {
        images::remove_orphan(&state.aws.s3, &state.names.bucket, &image.0).await;
        if e.failed_at(1) {
            return Err(AppError::unprocessable(
                "the category does not exist or was deleted",
            ));
        }
        return Err(e.into());
    }
    state.snapshot.apply_product(product.clone());
    state.snapshot.bump_category(&product.category_id, 1, 0);
    state.relay.wake();
    let view = state
        .snapshot
        .read(|c| product.view(base, c.category_of(&product)));
    Ok(created(view))
}

/// The validated changes of a P6 request.
struct Changes {
    name: Option<String>,
    description: Option<String>,
    price: Option<rust_decimal::Decimal>,
    category: Option<Uuid>,
    image: Option<(String, &'static str, Bytes)>,
}

fn changes(form: &ProductForm) -> Result<Changes, AppError> {
    if !form.changes_something() {
        return Err(AppError::bad_request(
            "nothing to change: send name, description, price, category_id or image",
        ));
    }
    let mut causes = Vec::new();
    let changes = Changes {
        name: check(
            &mut causes,
            "name",
            form.name.as_deref(),
            fields::product_name,
        ),
        description: check(
            &mut causes,
            "description",
            form.description.as_deref(),
            fields::description,
        ),
        price: check(&mut causes, "price", form.price.as_deref(), fields::price),
        category: check(
            &mut causes,
            "category_id",
            form.category_id.as_deref(),
            fields::uuid,
        ),
        image: None,
    };
    if !causes.is_empty() {
        return Err(AppError::invalid_fields("invalid product", causes));
    }
    let image = image_part(&mut causes, form.image.as_ref())?;
    if !causes.is_empty() {
        return Err(AppError::invalid_fields("invalid product", causes));
    }
    Ok(Changes { image, ..changes })
}

/// P6: update (admin, warehouse_manager); multipart (compat) or JSON; quantity ignored
///
/// api/product.md §2.6. Every part optional (absent keeps the stored value), at least one; the category can
/// change; a new image replaces the key (the old object is kept). Optimistic concurrency: 3 attempts.
#[utoipa::path(
    put,
    path = "/v1/products/{id}",
    operation_id = "updateProduct",
    tag = "products",
    params(("id" = String, Path, description = "UUID; anything else answers 404")),
    request_body(content(
        (ProductForm = "multipart/form-data"),
        (ProductJsonUpdate = "application/json"),
    )),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "updated", body = Envelope<ProductView>),
        (status = 400, description = "nothing to change, invalid fields (with causes), an empty image, malformed multipart or JSON", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "neither admin nor warehouse_manager", body = ErrorBody),
        (status = 404, description = "unknown, deleted or not a UUID", body = ErrorBody),
        (status = 409, description = "a version clash after 3 attempts", body = ErrorBody),
        (status = 413, description = "the image or the body too large (JSON: 64 KiB)", body = ErrorBody),
        (status = 415, description = "neither multipart nor JSON, or the image is not a JPEG, PNG, WebP or GIF", body = ErrorBody),
        (status = 422, description = "the new category unknown or deleted", body = ErrorBody),
        (status = 503, description = "the table, the bucket or the token keys unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    req: Request,
) -> Result<impl IntoResponse, AppError> {
    require_staff_manager(&user)?;
    let id = path_id(&id)?;
    let form = form::read(req, &state, true).await?;
    let changes = changes(&form)?;
    if let Some(image) = &changes.image {
        upload(&state, image).await?;
    }
    let result = apply_update(&state, id, &changes).await;
    if let (Err(_), Some(image)) = (&result, &changes.image) {
        images::remove_orphan(&state.aws.s3, &state.names.bucket, &image.0).await;
    }
    let product = result?;
    let base = &state.snapshot.settings.image_base_url;
    let view = state
        .snapshot
        .read(|c| product.view(base, c.category_of(&product)));
    Ok(updated(view))
}

/// The read-modify-write loop of P6: condition `version = :read_version`, up to [`ATTEMPTS`] times.
async fn apply_update(
    state: &AppState,
    id: Uuid,
    changes: &Changes,
) -> Result<ProductRecord, AppError> {
    let base = &state.snapshot.settings.image_base_url;
    for _ in 0..ATTEMPTS {
        let before = live_product(state, id).await?;
        let stamp = Stamp::now();
        let mut after = before.clone();
        after.name = changes.name.clone().unwrap_or(after.name);
        after.description = changes.description.clone().unwrap_or(after.description);
        after.price = changes.price.unwrap_or(after.price);
        if let Some(category) = changes.category {
            after.category_id = category.to_string();
        }
        if let Some(image) = &changes.image {
            after.image_key = Some(image.0.clone());
            after.image_url = after.image_url(base);
        }
        after.version = before.version + 1;
        after.updated_at = stamp.rfc3339();
        after.changed_at = stamp.millis();
        let event = events::updated(&after, &after.image_url(base));
        match products::update(&state.aws.dynamodb, &state.names, &before, &after, &event).await {
            Ok(()) => {
                if before.category_id != after.category_id {
                    state.snapshot.bump_category(&before.category_id, -1, 0);
                    state.snapshot.bump_category(&after.category_id, 1, 0);
                }
                state.snapshot.apply_product(after.clone());
                state.relay.wake();
                return Ok(after);
            }
            Err(e) if e.failed_at(0) || is_conflict(&e) => continue,
            Err(e) if before.category_id != after.category_id && e.failed_at(2) => {
                return Err(AppError::unprocessable(
                    "the category does not exist or was deleted",
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::conflict(
        "the product was changed concurrently; try again",
    ))
}

pub(super) fn is_conflict(e: &StoreError) -> bool {
    matches!(e, StoreError::Cancelled(codes) if codes.iter().flatten().any(|c| c == "TransactionConflict"))
}

/// The authoritative item (consistent read); unknown or deleted → 404.
pub(super) async fn live_product(state: &AppState, id: Uuid) -> Result<ProductRecord, AppError> {
    products::get(&state.aws.dynamodb, &state.names.products_table, id)
        .await?
        .filter(|p| p.is_live())
        .ok_or_else(|| AppError::not_found("product not found"))
}
