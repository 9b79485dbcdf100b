//! What the product event consumer writes (api/cart.md §5, design §4.3), each event in one transaction with
//! its `processed_events` row. Lock order (§6.2): the affected users' `cart_versions` rows in ascending
//! `user_id` order, then the tombstone and `carts`; lines re-read with locks afterwards, so a user who gained
//! a line of the product meanwhile is locked too (a deadlock there is retried by the caller).

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::NaiveDateTime;
use eshop_common::db::mysql_marks;
use eshop_common::outbox::{mysql::record_processed, Envelope};
use rust_decimal::Decimal;
use sqlx::{MySqlConnection, MySqlPool};
use uuid::Uuid;

use super::lines::{lock_and_bump, Snapshot};
use super::{line_from_row, now, uuid_col, LINE_COLUMNS};

/// `product.updated` as cart reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductUpdated {
    pub product_id: Uuid,
    pub name: String,
    pub price: Decimal,
    pub image_url: String,
    pub version: u64,
}

/// `product.deleted`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductDeleted {
    pub product_id: Uuid,
    pub version: u64,
    pub deleted_at: NaiveDateTime,
}

/// The outcome of one event.
#[derive(Debug)]
pub enum Applied {
    /// Its id was already processed: nothing ran.
    Duplicate,
    /// Applied; the affected users' new snapshots, for the cache.
    Changed(Vec<(Uuid, Snapshot)>),
}

/// §5 `product.updated`: ignored under a tombstone; else every line with an older `product_version`
/// takes the new name, price, image and version.
pub async fn apply_updated(
    pool: &MySqlPool,
    envelope: &Envelope,
    event: &ProductUpdated,
) -> Result<Applied, sqlx::Error> {
    let mut tx = pool.begin().await?;
    if !record_processed(&mut tx, envelope).await? {
        tx.rollback().await?;
        return Ok(Applied::Duplicate);
    }
    let tombstone: Option<u64> =
        sqlx::query_scalar("SELECT version FROM product_tombstones WHERE product_id = ?")
            .bind(event.product_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    if tombstone.is_some() {
        tx.commit().await?;
        return Ok(Applied::Changed(Vec::new()));
    }
    let filter = "product_id = ? AND product_version < ?";
    let users = lock_holders(&mut tx, filter, event.product_id, Some(event.version)).await?;
    if !users.is_empty() {
        sqlx::query(
            "UPDATE carts SET product_name = ?, product_price = ?, product_image_url = ?, product_version = ?,
                 updated_at = ?
             WHERE product_id = ? AND product_version < ?",
        )
        .bind(&event.name)
        .bind(event.price)
        .bind(&event.image_url)
        .bind(event.version)
        .bind(now())
        .bind(event.product_id.to_string())
        .bind(event.version)
        .execute(&mut *tx)
        .await?;
    }
    let snapshots = snapshots(&mut tx, &users).await?;
    tx.commit().await?;
    Ok(Applied::Changed(snapshots))
}

/// §5 `product.deleted`: the tombstone upserted (higher version wins) and the product's lines removed.
pub async fn apply_deleted(
    pool: &MySqlPool,
    envelope: &Envelope,
    event: &ProductDeleted,
) -> Result<Applied, sqlx::Error> {
    let mut tx = pool.begin().await?;
    if !record_processed(&mut tx, envelope).await? {
        tx.rollback().await?;
        return Ok(Applied::Duplicate);
    }
    let before: Vec<Uuid> = holders(&mut tx, "product_id = ?", event.product_id, None).await?;
    let mut locked = BTreeSet::new();
    lock_users(&mut tx, &before, &mut locked).await?;
    sqlx::query(
        "INSERT INTO product_tombstones (product_id, version, deleted_at) VALUES (?, ?, ?)
         ON DUPLICATE KEY UPDATE
             deleted_at = IF(VALUES(version) > version, VALUES(deleted_at), deleted_at),
             version = GREATEST(version, VALUES(version))",
    )
    .bind(event.product_id.to_string())
    .bind(event.version)
    .bind(event.deleted_at)
    .execute(&mut *tx)
    .await?;
    let users = relock(&mut tx, "product_id = ?", event.product_id, None, locked).await?;
    if !users.is_empty() {
        sqlx::query("DELETE FROM carts WHERE product_id = ?")
            .bind(event.product_id.to_string())
            .execute(&mut *tx)
            .await?;
    }
    let snapshots = snapshots(&mut tx, &users).await?;
    tx.commit().await?;
    Ok(Applied::Changed(snapshots))
}

/// The users with lines matching `filter`, their version rows locked (and bumped) in ascending order.
async fn lock_holders(
    conn: &mut MySqlConnection,
    filter: &str,
    product: Uuid,
    version: Option<u64>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let before = holders(conn, filter, product, version).await?;
    let mut locked = BTreeSet::new();
    lock_users(conn, &before, &mut locked).await?;
    relock(conn, filter, product, version, locked).await
}

/// Re-reads the holders (READ COMMITTED: the latest committed rows) until every one of them has its version
/// row locked; from then on no other writer can change their lines.
async fn relock(
    conn: &mut MySqlConnection,
    filter: &str,
    product: Uuid,
    version: Option<u64>,
    mut locked: BTreeSet<Uuid>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    loop {
        let now_holding = holders(conn, filter, product, version).await?;
        let extra: Vec<Uuid> = now_holding
            .iter()
            .filter(|u| !locked.contains(u))
            .copied()
            .collect();
        if extra.is_empty() {
            return Ok(now_holding);
        }
        lock_users(conn, &extra, &mut locked).await?;
    }
}

async fn lock_users(
    conn: &mut MySqlConnection,
    users: &[Uuid],
    locked: &mut BTreeSet<Uuid>,
) -> Result<(), sqlx::Error> {
    let mut sorted: Vec<Uuid> = users.to_vec();
    sorted.sort();
    sorted.dedup();
    for user in sorted {
        lock_and_bump(conn, user).await?;
        locked.insert(user);
    }
    Ok(())
}

async fn holders(
    conn: &mut MySqlConnection,
    filter: &str,
    product: Uuid,
    version: Option<u64>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let sql = format!("SELECT user_id FROM carts WHERE {filter}");
    let mut query = sqlx::query(&sql).bind(product.to_string());
    if let Some(v) = version {
        query = query.bind(v);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let users: BTreeSet<Uuid> = rows
        .iter()
        .map(|r| uuid_col(r, "user_id"))
        .collect::<Result<_, _>>()?;
    Ok(users.into_iter().collect())
}

/// The users' versions and lines in one query each (their version rows are locked by this transaction, so
/// these are the latest data and stay so until commit).
async fn snapshots(
    conn: &mut MySqlConnection,
    users: &[Uuid],
) -> Result<Vec<(Uuid, Snapshot)>, sqlx::Error> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let list = mysql_marks(users.len());
    let sql = format!("SELECT user_id, version FROM cart_versions WHERE user_id IN ({list})");
    let mut query = sqlx::query(&sql);
    for u in users {
        query = query.bind(u.to_string());
    }
    let versions = query.fetch_all(&mut *conn).await?;
    let sql = format!(
        "SELECT {LINE_COLUMNS} FROM carts WHERE user_id IN ({list})
         ORDER BY created_at, id"
    );
    let mut query = sqlx::query(&sql);
    for u in users {
        query = query.bind(u.to_string());
    }
    let lines = query.fetch_all(&mut *conn).await?;
    let mut out = Vec::new();
    for row in &versions {
        let user = uuid_col(row, "user_id")?;
        let version: u64 = sqlx::Row::try_get(row, "version")?;
        let mut mine = Vec::new();
        for row in &lines {
            if uuid_col(row, "user_id")? == user {
                mine.push(line_from_row(row)?);
            }
        }
        out.push((
            user,
            Snapshot {
                version,
                lines: mine,
            },
        ));
    }
    Ok(out)
}

/// Deletes processed-event rows older than `retention` (§6.1, daily).
pub async fn purge_processed(pool: &MySqlPool, retention: Duration) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM processed_events WHERE processed_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND",
    )
    .bind(retention.as_secs())
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
