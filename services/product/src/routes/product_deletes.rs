//! P7, P8: soft deletes by staff-managers (contract: api/product.md §2.7): one transaction sets `deleted_at`,
//! moves the category counter and writes `product.deleted`; unknown or already deleted products are 404.

use axum::extract::State;
use axum::response::IntoResponse;
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{deleted, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Path;
use eshop_common::openapi::{BearerRefused, Null};
use eshop_common::AppError;
use uuid::Uuid;

use super::product_writes::{is_conflict, live_product, ATTEMPTS};
use super::{path_id, require_staff_manager};
use crate::events;
use crate::store::items::Stamp;
use crate::store::products;
use crate::AppState;

/// P8: soft delete (admin, warehouse_manager)
///
/// api/product.md §2.7. One transaction: deleted_at, version + 1, the category's product_count - 1 and
/// product.deleted in the outbox. The image object is kept.
#[utoipa::path(
    delete,
    path = "/v1/products/{id}",
    operation_id = "deleteProduct",
    tag = "products",
    params(("id" = String, Path, description = "UUID; anything else answers 404")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "deleted (data null, message success delete)", body = Envelope<Null>),
        BearerRefused,
        (status = 403, description = "neither admin nor warehouse_manager", body = ErrorBody),
        (status = 404, description = "unknown, already deleted or not a UUID", body = ErrorBody),
        (status = 409, description = "a version clash after 3 attempts", body = ErrorBody),
        (status = 503, description = "the table or the token keys unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn remove(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    require_staff_manager(&user)?;
    soft_delete(&state, path_id(&id)?, None).await
}

/// P7: soft delete if the product is in this category (admin, warehouse_manager)
///
/// api/product.md §2.7. As P8, but only when category_id is the product's current category.
#[utoipa::path(
    delete,
    path = "/v1/products/{product_id}/category/{category_id}",
    operation_id = "deleteProductFromCategory",
    tag = "products",
    params(
        ("product_id" = String, Path, description = "UUID; anything else answers 404"),
        ("category_id" = String, Path, description = "UUID; anything else answers 404"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "deleted (data null, message success delete)", body = Envelope<Null>),
        BearerRefused,
        (status = 403, description = "neither admin nor warehouse_manager", body = ErrorBody),
        (status = 404, description = "unknown, already deleted, in another category, or not a UUID", body = ErrorBody),
        (status = 409, description = "a version clash after 3 attempts", body = ErrorBody),
        (status = 503, description = "the table or the token keys unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn remove_from_category(
    State(state): State<AppState>,
    user: AuthUser,
    Path((product_id, category_id)): Path<(String, String)>,
) -> Result<impl IntoResponse, AppError> {
    require_staff_manager(&user)?;
    let (product_id, category_id) = (path_id(&product_id)?, path_id(&category_id)?);
    soft_delete(&state, product_id, Some(category_id)).await
}

async fn soft_delete(
    state: &AppState,
    id: Uuid,
    expected_category: Option<Uuid>,
) -> Result<impl IntoResponse, AppError> {
    for _ in 0..ATTEMPTS {
        let before = live_product(state, id).await?;
        if expected_category.is_some_and(|c| c.to_string() != before.category_id) {
            return Err(AppError::not_found("product not found in this category"));
        }
        let stamp = Stamp::now();
        let mut after = before.clone();
        after.deleted_at = Some(stamp.rfc3339());
        after.updated_at = stamp.rfc3339();
        after.version = before.version + 1;
        after.changed_at = stamp.millis();
        let event = events::deleted(&after);
        match products::delete(&state.aws.dynamodb, &state.names, &before, &after, &event).await {
            Ok(()) => {
                state.snapshot.apply_product(after);
                state.snapshot.bump_category(&before.category_id, -1, 0);
                state.relay.wake();
                return Ok(deleted(None::<()>));
            }
            Err(e) if e.failed_at(0) || is_conflict(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::conflict(
        "the product was changed concurrently; try again",
    ))
}
