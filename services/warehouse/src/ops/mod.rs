//! The stock-changing transactions (contract: api/warehouse.md §2.4–2.5, §4.6, §5): each runs in one
//! transaction, takes its locks in the global order of `store`, writes `stock.changed` for every product
//! it touched, and is retried once after a deadlock or serialisation failure.

pub mod catalogue;
pub mod moves;
pub mod reserve;
pub mod transition;

use eshop_common::AppError;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::allocation::Short;
use crate::error::{ApiError, ApiResult};
use crate::store::products::{self, LockedProduct};

/// 409 `insufficient stock` with one cause per failing item (§2.5).
pub fn shortage(shorts: &[Short]) -> ApiError {
    ApiError::conflict(
        "insufficient stock",
        shorts.iter().map(Short::cause).collect(),
    )
}

/// Locks one product a manual move names: unknown → 404, deleted → 409 (§2.4, §5.2).
pub async fn live_product(conn: &mut PgConnection, id: Uuid) -> ApiResult<LockedProduct> {
    let product = products::lock(conn, &[id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found("product not found"))?;
    if product.deleted {
        return Err(AppError::conflict("the product is deleted").into());
    }
    Ok(product)
}

/// Sorted, distinct ids.
pub fn distinct(ids: impl IntoIterator<Item = Uuid>) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort();
    ids.dedup();
    ids
}
