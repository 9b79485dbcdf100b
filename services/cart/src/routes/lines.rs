//! `/v1/carts` lines (api/cart.md §3.1–3.6): list, view, add (merge), change, remove one or several.
//! Every write follows §6.2: lock and bump the caller's version, change `carts`, read the lines back,
//! commit, then replace the cached cart.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{created, deleted, ok, ok_written, updated, Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Json, Path};
use eshop_common::openapi::{BearerRefused, Fault, NotJson, Null};
use eshop_common::AppError;
use uuid::Uuid;

use super::line_id;
use crate::domain::cached;
use crate::domain::input::{AddLine, Body, ChangeLine, LineIds};
use crate::domain::line::{list_bytes, list_view, LineView};
use crate::domain::merge::{plan_add, Existing};
use crate::domain::CartLine;
use crate::error::{ApiError, ApiResult};
use crate::reads::{cache_after_write, cached_lines, cart_lines, read_cart};
use crate::store::lines::{self as sql, ProductData, Snapshot};
use crate::store::retrying;
use crate::AppState;

// §3.1 `GET /v1/carts/user`: the lines, or `null` for an empty cart (compat).
/// The caller's cart (compat)
///
/// api/cart.md §3.1. Lines by created_at, then id; `data` is null when the cart is empty.
#[utoipa::path(
    get,
    path = "/v1/carts/user",
    operation_id = "listCart",
    tag = "carts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "lines by created_at then id, or data null when the cart is empty", body = Envelope<Option<Vec<LineView>>>),
        BearerRefused,
        Fault,
        (status = 503, description = "Redis cannot answer and MySQL is down too, or the JWKS is unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
// No span of its own (unlike the writes): the hottest read keeps to the request's span.
pub async fn list(user: AuthUser, State(state): State<AppState>) -> ApiResult<Response> {
    let lines = match read_cart(&state, user.user_id).await? {
        Ok(cached) => {
            // The hot path: the cached lines' JSON edited into the reply (an empty cart is `null`, below).
            let raw = cached.raw_lines();
            if !raw.is_empty() {
                let written = ok_written(list_bytes(raw.len()), |out| cached::write_list(raw, out));
                if let Some(reply) = written {
                    return Ok(reply);
                }
            }
            cached_lines(&state, user.user_id, &cached).await?
        }
        Err(lines) => lines,
    };
    let bytes = list_bytes(lines.len());
    Ok(ok(list_view(lines)).sized(bytes).into_response())
}

// §3.2 `GET /v1/carts/{id}`: another user's line → 403, no line → 404.
/// One line of the caller's cart
///
/// api/cart.md §3.2.
#[utoipa::path(
    get,
    path = "/v1/carts/{id}",
    operation_id = "showLine",
    tag = "carts",
    params(("id" = Uuid, Path, description = "line id, any UUID form (else 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the line", body = Envelope<LineView>),
        (status = 400, description = "id is not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "another user's line", body = ErrorBody),
        (status = 404, description = "no such line", body = ErrorBody),
        Fault,
        (status = 503, description = "the database or the JWKS is unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(user = %user.user_id))]
pub async fn show(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Reply<LineView>> {
    let id = line_id(&id)?;
    let lines = cart_lines(&state, user.user_id).await?;
    if let Some(line) = lines.into_iter().find(|l| l.id == id) {
        return Ok(ok(line.into_view()));
    }
    match sql::owner_of(&state.pool, id).await? {
        Some(owner) if owner != user.user_id => Err(AppError::forbidden().into()),
        _ => Err(AppError::not_found("cart line not found").into()),
    }
}

// §3.3 `POST /v1/carts`: product data from the product service, merged into one line per product.
/// Add a product (merges into the existing line; compat)
///
/// api/cart.md §3.3. Name, price and image come from the product service; the client's are ignored.
#[utoipa::path(
    post,
    path = "/v1/carts",
    operation_id = "addLine",
    tag = "carts",
    request_body = AddLine,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "the line with its total quantity (also when merged)", body = Envelope<LineView>),
        (status = 400, description = "validation (causes) or malformed JSON", body = ErrorBody),
        BearerRefused,
        (status = 409, description = "cart is full, or not enough stock: N available", body = ErrorBody),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        NotJson,
        (status = 422, description = "product not found, or quantity would exceed N", body = ErrorBody),
        Fault,
        (status = 502, description = "the product service failed", body = ErrorBody),
        (status = 503, description = "the database or the JWKS is unavailable (the message carries the request id)", body = ErrorBody),
        (status = 504, description = "the product service timed out", body = ErrorBody),
    )
)]
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
    Ok(created(line.into_view()))
}

// §3.4 `PATCH /v1/carts/{id}`: the quantity replaced, the note only when given; the full line back.
/// Set quantity and note (compat)
///
/// api/cart.md §3.4. No product call; stock is checked at checkout.
#[utoipa::path(
    patch,
    path = "/v1/carts/{id}",
    operation_id = "changeLine",
    tag = "carts",
    params(("id" = Uuid, Path, description = "line id, any UUID form (else 400)")),
    request_body = ChangeLine,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the full line", body = Envelope<LineView>),
        (status = 400, description = "validation (causes), malformed JSON or id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "another user's line", body = ErrorBody),
        (status = 404, description = "no such line", body = ErrorBody),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        NotJson,
        Fault,
        (status = 503, description = "the database or the JWKS is unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
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
    Ok(updated(line.into_view()))
}

// §3.5 `DELETE /v1/carts/{id}`: hard delete; unknown or already removed → 404.
/// Remove a line (compat)
///
/// api/cart.md §3.5. A hard delete: a second DELETE answers 404.
#[utoipa::path(
    delete,
    path = "/v1/carts/{id}",
    operation_id = "removeLine",
    tag = "carts",
    params(("id" = Uuid, Path, description = "line id, any UUID form (else 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "removed; data null", body = Envelope<Null>),
        (status = 400, description = "id is not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "another user's line", body = ErrorBody),
        (status = 404, description = "unknown or already removed", body = ErrorBody),
        Fault,
        (status = 503, description = "the database or the JWKS is unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(user = %user.user_id))]
pub async fn remove(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Reply<Null>> {
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
    Ok(deleted(Null))
}

// §3.6 `PATCH /v1/carts/deletes`: any listed line of another user → 403 and nothing removed; ids that
// are no line are ignored.
/// Remove several of the caller's lines (compat)
///
/// api/cart.md §3.6. One transaction: any listed line of another user refuses the whole request.
#[utoipa::path(
    patch,
    path = "/v1/carts/deletes",
    operation_id = "removeLines",
    tag = "carts",
    request_body = LineIds,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "removed (ids that are no line are ignored); data null", body = Envelope<Null>),
        (status = 400, description = "validation (causes) or malformed JSON", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "a listed line is another user's; nothing removed", body = ErrorBody),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        NotJson,
        Fault,
        (status = 503, description = "the database or the JWKS is unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all, fields(user = %user.user_id))]
pub async fn remove_many(
    user: AuthUser,
    State(state): State<AppState>,
    Json(body): Json<Body>,
) -> ApiResult<Reply<Null>> {
    let LineIds { cart_ids: ids } = LineIds::parse(&body)?;
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
    Ok(deleted(Null))
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
