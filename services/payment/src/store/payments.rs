//! The `payments` table (contract: api/payment.md §3): insert with the `payment.submitted` outbox row, reads
//! for the owner and admins, the list with its filters, and the locked review.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::mysql::MySqlRow;
use sqlx::{Executor, FromRow, MySql, MySqlConnection, MySqlPool, QueryBuilder, Row};
use uuid::Uuid;

use crate::domain::listing::ListQuery;
use crate::domain::PaymentStatus;

/// A stored payment proof.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub id: Uuid,
    pub order_id: Uuid,
    pub user_id: Uuid,
    pub status: PaymentStatus,
    pub total_amount: Decimal,
    pub note: String,
    pub admin_note: Option<String>,
    pub object_key: String,
    pub content_type: String,
    pub size_bytes: u32,
    pub sha256: String,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, order_id, user_id, status, total_amount, note, admin_note, object_key, \
     content_type, size_bytes, sha256, reviewed_by, reviewed_at, created_at, updated_at";

fn uuid(row: &MySqlRow, column: &str) -> Result<Uuid, sqlx::Error> {
    let text: String = row.try_get(column)?;
    Uuid::parse_str(&text).map_err(|e| sqlx::Error::ColumnDecode {
        index: column.into(),
        source: e.into(),
    })
}

impl<'r> FromRow<'r, MySqlRow> for Payment {
    fn from_row(row: &'r MySqlRow) -> Result<Self, sqlx::Error> {
        let status: String = row.try_get("status")?;
        let reviewed_by: Option<String> = row.try_get("reviewed_by")?;
        Ok(Payment {
            id: uuid(row, "id")?,
            order_id: uuid(row, "order_id")?,
            user_id: uuid(row, "user_id")?,
            status: PaymentStatus::parse(&status).ok_or_else(|| sqlx::Error::ColumnDecode {
                index: "status".into(),
                source: format!("unknown status {status:?}").into(),
            })?,
            total_amount: row.try_get("total_amount")?,
            note: row.try_get("note")?,
            admin_note: row.try_get("admin_note")?,
            object_key: row.try_get("object_key")?,
            content_type: row.try_get("content_type")?,
            size_bytes: row.try_get("size_bytes")?,
            sha256: row.try_get("sha256")?,
            reviewed_by: reviewed_by.and_then(|s| Uuid::parse_str(&s).ok()),
            reviewed_at: row.try_get("reviewed_at")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// What an upload stores (§2.1 step 5).
#[derive(Debug, Clone)]
pub struct NewPayment {
    pub id: Uuid,
    pub order_id: Uuid,
    pub user_id: Uuid,
    pub total_amount: Decimal,
    pub note: String,
    pub object_key: String,
    pub content_type: &'static str,
    pub size_bytes: u32,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

impl NewPayment {
    /// The row as the insert stores it.
    pub fn stored(&self) -> Payment {
        Payment {
            id: self.id,
            order_id: self.order_id,
            user_id: self.user_id,
            status: PaymentStatus::Pending,
            total_amount: self.total_amount,
            note: self.note.clone(),
            admin_note: None,
            object_key: self.object_key.clone(),
            content_type: self.content_type.to_string(),
            size_bytes: self.size_bytes,
            sha256: self.sha256.clone(),
            reviewed_by: None,
            reviewed_at: None,
            created_at: self.created_at,
            updated_at: self.created_at,
        }
    }
}

/// Whether the order has a `PENDING` or `APPROVED` proof (§2.1 step 2, without a lock).
pub async fn has_active(pool: &MySqlPool, order_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM payments WHERE active_order_id = ?)")
        .bind(order_id.to_string())
        .fetch_one(pool)
        .await
}

/// Locks the order's existing proofs, so an upload waits for a review of the same order in flight (its
/// outbox row must be seen before the inline choice, design §4.2). Run under READ COMMITTED: no gap locks.
pub async fn lock_order(conn: &mut MySqlConnection, order_id: Uuid) -> Result<bool, sqlx::Error> {
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM payments WHERE order_id = ? FOR UPDATE")
            .bind(order_id.to_string())
            .fetch_all(&mut *conn)
            .await?;
    Ok(statuses
        .iter()
        .filter_map(|s| PaymentStatus::parse(s))
        .any(PaymentStatus::is_active))
}

/// Inserts a `PENDING` row; a concurrent active proof of the same order fails on `uq_payments_active_order`.
pub async fn insert(conn: &mut MySqlConnection, p: &NewPayment) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payments (id, order_id, user_id, status, total_amount, note, object_key, content_type,
                               size_bytes, sha256, created_at, updated_at)
         VALUES (?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(p.id.to_string())
    .bind(p.order_id.to_string())
    .bind(p.user_id.to_string())
    .bind(p.total_amount)
    .bind(&p.note)
    .bind(&p.object_key)
    .bind(p.content_type)
    .bind(p.size_bytes)
    .bind(&p.sha256)
    .bind(p.created_at)
    .bind(p.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find<'e, E>(executor: E, id: Uuid) -> Result<Option<Payment>, sqlx::Error>
where
    E: Executor<'e, Database = MySql>,
{
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM payments WHERE id = ?"))
        .bind(id.to_string())
        .fetch_optional(executor)
        .await
}

/// The row, locked for the review transaction (§2.4 step 2).
pub async fn find_for_update(
    conn: &mut MySqlConnection,
    id: Uuid,
) -> Result<Option<Payment>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM payments WHERE id = ? FOR UPDATE"
    ))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await
}

/// The review's change (§2.4 step 2): only from `PENDING`.
pub async fn record_review(
    conn: &mut MySqlConnection,
    id: Uuid,
    status: PaymentStatus,
    admin_note: Option<&str>,
    reviewer: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE payments SET status = ?, admin_note = ?, reviewed_by = ?, reviewed_at = ?, updated_at = ?
         WHERE id = ? AND status = 'PENDING'",
    )
    .bind(status.as_str())
    .bind(admin_note)
    .bind(reviewer.to_string())
    .bind(at)
    .bind(at)
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// §2.2: the filters, scoped to `owner` when given; newest first, then by id.
pub async fn list(
    pool: &MySqlPool,
    query: &ListQuery,
    owner: Option<Uuid>,
) -> Result<Vec<Payment>, sqlx::Error> {
    let mut sql = QueryBuilder::<MySql>::new(format!("SELECT {COLUMNS} FROM payments WHERE 1 = 1"));
    if let Some(owner) = owner {
        sql.push(" AND user_id = ").push_bind(owner.to_string());
    }
    if let Some(user) = query.user_id {
        sql.push(" AND user_id = ").push_bind(user.to_string());
    }
    if let Some(order) = query.order_id {
        sql.push(" AND order_id = ").push_bind(order.to_string());
    }
    if let Some(status) = query.status {
        sql.push(" AND status = ").push_bind(status.as_str());
    }
    if let Some(from) = query.created_from {
        sql.push(" AND created_at >= ").push_bind(from);
    }
    if let Some(to) = query.created_to {
        sql.push(" AND created_at <= ").push_bind(to);
    }
    sql.push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .push_bind(u64::from(query.limit))
        .push(" OFFSET ")
        .push_bind(query.skip);
    sql.build_query_as().fetch_all(pool).await
}
