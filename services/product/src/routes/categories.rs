//! C1–C6: the category tree (contract: api/product.md §2.8). Reads come from the snapshot; writes are
//! admin-only transactions over the category, its name guard and its parent's `child_count`.

use axum::extract::State;
use axum::response::IntoResponse;
use eshop_common::auth::{AuthUser, Role};
use eshop_common::envelope::{created, deleted, ok, updated, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Json, Path};
use eshop_common::openapi::{BearerRefused, NotJson, Null};
use eshop_common::{AppError, Cause};
use serde_json::Value;
use uuid::Uuid;

use super::path_id;
use crate::domain::fields::{self, CATEGORY_NAME_MAX_CHARS, MAX_DEPTH};
use crate::domain::records::CategoryView;
use crate::domain::tree::{self, sort_siblings, CategoryNode};
use crate::domain::CategoryRecord;
use crate::store::categories as store;
use crate::store::items::Stamp;
use crate::AppState;

fn require_admin(user: &AuthUser) -> Result<(), AppError> {
    user.require_any(&[Role::Admin])
}

fn object(value: Value) -> Result<serde_json::Map<String, Value>, AppError> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(AppError::bad_request("the body must be a JSON object")),
    }
}

// The bodies of C1 and C5 as `name_of` and `create` read them from a `Value`, for the OpenAPI document only
// (there is no Rust type of them to derive on).
/// C1's body.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CategoryCreate {
    /// trimmed, 1 to 100 characters; unique among live siblings (case-insensitive)
    #[schema(min_length = 1, max_length = 100)]
    name: String,
    #[schema(schema_with = parent_id)]
    parent_id: Option<String>,
}

/// C5's body: renames only.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CategoryRename {
    /// trimmed, 1 to 100 characters; unique among live siblings (case-insensitive)
    #[schema(min_length = 1, max_length = 100)]
    name: String,
}

// The literals of `name` above.
const _: () = assert!(CATEGORY_NAME_MAX_CHARS == 100 && MAX_DEPTH == 5);

/// `parent_id` of [`CategoryCreate`]: a UUID, "" or null.
fn parent_id() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .description(Some(
            "the parent's UUID (a live category at depth 4 at most); \"\", null or absent for a root",
        ))
        .build()
}

/// The `name` rule of C1 and C5.
fn name_of(map: &serde_json::Map<String, Value>) -> Result<String, AppError> {
    let invalid =
        |m: &str| AppError::invalid_fields("invalid category", vec![Cause::new("name", m)]);
    match map.get("name") {
        Some(Value::String(raw)) => fields::category_name(raw).map_err(|m| invalid(&m)),
        None | Some(Value::Null) => Err(invalid("is required")),
        Some(_) => Err(invalid("must be a string")),
    }
}

/// C2: the live category tree (roots with nested childs)
///
/// api/product.md §2.8. From the snapshot; siblings by name (case-insensitive), then id.
#[utoipa::path(
    get,
    path = "/v1/categories",
    operation_id = "categoryTree",
    tag = "categories",
    responses(
        (status = 200, description = "the roots; [] when there are none", body = Envelope<Vec<CategoryNode>>),
        (status = 503, description = "the snapshot is stale and could not be refreshed (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn tree(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    state.snapshot.ensure_fresh().await?;
    Ok(ok(state
        .snapshot
        .read(|c| tree::tree(c.categories.values()))))
}

/// C3: one live category
#[utoipa::path(
    get,
    path = "/v1/categories/{id}",
    operation_id = "getCategory",
    tag = "categories",
    params(("id" = String, Path, description = "UUID; anything else answers 404")),
    responses(
        (status = 200, description = "the category", body = Envelope<CategoryView>),
        (status = 404, description = "unknown, deleted or not a UUID", body = ErrorBody),
        (status = 503, description = "the snapshot is stale and could not be refreshed (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let id = path_id(&id)?;
    state.snapshot.ensure_fresh().await?;
    state
        .snapshot
        .read(|c| c.live_category(id).map(CategoryRecord::view))
        .map(ok)
        .ok_or_else(|| AppError::not_found("category not found"))
}

/// C4: live direct children (compat: null when none)
///
/// api/product.md §2.8. Siblings by name (case-insensitive), then id.
#[utoipa::path(
    get,
    path = "/v1/categories/parent/{id}",
    operation_id = "categoryChildren",
    tag = "categories",
    params(("id" = String, Path, description = "UUID; anything else answers 404")),
    responses(
        (status = 200, description = "the children, or data null for a leaf", body = Envelope<Option<Vec<CategoryView>>>),
        (status = 404, description = "unknown, deleted or not a UUID", body = ErrorBody),
        (status = 503, description = "the snapshot is stale and could not be refreshed (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn children(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let id = path_id(&id)?;
    state.snapshot.ensure_fresh().await?;
    let found = state.snapshot.read(|c| {
        c.live_category(id)?;
        let mut list: Vec<&CategoryRecord> = c
            .categories
            .values()
            .filter(|k| k.is_live() && k.parent_id == Some(id))
            .collect();
        sort_siblings(&mut list);
        let views: Vec<_> = list.into_iter().map(CategoryRecord::view).collect();
        Some((!views.is_empty()).then_some(views))
    });
    found
        .map(ok)
        .ok_or_else(|| AppError::not_found("category not found"))
}

/// C1: create a category (admin)
///
/// api/product.md §2.8. One transaction: the category, its name guard and the parent's child_count.
#[utoipa::path(
    post,
    path = "/v1/categories",
    operation_id = "createCategory",
    tag = "categories",
    request_body = CategoryCreate,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "created", body = Envelope<CategoryView>),
        (status = 400, description = "malformed JSON, not an object, invalid name or parent_id (with causes)", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 409, description = "a live sibling has this name (case-insensitive), or a concurrent change got there first", body = ErrorBody),
        (status = 413, description = "body over 64 KiB", body = ErrorBody),
        NotJson,
        (status = 422, description = "parent unknown, deleted, or at depth 5", body = ErrorBody),
        (status = 503, description = "the table or the token keys unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<Value>,
) -> Result<impl IntoResponse, AppError> {
    require_admin(&user)?;
    let map = object(body)?;
    let name = name_of(&map)?;
    let parent = match map.get("parent_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(fields::uuid(s).map_err(|m| {
            AppError::invalid_fields("invalid category", vec![Cause::new("parent_id", m)])
        })?),
        Some(_) => {
            return Err(AppError::invalid_fields(
                "invalid category",
                vec![Cause::new("parent_id", "must be a UUID, \"\" or null")],
            ))
        }
    };
    let table = &state.names.categories_table;
    let depth = match parent {
        None => 1,
        Some(parent) => {
            let record = store::get(&state.aws.dynamodb, table, parent)
                .await?
                .filter(CategoryRecord::is_live)
                .ok_or_else(|| AppError::unprocessable("the parent category does not exist"))?;
            if record.depth >= MAX_DEPTH {
                return Err(AppError::unprocessable(format!(
                    "categories nest at most {MAX_DEPTH} levels deep"
                )));
            }
            record.depth + 1
        }
    };
    let stamp = Stamp::now();
    let category = CategoryRecord {
        id: Uuid::now_v7(),
        name,
        parent_id: parent,
        depth,
        child_count: 0,
        product_count: 0,
        pinned: false,
        version: 1,
        deleted_at: None,
        changed_at: stamp.millis(),
    };
    match store::create(&state.aws.dynamodb, table, &category, stamp).await {
        Ok(()) => {}
        Err(e) if e.failed_at(1) => {
            return Err(AppError::conflict(
                "a category with this name already exists under this parent",
            ))
        }
        Err(e) if e.failed_at(2) => {
            return Err(AppError::unprocessable(
                "the parent category does not exist",
            ))
        }
        Err(e) => return Err(e.into()),
    }
    if let Some(parent) = parent {
        state.snapshot.bump_category(&parent.to_string(), 0, 1);
    }
    state.snapshot.apply_category(category.clone());
    Ok(created(category.view()))
}

async fn live_category(state: &AppState, id: Uuid) -> Result<CategoryRecord, AppError> {
    store::get(&state.aws.dynamodb, &state.names.categories_table, id)
        .await?
        .filter(CategoryRecord::is_live)
        .ok_or_else(|| AppError::not_found("category not found"))
}

/// C5: rename (admin)
///
/// api/product.md §2.8. The parent cannot change; the name guards are swapped in the transaction.
#[utoipa::path(
    put,
    path = "/v1/categories/{id}",
    operation_id = "renameCategory",
    tag = "categories",
    params(("id" = String, Path, description = "UUID; anything else answers 404")),
    request_body = CategoryRename,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "renamed", body = Envelope<CategoryView>),
        (status = 400, description = "malformed JSON, not an object, invalid name (with causes)", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "unknown, deleted or not a UUID", body = ErrorBody),
        (status = 409, description = "a live sibling has this name, or a concurrent change got there first", body = ErrorBody),
        (status = 413, description = "body over 64 KiB", body = ErrorBody),
        NotJson,
        (status = 503, description = "the table or the token keys unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn rename(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Result<impl IntoResponse, AppError> {
    require_admin(&user)?;
    let id = path_id(&id)?;
    let name = name_of(&object(body)?)?;
    let before = live_category(&state, id).await?;
    let stamp = Stamp::now();
    let after = CategoryRecord {
        name,
        version: before.version + 1,
        changed_at: stamp.millis(),
        ..before.clone()
    };
    let table = &state.names.categories_table;
    match store::rename(&state.aws.dynamodb, table, &before, &after, stamp).await {
        Ok(()) => {}
        Err(e) if e.failed_at(2) => {
            return Err(AppError::conflict(
                "a category with this name already exists under this parent",
            ))
        }
        Err(e) if e.failed_at(0) => {
            live_category(&state, id).await?;
            return Err(AppError::conflict(
                "the category was changed concurrently; try again",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    state.snapshot.apply_category(after.clone());
    Ok(updated(after.view()))
}

/// C6: soft delete an empty, unpinned category (admin)
///
/// api/product.md §2.8. Removes the name guard and moves the parent's child_count.
#[utoipa::path(
    delete,
    path = "/v1/categories/{id}",
    operation_id = "deleteCategory",
    tag = "categories",
    params(("id" = String, Path, description = "UUID; anything else answers 404")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "deleted (data null, message success delete)", body = Envelope<Null>),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "unknown, deleted or not a UUID", body = ErrorBody),
        (status = 409, description = "it has children or live products, or it is pinned (Car, Motor)", body = ErrorBody),
        (status = 503, description = "the table or the token keys unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn remove(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    require_admin(&user)?;
    let id = path_id(&id)?;
    let before = live_category(&state, id).await?;
    if before.pinned {
        return Err(AppError::conflict(
            "this category is pinned and cannot be deleted",
        ));
    }
    let occupied = || {
        AppError::conflict(
            "the category still has subcategories or products; delete or move them first",
        )
    };
    if before.child_count > 0 || before.product_count > 0 {
        return Err(occupied());
    }
    let stamp = Stamp::now();
    let after = CategoryRecord {
        deleted_at: Some(stamp.rfc3339()),
        version: before.version + 1,
        changed_at: stamp.millis(),
        ..before.clone()
    };
    let table = &state.names.categories_table;
    match store::delete(&state.aws.dynamodb, table, &before, &after, stamp).await {
        Ok(()) => {}
        Err(e) if e.failed_at(0) => {
            live_category(&state, id).await?;
            return Err(occupied());
        }
        Err(e) => return Err(e.into()),
    }
    if let Some(parent) = before.parent_id {
        state.snapshot.bump_category(&parent.to_string(), 0, -1);
    }
    state.snapshot.apply_category(after);
    Ok(deleted(None::<()>))
}
