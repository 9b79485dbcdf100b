//! `warehouses` (contract: api/warehouse.md §2.2, §4.1): live rows, main first; one main at a time.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

const COLUMNS: &str =
    "id, name, street, city, state, zip_code, is_main_warehouse, created_at, updated_at";

/// The warehouse object of §2.1.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Warehouse {
    pub id: Uuid,
    pub name: String,
    pub street: String,
    pub city: String,
    pub state: String,
    /// five digits (§4.1 CHECK)
    #[schema(pattern = "^[0-9]{5}$")]
    pub zip_code: String,
    /// exactly one live warehouse is the main one
    pub is_main_warehouse: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields of W1, or the changed ones of W4.
#[derive(Debug, Clone, Default)]
pub struct WarehouseFields {
    pub name: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip_code: Option<String>,
}

/// The unique index of live names (§4.1).
pub const NAME_INDEX: &str = "warehouses_name_live";

pub async fn insert(pool: &PgPool, f: &WarehouseFields) -> Result<Warehouse, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO warehouses (id, name, street, city, state, zip_code) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING {COLUMNS}"
    ))
    .bind(Uuid::now_v7())
    .bind(&f.name)
    .bind(&f.street)
    .bind(&f.city)
    .bind(&f.state)
    .bind(&f.zip_code)
    .fetch_one(pool)
    .await
}

/// W2: live warehouses, main first, then by name; the total count too.
pub async fn list(
    pool: &PgPool,
    page: Option<(i64, i64)>,
) -> Result<(Vec<Warehouse>, i64), sqlx::Error> {
    let (skip, limit) = page.unwrap_or((0, i64::MAX));
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM warehouses WHERE deleted_at IS NULL
         ORDER BY is_main_warehouse DESC, lower(name), id OFFSET $1 LIMIT $2"
    ))
    .bind(skip)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let count = sqlx::query_scalar("SELECT count(*) FROM warehouses WHERE deleted_at IS NULL")
        .fetch_one(pool)
        .await?;
    Ok((rows, count))
}

pub async fn get_live(pool: &PgPool, id: Uuid) -> Result<Option<Warehouse>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM warehouses WHERE id = $1 AND deleted_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// W4: changes the given fields of a live warehouse; `None` when there is none.
pub async fn update(
    pool: &PgPool,
    id: Uuid,
    f: &WarehouseFields,
) -> Result<Option<Warehouse>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE warehouses SET name = COALESCE($2, name), street = COALESCE($3, street),
             city = COALESCE($4, city), state = COALESCE($5, state), zip_code = COALESCE($6, zip_code),
             updated_at = now()
         WHERE id = $1 AND deleted_at IS NULL RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(&f.name)
    .bind(&f.street)
    .bind(&f.city)
    .bind(&f.state)
    .bind(&f.zip_code)
    .fetch_optional(pool)
    .await
}

/// W5/S5: every live warehouse (id, zip, main).
pub async fn live_locations(pool: &PgPool) -> Result<Vec<(Uuid, String, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, zip_code, is_main_warehouse FROM warehouses WHERE deleted_at IS NULL ORDER BY id",
    )
    .fetch_all(pool)
    .await
}

/// A warehouse row locked by W6/W7.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LockedWarehouse {
    pub id: Uuid,
    pub is_main_warehouse: bool,
    pub live: bool,
}

/// W6: the target and the current main row, `FOR UPDATE` in id order (§4.6: the same order as the stock
/// writers' `FOR SHARE`, so no cycle).
pub async fn lock_for_main(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Vec<LockedWarehouse>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, is_main_warehouse, deleted_at IS NULL AS live FROM warehouses
         WHERE id = $1 OR is_main_warehouse ORDER BY id FOR UPDATE",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// W6: moves the main flag from `old` to `new` (cleared first: the unique index allows one main).
pub async fn move_main(conn: &mut PgConnection, old: Uuid, new: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE warehouses SET is_main_warehouse = false, updated_at = now() WHERE id = $1",
    )
    .bind(old)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE warehouses SET is_main_warehouse = true, updated_at = now() WHERE id = $1")
        .bind(new)
        .execute(conn)
        .await?;
    Ok(())
}

/// W7: the warehouse `FOR UPDATE`.
pub async fn lock_one(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<LockedWarehouse>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, is_main_warehouse, deleted_at IS NULL AS live FROM warehouses WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// W7: whether any stock row of the warehouse holds units.
pub async fn holds_stock(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM warehouse_products WHERE warehouse_id = $1 AND available + reserved > 0)",
    )
    .bind(id)
    .fetch_one(conn)
    .await
}

pub async fn soft_delete(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE warehouses SET deleted_at = now(), updated_at = now() WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
