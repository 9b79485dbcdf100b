//! `products`, the copy of the catalogue fed by `product.*` events (contract: api/warehouse.md §4.2,
//! §5.2): applied only when the event's `version` is newer; a deleted product stays as a tombstone.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// The catalogue fields of `product.created` / `product.updated`.
#[derive(Debug, Clone)]
pub struct ProductCopy {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub description: String,
    pub price: Decimal,
    pub category_id: Option<Uuid>,
    pub image_url: String,
    pub version: i64,
}

/// Inserts the copy, or updates it when `version` is newer and it is not a tombstone. Locks the row
/// (§4.6 step 3) and answers whether it is now live.
pub async fn upsert(conn: &mut PgConnection, p: &ProductCopy) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO products (id, sku, name, description, image_url, price, category_id, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET sku = EXCLUDED.sku, name = EXCLUDED.name,
             description = EXCLUDED.description, image_url = EXCLUDED.image_url, price = EXCLUDED.price,
             category_id = EXCLUDED.category_id, version = EXCLUDED.version, updated_at = now()
         WHERE products.version < EXCLUDED.version AND products.deleted_at IS NULL",
    )
    .bind(p.id)
    .bind(&p.sku)
    .bind(&p.name)
    .bind(&p.description)
    .bind(&p.image_url)
    .bind(p.price)
    .bind(p.category_id)
    .bind(p.version)
    .execute(&mut *conn)
    .await?;
    let live: bool =
        sqlx::query_scalar("SELECT deleted_at IS NULL FROM products WHERE id = $1 FOR UPDATE")
            .bind(p.id)
            .fetch_one(conn)
            .await?;
    Ok(live)
}

/// `product.deleted`: marks the copy deleted when `version` is newer, or inserts a tombstone (empty
/// texts, price 0) for an unknown product so a late create or update changes nothing.
pub async fn tombstone(
    conn: &mut PgConnection,
    id: Uuid,
    version: i64,
    deleted_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO products (id, sku, name, description, image_url, price, version, deleted_at)
         VALUES ($1, '', '', '', '', 0, $2, $3)
         ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, deleted_at = EXCLUDED.deleted_at,
             updated_at = now()
         WHERE products.version < EXCLUDED.version",
    )
    .bind(id)
    .bind(version)
    .bind(deleted_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A product row locked by a stock writer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LockedProduct {
    pub id: Uuid,
    pub name: String,
    pub deleted: bool,
}

/// §4.6 step 3: the products `FOR UPDATE` in id order; serialises every stock writer of a product.
pub async fn lock(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<LockedProduct>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, deleted_at IS NOT NULL AS deleted FROM products
         WHERE id = ANY($1) ORDER BY id FOR UPDATE",
    )
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// The same rows without a lock (quotes).
pub async fn read(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<LockedProduct>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, deleted_at IS NOT NULL AS deleted FROM products WHERE id = ANY($1) ORDER BY id",
    )
    .bind(ids)
    .fetch_all(conn)
    .await
}
