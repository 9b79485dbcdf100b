//! P1–P4: catalogue reads, served from the snapshot only (contract: api/product.md §2.2–2.4, §4.5); only P1
//! with `include_deleted` reads `Authorization`.

use std::collections::{BTreeSet, HashSet};

use axum::body::Body;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{ok, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Json, Path, Query};
use eshop_common::openapi::NotJson;
use eshop_common::AppError;
use serde::Deserialize;
use uuid::Uuid;

use super::{path_id, require_staff_manager};
use crate::domain::search::{by_name, Search};
use crate::domain::tree::with_descendants;
use crate::domain::{ProductPage, ProductView};
use crate::store::products;
use crate::AppState;

/// P1: list (compat, without parameters) or search (any listed parameter)
///
/// api/product.md §2.2. Compat mode: every live product by name then id, capped at PRODUCT_COMPAT_MAX.
/// Public; only include_deleted=true reads the bearer token. Both modes are served from the snapshot as bytes
/// built once per catalogue generation (compat mode also gzipped).
#[utoipa::path(
    get,
    path = "/v1/products",
    operation_id = "listProducts",
    tag = "products",
    params(Search),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "products by name then id (compat) or as asked; search mode adds count (matches before paging); data is [] when none", body = ProductPage),
        (status = 400, description = "a bad parameter (unknown sort, limit 0 or over 100, non-UUID category_id, min_price above max_price…), with causes", body = ErrorBody),
        (status = 401, description = "include_deleted=true without a valid bearer token", body = ErrorBody),
        (status = 403, description = "include_deleted=true by another role than admin or warehouse_manager", body = ErrorBody),
        (status = 503, description = "the snapshot is stale and could not be refreshed, or token keys are not loaded (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
    mut parts: Parts,
) -> Result<Response, AppError> {
    let search = Search::parse(&pairs)
        .map_err(|causes| AppError::invalid_fields("invalid search parameters", causes))?;
    let Some(search) = search else {
        state.snapshot.ensure_fresh().await?;
        return Ok(compat_response(&state, &parts.headers));
    };
    if search.include_deleted {
        let user = AuthUser::from_request_parts(&mut parts, &state).await?;
        require_staff_manager(&user)?;
    }
    state.snapshot.ensure_fresh().await?;
    let base = &state.snapshot.settings.image_base_url;
    let body = state.snapshot.search_body(&search, |catalogue| {
        // An unknown or deleted root matches nothing.
        let allowed = search
            .category_id
            .map(|root| match catalogue.live_category(root) {
                Some(_) => with_descendants(root, catalogue.categories.values()),
                None => HashSet::new(),
            });
        let mut found: Vec<_> = catalogue
            .products
            .values()
            .filter(|p| search.matches(p, allowed.as_ref()))
            .collect();
        search.sort(&mut found);
        let data: Vec<ProductView> = found
            .iter()
            .skip(search.skip)
            .take(search.limit)
            .map(|p| p.view(base, catalogue.category_of(p)))
            .collect();
        let page = ProductPage::new(data, Some(found.len()));
        Bytes::from(serde_json::to_vec(&page).unwrap_or_default())
    });
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}

/// The cached compat body, gzipped when the client accepts it.
fn compat_response(state: &AppState, headers: &HeaderMap) -> Response {
    let body = state.snapshot.compat_body();
    let gzip = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let mut response = if gzip {
        let mut r = Response::new(Body::from(body.gzip.clone()));
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    } else {
        Response::new(Body::from(body.json.clone()))
    };
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// P2: one live product (snapshot)
///
/// api/product.md §2.3. A stale snapshot falls back to a consistent read of the table.
#[utoipa::path(
    get,
    path = "/v1/products/{id}",
    operation_id = "getProduct",
    tag = "products",
    params(("id" = String, Path, description = "UUID; anything else answers 404")),
    responses(
        (status = 200, description = "the product", body = Envelope<ProductView>),
        (status = 404, description = "unknown, deleted or not a UUID", body = ErrorBody),
        (status = 503, description = "the snapshot is stale and the table unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let id = path_id(&id)?;
    let base = &state.snapshot.settings.image_base_url;
    let found = if state.snapshot.is_fresh() {
        state.snapshot.read(|c| {
            c.products
                .get(&id)
                .filter(|p| p.is_live())
                .map(|p| p.view(base, c.category_of(p)))
        })
    } else {
        let record = products::get(&state.aws.dynamodb, &state.names.products_table, id).await?;
        record.filter(|p| p.is_live()).map(|p| {
            let view = state.snapshot.read(|c| p.view(base, c.category_of(&p)));
            state.snapshot.apply_product(p);
            view
        })
    };
    found
        .map(ok)
        .ok_or_else(|| AppError::not_found("product not found"))
}

/// Live products whose category is exactly one of `ids`, by name then id; `None` when there are none.
fn exact_matches(state: &AppState, ids: &BTreeSet<Uuid>) -> Option<Vec<ProductView>> {
    let base = &state.snapshot.settings.image_base_url;
    state.snapshot.read(|c| {
        let mut found: Vec<_> = c
            .products
            .values()
            .filter(|p| p.is_live())
            .filter(|p| {
                Uuid::parse_str(&p.category_id)
                    .map(|id| ids.contains(&id))
                    .unwrap_or(false)
            })
            .collect();
        found.sort_by(|a, b| by_name(a, b).then(a.id.cmp(&b.id)));
        (!found.is_empty()).then(|| {
            found
                .iter()
                .map(|p| p.view(base, c.category_of(p)))
                .collect()
        })
    })
}

/// P3: live products of exactly this category (compat: null when none)
///
/// api/product.md §2.4. No descendants; by name then id.
#[utoipa::path(
    get,
    path = "/v1/products/category/{id}",
    operation_id = "productsOfCategory",
    tag = "products",
    params(("id" = String, Path, description = "UUID; anything else answers 404")),
    responses(
        (status = 200, description = "the products, or data null when none", body = Envelope<Option<Vec<ProductView>>>),
        (status = 404, description = "not a UUID", body = ErrorBody),
        (status = 503, description = "the snapshot is stale and could not be refreshed (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn by_category(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let id = path_id(&id)?;
    state.snapshot.ensure_fresh().await?;
    Ok(ok(exact_matches(&state, &BTreeSet::from([id]))))
}

/// P4 takes at most this many category ids.
pub const CATEGORY_IDS_MAX: usize = 100;

// The literal of `category_ids` below.
const _: () = assert!(CATEGORY_IDS_MAX == 100);

/// P4's body.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct CategoryIds {
    /// strings that are not UUIDs match nothing
    #[schema(max_items = 100)]
    category_ids: Vec<String>,
}

/// P4: live products of any of these categories (exact; compat: null when none)
///
/// api/product.md §2.4. Union of exact matches, de-duplicated, by name then id; data is null when nothing
/// matched, also for [].
#[utoipa::path(
    post,
    path = "/v1/products/categories",
    operation_id = "productsOfCategories",
    tag = "products",
    request_body = CategoryIds,
    responses(
        (status = 200, description = "the products, or data null when none", body = Envelope<Option<Vec<ProductView>>>),
        (status = 400, description = "malformed JSON, category_ids missing or not strings, more than 100 ids", body = ErrorBody),
        (status = 413, description = "body over 64 KiB", body = ErrorBody),
        NotJson,
        (status = 503, description = "the snapshot is stale and could not be refreshed (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn by_categories(
    State(state): State<AppState>,
    Json(body): Json<CategoryIds>,
) -> Result<impl IntoResponse, AppError> {
    if body.category_ids.len() > CATEGORY_IDS_MAX {
        return Err(AppError::invalid_fields(
            "too many category ids",
            vec![eshop_common::Cause::new(
                "category_ids",
                "must hold at most 100 entries",
            )],
        ));
    }
    state.snapshot.ensure_fresh().await?;
    let ids: BTreeSet<Uuid> = body
        .category_ids
        .iter()
        .filter_map(|s| Uuid::parse_str(s).ok())
        .collect();
    let found = if ids.is_empty() {
        None
    } else {
        exact_matches(&state, &ids)
    };
    Ok(ok(found))
}
