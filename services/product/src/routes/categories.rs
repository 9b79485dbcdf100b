//! C1–C6: the category tree (contract: api/product.md §2.8). Reads come from the snapshot; writes are
//! admin-only transactions over the category, its name guard and its parent's `child_count`.

use axum::extract::State;
use axum::response::IntoResponse;
use eshop_common::auth::{AuthUser, Role};
use eshop_common::envelope::{created, deleted, ok, updated};
use eshop_common::extract::{Json, Path};
use eshop_common::{AppError, Cause};
use serde_json::Value;
use uuid::Uuid;

use super::path_id;
use crate::domain::fields::{self, MAX_DEPTH};
use crate::domain::tree::{self, sort_siblings};
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

/// C2 `GET /v1/categories`: live roots with their descendants as `childs`.
pub async fn tree(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    state.snapshot.ensure_fresh().await?;
    Ok(ok(state
        .snapshot
        .read(|c| tree::tree(c.categories.values()))))
}

/// C3 `GET /v1/categories/{id}`.
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

/// C4 `GET /v1/categories/parent/{id}`: live direct children, or null when there are none (compat).
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

/// C1 `POST /v1/categories`.
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

/// C5 `PUT /v1/categories/{id}`: renames only.
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

/// C6 `DELETE /v1/categories/{id}`: only an empty, unpinned category.
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
