//! `/v1/carts` lines (api/cart.md §3.1–3.6): list, view, add (merge), change, remove one or several.
//! Every write follows §6.2: lock and bump the caller's version, change `carts`, read the lines back,
//! commit, then replace the cached cart.

use axum::extract::State;
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{created, deleted, ok, updated, Reply};
use eshop_common::extract::{Json, Path};
use eshop_common::AppError;
use uuid::Uuid;

use super::line_id;
use crate::domain::input::{parse_bulk_delete, AddLine, Body, ChangeLine};
use crate::domain::line::{list_view, LineView};
use crate::domain::merge::{plan_add, Existing};
use crate::domain::CartLine;
use crate::error::{ApiError, ApiResult};
use crate::reads::{cache_after_write, cart_lines};
use crate::store::lines::{self as sql, ProductData, Snapshot};
use crate::store::retrying;
use crate::AppState;

/// §3.1 `GET /v1/carts/user`: the lines, or `null` for an empty cart (compat).
#[tracing::instrument(skip_all, fields(user = %user.user_id))]
pub async fn list(
    user: AuthUser,
    State(state): State<AppState>,
) -> ApiResult<Reply<Option<Vec<LineView>>>> {
    let lines = cart_lines(&state, user.user_id).await?;
    Ok(ok(list_view(&lines)))
}

/// §3.2 `GET /v1/carts/{id}`: another user's line → 403, no line → 404.
#[tracing::instrument(skip_all, fields(user = %user.user_id))]
pub async fn show(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Reply<LineView>> {
    let id = line_id(&id)?;
    let lines = cart_lines(&state, user.user_id).await?;
    if let Some(line) = lines.iter().find(|l| l.id == id) {
        return Ok(ok(line.view()));
    }
    match sql::owner_of(&state.pool, id).await? {
        Some(owner) if owner != user.user_id => Err(AppError::forbidden().into()),
        _ => Err(AppError::not_found("cart line not found").into()),
    }
}

/// §3.3 `POST /v1/carts`: product data from the product service, merged into one line per product.
#[tracing::instrument(skip_all, fields(user = %user.user_id))]
pub async fn add(
    user: AuthUser,
    State(state): State<AppState>,
    Json(body): Json<Body>,
) -> ApiResult<Reply<LineView>> {
    let add = AddLine::parse(&body, state.limits.max_line_quantity)?;
    let product = state.product.lookup(add.product_id).await?;
    let (user_id, limits, pool) = (user.user_id, state.limits, &state.pool);
    let (add, product) = (&add, &product);
    let (line, snapshot) = retrying(|| async move {
        let mut tx = pool.begin().await?;
        let version = sql::lock_and_bump(&mut tx, user_id).await?;
        if sql::is_tombstoned(&mut tx, add.product_id).await? {
            return Err(AppError::unprocessable("product not found").into());
        }
        let lines = sql::current_lines(&mut tx, user_id).await?;
        let current = lines.iter().find(|l| l.product_id == add.product_id);
        let existing = current.map(|l| Existing {
            quantity: l.product_quantity,
            note: l.note.clone(),
        });
        let plan = plan_add(
            existing.as_ref(),
            lines.len(),
            add.quantity,
            &add.note,
            product.stock,
            limits,
        )
        .map_err(AppError::from)?;
        let data = ProductData {
            name: &product.name,
            image_url: &product.image_url,
            price: product.price,
            version: product.version,
        };
        let id = match current {
            Some(line) => {
                sql::merge_line(&mut tx, line.id, &data, plan.quantity, &plan.note).await?;
                line.id
            }
            None => {
                sql::insert_line(
                    &mut tx,
                    user_id,
                    add.product_id,
                    &data,
                    plan.quantity,
                    &plan.note,
                )
                .await?
            }
        };
        let snapshot = read_back(&mut tx, user_id, version).await?;
        tx.commit().await?;
        Ok((find(&snapshot, id)?, snapshot))
    })
    .await?;
    cache_after_write(&state, user_id, &snapshot).await;
    Ok(created(line.view()))
}

/// §3.4 `PATCH /v1/carts/{id}`: the quantity replaced, the note only when given; the full line back.
#[tracing::instrument(skip_all, fields(user = %user.user_id))]
pub async fn change(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<Body>,
) -> ApiResult<Reply<LineView>> {
    let id = line_id(&id)?;
    let change = ChangeLine::parse(&body, state.limits.max_line_quantity)?;
    let (user_id, pool, change) = (user.user_id, &state.pool, &change);
    let (line, snapshot) = retrying(|| async move {
        let mut tx = pool.begin().await?;
        let version = sql::lock_and_bump(&mut tx, user_id).await?;
        check_owned(&mut tx, user_id, &[id]).await?;
        sql::change_line(&mut tx, id, change.quantity, change.note.as_deref()).await?;
        let snapshot = read_back(&mut tx, user_id, version).await?;
        tx.commit().await?;
        Ok((find(&snapshot, id)?, snapshot))
    })
    .await?;
    cache_after_write(&state, user_id, &snapshot).await;
    Ok(updated(line.view()))
}

/// §3.5 `DELETE /v1/carts/{id}`: hard delete; unknown or already removed → 404.
#[tracing::instrument(skip_all, fields(user = %user.user_id))]
pub async fn remove(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Reply<Option<()>>> {
    let id = line_id(&id)?;
    let (user_id, pool) = (user.user_id, &state.pool);
    let snapshot = retrying(|| async move {
        let mut tx = pool.begin().await?;
        let version = sql::lock_and_bump(&mut tx, user_id).await?;
        check_owned(&mut tx, user_id, &[id]).await?;
        sql::delete_lines(&mut tx, user_id, &[id]).await?;
        let snapshot = read_back(&mut tx, user_id, version).await?;
        tx.commit().await?;
        Ok(snapshot)
    })
    .await?;
    cache_after_write(&state, user_id, &snapshot).await;
    Ok(deleted(None))
}

/// §3.6 `PATCH /v1/carts/deletes`: any listed line of another user → 403 and nothing removed; ids that
/// are no line are ignored.
#[tracing::instrument(skip_all, fields(user = %user.user_id))]
pub async fn remove_many(
    user: AuthUser,
    State(state): State<AppState>,
    Json(body): Json<Body>,
) -> ApiResult<Reply<Option<()>>> {
    let ids = parse_bulk_delete(&body)?;
    let (user_id, pool, ids) = (user.user_id, &state.pool, &ids);
    let snapshot = retrying(|| async move {
        let mut tx = pool.begin().await?;
        let version = sql::lock_and_bump(&mut tx, user_id).await?;
        let owners = sql::owners(&mut tx, ids).await?;
        if owners.iter().any(|(_, owner)| *owner != user_id) {
            return Err(AppError::forbidden().into());
        }
        sql::delete_lines(&mut tx, user_id, ids).await?;
        let snapshot = read_back(&mut tx, user_id, version).await?;
        tx.commit().await?;
        Ok(snapshot)
    })
    .await?;
    cache_after_write(&state, user_id, &snapshot).await;
    Ok(deleted(None))
}

/// The one line `id` must be the caller's: another user's → 403, none → 404.
async fn check_owned(conn: &mut sqlx::MySqlConnection, user: Uuid, ids: &[Uuid]) -> ApiResult<()> {
    let owners = sql::owners(conn, ids).await?;
    if owners.is_empty() {
        return Err(AppError::not_found("cart line not found").into());
    }
    if owners.iter().any(|(_, owner)| *owner != user) {
        return Err(AppError::forbidden().into());
    }
    Ok(())
}

/// The caller's lines after the change, with the version just taken.
pub(super) async fn read_back(
    conn: &mut sqlx::MySqlConnection,
    user: Uuid,
    version: u64,
) -> Result<Snapshot, sqlx::Error> {
    Ok(Snapshot {
        version,
        lines: sql::current_lines(conn, user).await?,
    })
}

fn find(snapshot: &Snapshot, id: Uuid) -> ApiResult<CartLine> {
    snapshot
        .lines
        .iter()
        .find(|l| l.id == id)
        .cloned()
        .ok_or_else(|| ApiError::App(AppError::internal("the line vanished", id)))
}
