//! `checkout_requests` (api/order.md §3.1, §3.11): one row per (user, Idempotency-Key) holding the
//! request hash, the order id chosen up front, and a lease so one attempt at a time works on it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

/// What the key's row says about this attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Ours: a new row, or (`resumed`) an in-progress row whose lease had expired (same order id).
    Owned {
        order_id: Uuid,
        lease: DateTime<Utc>,
        resumed: bool,
    },
    /// Completed with the same body: answer the order again.
    Replay { order_id: Uuid },
    /// Same key, another body: 422.
    Mismatch,
    /// Another attempt holds the lease: 409 with `Retry-After`.
    InProgress { retry_after_secs: u64 },
}

/// The attempt's key, so later steps act only while the row is still ours.
#[derive(Debug, Clone)]
pub struct Ticket {
    pub user_id: Uuid,
    pub key: String,
    pub order_id: Uuid,
    pub lease: DateTime<Utc>,
}

pub async fn claim(
    pool: &PgPool,
    user_id: Uuid,
    key: &str,
    hash: &[u8],
    lease: Duration,
) -> Result<Claim, sqlx::Error> {
    let secs = lease.as_secs_f64();
    for _ in 0..5 {
        let order_id = Uuid::now_v7();
        let inserted: Option<DateTime<Utc>> = sqlx::query_scalar(
            "INSERT INTO checkout_requests (user_id, idempotency_key, request_hash, order_id, state,
                                            lease_until, created_at)
             VALUES ($1, $2, $3, $4, 'in_progress', now() + make_interval(secs => $5), now())
             ON CONFLICT (user_id, idempotency_key) DO NOTHING
             RETURNING lease_until",
        )
        .bind(user_id)
        .bind(key)
        .bind(hash)
        .bind(order_id)
        .bind(secs)
        .fetch_optional(pool)
        .await?;
        if let Some(lease) = inserted {
            return Ok(Claim::Owned {
                order_id,
                lease,
                resumed: false,
            });
        }
        let Some(row) = sqlx::query(
            "SELECT request_hash, order_id, state, lease_until,
                    EXTRACT(EPOCH FROM lease_until - now())::float8 AS left_secs
             FROM checkout_requests WHERE user_id = $1 AND idempotency_key = $2",
        )
        .bind(user_id)
        .bind(key)
        .fetch_optional(pool)
        .await?
        else {
            continue; // deleted meanwhile (a definitive refusal): try the insert again
        };
        let stored_hash: Vec<u8> = row.try_get("request_hash")?;
        if stored_hash != hash {
            return Ok(Claim::Mismatch);
        }
        let order_id: Uuid = row.try_get("order_id")?;
        let state: String = row.try_get("state")?;
        if state == "completed" {
            return Ok(Claim::Replay { order_id });
        }
        let left: f64 = row.try_get("left_secs")?;
        if left > 0.0 {
            return Ok(Claim::InProgress {
                retry_after_secs: (left.ceil() as u64).max(1),
            });
        }
        let old: DateTime<Utc> = row.try_get("lease_until")?;
        let taken: Option<DateTime<Utc>> = sqlx::query_scalar(
            "UPDATE checkout_requests SET lease_until = now() + make_interval(secs => $4)
             WHERE user_id = $1 AND idempotency_key = $2 AND state = 'in_progress' AND lease_until = $3
             RETURNING lease_until",
        )
        .bind(user_id)
        .bind(key)
        .bind(old)
        .bind(secs)
        .fetch_optional(pool)
        .await?;
        if let Some(lease) = taken {
            return Ok(Claim::Owned {
                order_id,
                lease,
                resumed: true,
            });
        }
    }
    Ok(Claim::InProgress {
        retry_after_secs: 1,
    })
}

/// After a definitive refusal (409 stock, 422 product or zip): the key may be used again.
pub async fn forget(pool: &PgPool, t: &Ticket) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM checkout_requests
         WHERE user_id = $1 AND idempotency_key = $2 AND state = 'in_progress' AND lease_until = $3",
    )
    .bind(t.user_id)
    .bind(&t.key)
    .bind(t.lease)
    .execute(pool)
    .await?;
    Ok(())
}

/// After a failure that may have reserved stock: the row stays `in_progress` with the same order id, and
/// its lease ends now so a retry with the same key resumes at once.
pub async fn let_go(pool: &PgPool, t: &Ticket) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE checkout_requests SET lease_until = now()
         WHERE user_id = $1 AND idempotency_key = $2 AND state = 'in_progress' AND lease_until = $3",
    )
    .bind(t.user_id)
    .bind(&t.key)
    .bind(t.lease)
    .execute(pool)
    .await?;
    Ok(())
}

/// Flips the row to `completed` in the order's transaction; false when it is no longer ours.
pub async fn complete(conn: &mut PgConnection, t: &Ticket) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE checkout_requests SET state = 'completed'
         WHERE user_id = $1 AND idempotency_key = $2 AND state = 'in_progress' AND lease_until = $3
           AND lease_until > now()",
    )
    .bind(t.user_id)
    .bind(&t.key)
    .bind(t.lease)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The janitor's part (api/order.md §3.11): deletes up to `limit` abandoned in-progress rows (older than
/// `abandon`, lease expired) and returns their (order id, user id).
pub async fn take_abandoned(
    conn: &mut PgConnection,
    abandon: Duration,
    limit: i64,
) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    let rows = sqlx::query(
        "DELETE FROM checkout_requests WHERE (user_id, idempotency_key) IN (
             SELECT user_id, idempotency_key FROM checkout_requests
             WHERE state = 'in_progress' AND created_at < now() - make_interval(secs => $1)
               AND lease_until < now()
             ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING order_id, user_id",
    )
    .bind(abandon.as_secs_f64())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("order_id")?, r.try_get("user_id")?)))
        .collect()
}
