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
use eshop_common::envelope::ok;
use eshop_common::extract::{Json, Path, Query};
use eshop_common::AppError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{path_id, require_staff_manager};
use crate::domain::search::{by_name, Search};
use crate::domain::tree::with_descendants;
use crate::domain::ProductView;
use crate::store::products;
use crate::AppState;

/// P1: compat mode (no known parameter) or search mode.
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
        let page = SearchPage {
            code: 200,
            data,
            message: "success get",
            count: found.len(),
        };
        Bytes::from(serde_json::to_vec(&page).unwrap_or_default())
    });
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}

/// The search-mode envelope: the common one plus `count` (matches before paging).
#[derive(Serialize)]
struct SearchPage<'a> {
    code: u16,
    data: Vec<ProductView>,
    message: &'a str,
    count: usize,
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

/// P2: a live product; a stale snapshot falls back to a consistent `GetItem`.
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

/// P3: `data` array, or null when none (compat).
pub async fn by_category(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let id = path_id(&id)?;
    state.snapshot.ensure_fresh().await?;
    Ok(ok(exact_matches(&state, &BTreeSet::from([id]))))
}

#[derive(Deserialize)]
pub struct CategoryIds {
    category_ids: Vec<String>,
}

/// P4: union of exact matches; strings that are not UUIDs match nothing; null when nothing matched.
pub async fn by_categories(
    State(state): State<AppState>,
    Json(body): Json<CategoryIds>,
) -> Result<impl IntoResponse, AppError> {
    if body.category_ids.len() > 100 {
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
