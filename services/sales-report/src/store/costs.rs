//! `product_costs` (api/sales-report.md §2.6, §3): the admins' unit costs, read when a sale is recorded.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

/// One recorded unit cost.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CostPrice {
    pub product_id: Uuid,
    /// exact, at most 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub cost_price: Decimal,
    pub updated_at: DateTime<Utc>,
    /// the admin who set it
    pub updated_by: Uuid,
}

/// Every entry, ordered by `product_id`.
pub async fn list(pool: &PgPool) -> Result<Vec<CostPrice>, sqlx::Error> {
    sqlx::query_as(
        "SELECT product_id, cost_price, updated_at, updated_by FROM product_costs ORDER BY product_id",
    )
    .fetch_all(pool)
    .await
}

/// Sets the product's cost (insert or replace) and returns the stored entry.
pub async fn upsert(
    pool: &PgPool,
    product_id: Uuid,
    cost_price: Decimal,
    by: Uuid,
) -> Result<CostPrice, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO product_costs (product_id, cost_price, updated_at, updated_by) VALUES ($1, $2, now(), $3)
         ON CONFLICT (product_id) DO UPDATE
             SET cost_price = EXCLUDED.cost_price, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
         RETURNING product_id, cost_price, updated_at, updated_by",
    )
    .bind(product_id)
    .bind(cost_price)
    .bind(by)
    .fetch_one(pool)
    .await
}

/// Removes the product's cost; false when none was stored.
pub async fn delete(pool: &PgPool, product_id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM product_costs WHERE product_id = $1")
        .bind(product_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
