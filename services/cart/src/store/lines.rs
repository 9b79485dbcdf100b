//! One user's lines and version row (api/cart.md §6.2): a write transaction first ensures, locks and bumps
//! the caller's `cart_versions` row, then changes `carts`, then reads back the version and the lines for
//! the cache. Recovery reads the version and the lines in one read-only snapshot.

use eshop_common::db::mysql_marks;
use rust_decimal::Decimal;
use sqlx::{MySqlConnection, MySqlPool};
use uuid::Uuid;

use super::{line_from_row, now, uuid_col, LINE_COLUMNS};
use crate::domain::CartLine;

/// A user's version and lines, as one consistent picture (what the cache holds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub version: u64,
    pub lines: Vec<CartLine>,
}

/// Ensures, locks and bumps the user's version row; the new version is returned. Every writer of a user's
/// lines calls this first, so one user's writers are serialised.
pub async fn lock_and_bump(conn: &mut MySqlConnection, user: Uuid) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO cart_versions (user_id, version) VALUES (?, 1)
         ON DUPLICATE KEY UPDATE version = version + 1",
    )
    .bind(user.to_string())
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar("SELECT version FROM cart_versions WHERE user_id = ? FOR UPDATE")
        .bind(user.to_string())
        .fetch_one(&mut *conn)
        .await
}

/// The user's lines in cart order, read inside a write transaction after [`lock_and_bump`]: the lock on the
/// user's version row keeps every other writer of these lines out, and READ COMMITTED reads the latest
/// committed rows, so no row lock is taken here (a locking read scans and locks other users' rows too, and
/// neighbours then deadlock).
pub async fn current_lines(
    conn: &mut MySqlConnection,
    user: Uuid,
) -> Result<Vec<CartLine>, sqlx::Error> {
    let sql = format!("SELECT {LINE_COLUMNS} FROM carts WHERE user_id = ? ORDER BY created_at, id");
    let rows = sqlx::query(&sql)
        .bind(user.to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(line_from_row).collect()
}

/// The owners of those of `ids` that are lines at all (a line's owner never changes).
pub async fn owners(
    conn: &mut MySqlConnection,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, user_id FROM carts WHERE id IN ({})",
        mysql_marks(ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id.to_string());
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| Ok((uuid_col(r, "id")?, uuid_col(r, "user_id")?)))
        .collect()
}

/// §3.3 step 2: a tombstone for the product, read with a shared lock so a concurrent delete event waits
/// for this transaction (or this one waits for it): a line is never added after its product's delete.
pub async fn is_tombstoned(conn: &mut MySqlConnection, product: Uuid) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT product_id FROM product_tombstones WHERE product_id = ? LOCK IN SHARE MODE",
    )
    .bind(product.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Product data from the product service, written on add.
pub struct ProductData<'a> {
    pub name: &'a str,
    pub image_url: &'a str,
    pub price: Decimal,
    pub version: u64,
}

pub async fn insert_line(
    conn: &mut MySqlConnection,
    user: Uuid,
    product: Uuid,
    data: &ProductData<'_>,
    quantity: u32,
    note: &str,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let at = now();
    sqlx::query(
        "INSERT INTO carts (id, user_id, product_id, product_name, product_image_url, product_price,
             product_quantity, note, product_version, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(product.to_string())
    .bind(data.name)
    .bind(data.image_url)
    .bind(data.price)
    .bind(quantity)
    .bind(note)
    .bind(data.version)
    .bind(at)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// §3.3 merge: total quantity, note, and name, price, image refreshed from the product service.
pub async fn merge_line(
    conn: &mut MySqlConnection,
    line: Uuid,
    data: &ProductData<'_>,
    quantity: u32,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE carts SET product_name = ?, product_image_url = ?, product_price = ?, product_version = ?,
             product_quantity = ?, note = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(data.name)
    .bind(data.image_url)
    .bind(data.price)
    .bind(data.version)
    .bind(quantity)
    .bind(note)
    .bind(now())
    .bind(line.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// §3.4: the quantity replaced; the note only when given.
pub async fn change_line(
    conn: &mut MySqlConnection,
    line: Uuid,
    quantity: u32,
    note: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE carts SET product_quantity = ?, note = COALESCE(?, note), updated_at = ? WHERE id = ?",
    )
    .bind(quantity)
    .bind(note)
    .bind(now())
    .bind(line.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes those of `ids` that are `user`'s lines; returns the ids removed.
pub async fn delete_lines(
    conn: &mut MySqlConnection,
    user: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let held: Vec<Uuid> = current_lines(conn, user)
        .await?
        .into_iter()
        .map(|l| l.id)
        .filter(|id| ids.contains(id))
        .collect();
    if held.is_empty() {
        return Ok(held);
    }
    let sql = format!(
        "DELETE FROM carts WHERE user_id = ? AND id IN ({})",
        mysql_marks(held.len())
    );
    let mut query = sqlx::query(&sql).bind(user.to_string());
    for id in &held {
        query = query.bind(id.to_string());
    }
    query.execute(&mut *conn).await?;
    Ok(held)
}

/// §6.2 recovery: the version (0 without a row) and the lines in one read-only REPEATABLE READ snapshot.
pub async fn snapshot(pool: &MySqlPool, user: Uuid) -> Result<Snapshot, sqlx::Error> {
    // Sessions default to READ COMMITTED (writers, §6.2); this one transaction needs one snapshot.
    let mut conn = pool.acquire().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *conn)
        .await?;
    let mut tx = sqlx::Connection::begin_with(
        &mut *conn,
        "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
    )
    .await?;
    let version: Option<u64> =
        sqlx::query_scalar("SELECT version FROM cart_versions WHERE user_id = ?")
            .bind(user.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    let sql = format!("SELECT {LINE_COLUMNS} FROM carts WHERE user_id = ? ORDER BY created_at, id");
    let rows = sqlx::query(&sql)
        .bind(user.to_string())
        .fetch_all(&mut *tx)
        .await?;
    let lines = rows.iter().map(line_from_row).collect::<Result<_, _>>()?;
    tx.commit().await?;
    Ok(Snapshot {
        version: version.unwrap_or(0),
        lines,
    })
}

/// The lines with these ids, whoever owns them (checkout reads them without a lock, §3.7 step 1).
pub async fn lines_by_id(pool: &MySqlPool, ids: &[Uuid]) -> Result<Vec<CartLine>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {LINE_COLUMNS} FROM carts WHERE id IN ({}) ORDER BY created_at, id",
        mysql_marks(ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id.to_string());
    }
    let rows = query.fetch_all(pool).await?;
    rows.iter().map(line_from_row).collect()
}

/// The owner of one line, if it exists.
pub async fn owner_of(pool: &MySqlPool, id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    let row = sqlx::query("SELECT user_id FROM carts WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await?;
    row.map(|r| uuid_col(&r, "user_id")).transpose()
}
