//! MySQL/MariaDB form of the outbox and inbox (design §4.1–4.3), used by payment (outbox) and cart
//! (`processed_events`). UUIDs are `CHAR(36)` bound as lowercase hyphenated strings; times are UTC
//! `DATETIME(6)` from `UTC_TIMESTAMP(6)` whatever the session time zone.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sqlx::mysql::MySqlRow;
use sqlx::types::Json;
use sqlx::{Connection, Executor, MySqlConnection, MySqlPool, Row};
use uuid::Uuid;

use super::outcome::Outcome;
use super::store::{self, NewRow, OutboxConnection, OutboxRow};
use super::{Backlog, Claim, Envelope, OutboxEntry, CLAIM_BATCH, LIST_LIMIT, SUPERSEDED};

/// The `outbox` table of design §4.1; each producing service copies it into its own migrations.
pub const OUTBOX_SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS outbox (
    id              CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    event_id        CHAR(36) CHARACTER SET ascii NOT NULL,
    type            VARCHAR(64)  NOT NULL,
    aggregate_id    CHAR(36) CHARACTER SET ascii NOT NULL,
    subscriber      VARCHAR(32)  NOT NULL,
    payload         JSON         NOT NULL,
    created_at      DATETIME(6)  NOT NULL,
    next_attempt_at DATETIME(6)  NOT NULL,
    lease_until     DATETIME(6)  NULL,
    delivered_at    DATETIME(6)  NULL,
    parked_at       DATETIME(6)  NULL,
    attempts        INT UNSIGNED NOT NULL DEFAULT 0,
    last_error      VARCHAR(500) NULL,
    UNIQUE KEY outbox_event_subscriber_key (event_id, subscriber),
    KEY outbox_aggregate_idx (aggregate_id, subscriber, created_at),
    KEY outbox_head_idx (aggregate_id, subscriber, delivered_at, created_at),
    KEY outbox_due_idx (delivered_at, parked_at, next_attempt_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
"#;

/// The consumer's `processed_events` table (design §4.3); each consuming service copies it.
pub const PROCESSED_EVENTS_SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS processed_events (
    id           CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    type         VARCHAR(64) NOT NULL,
    source       VARCHAR(32) NOT NULL,
    processed_at DATETIME(6) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
"#;

// `enqueue` and `enqueue_inline` on a `MySqlConnection`.
store::producer_api!(MySqlConnection);

impl OutboxConnection for MySqlConnection {
    async fn waiting(&mut self, aggregate_id: Uuid, subscriber: &str) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE aggregate_id = ? AND subscriber = ? AND delivered_at IS NULL)",
        )
        .bind(aggregate_id.to_string())
        .bind(subscriber)
        .fetch_one(self)
        .await
    }

    async fn insert(&mut self, row: &NewRow<'_>) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO outbox (id, event_id, type, aggregate_id, subscriber, payload, created_at, next_attempt_at, lease_until)
             VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND)",
        )
        .bind(row.id.to_string())
        .bind(row.envelope.id.to_string())
        .bind(&row.envelope.event_type)
        .bind(row.aggregate_id.to_string())
        .bind(row.subscriber)
        .bind(Json(row.envelope.to_json()))
        .bind(row.lease.map(micros))
        .execute(self)
        .await?;
        Ok(())
    }
}

/// Records `envelope` as processed in the consumer's transaction (design §4.3). False when its id was
/// already processed: the caller then skips the effect and answers [`super::EventResult::Duplicate`].
/// A plain INSERT whose duplicate-key error is caught (MySQL keeps the transaction usable), rather than
/// `INSERT IGNORE`, which would also silently truncate an over-long value.
pub async fn record_processed(
    conn: &mut MySqlConnection,
    envelope: &Envelope,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO processed_events (id, type, source, processed_at) VALUES (?, ?, ?, UTC_TIMESTAMP(6))",
    )
    .bind(envelope.id.to_string())
    .bind(&envelope.event_type)
    .bind(&envelope.source)
    .execute(conn)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
        Err(e) => Err(e),
    }
}

/// The due rows that head their aggregate's queue, oldest first: whether an older row is waiting is
/// answered from the undelivered rows alone (`outbox_head`, whose NULL `delivered_at` sort first), not
/// from the delivered history.
const CLAIM_SQL: &str = "SELECT o.id, o.event_id, o.type, o.aggregate_id, o.subscriber, o.payload, o.attempts
     FROM outbox o
     WHERE o.delivered_at IS NULL AND o.parked_at IS NULL AND o.next_attempt_at <= UTC_TIMESTAMP(6)
       AND (o.lease_until IS NULL OR o.lease_until < UTC_TIMESTAMP(6))
       AND NOT EXISTS (
           SELECT 1 FROM outbox p
           WHERE p.aggregate_id = o.aggregate_id AND p.subscriber = o.subscriber AND p.delivered_at IS NULL
             AND (p.created_at < o.created_at OR (p.created_at = o.created_at AND p.id < o.id)))
     ORDER BY o.created_at, o.id
     LIMIT ?
     FOR UPDATE SKIP LOCKED";

/// design §4.2 step 1: the oldest due rows that head their aggregate's queue, leased in a short
/// transaction; rows another relay is claiming right now are skipped, not waited for. The older rows of
/// the `supersedable` types are marked first, so their newest row can head its queue in this claim.
pub(crate) async fn claim(
    pool: &MySqlPool,
    lease: Duration,
    supersedable: &[String],
) -> Result<Claim, sqlx::Error> {
    let started = Instant::now();
    let mut conn = pool.acquire().await?;
    // For this claim only: no gap locks, so producers' inserts never wait on a relay.
    conn.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        .await?;
    let mut tx = conn.begin().await?;
    let superseded = if supersedable.is_empty() {
        Vec::new()
    } else {
        supersede(&mut tx, supersedable).await?
    };
    let rows = sqlx::query(CLAIM_SQL)
        .bind(CLAIM_BATCH as u64)
        .fetch_all(&mut *tx)
        .await?;
    // The lease starts at UTC_TIMESTAMP(6) of the UPDATE below, which is after `started`.
    let rows = store::claimed(&rows, started + lease)?;
    if !rows.is_empty() {
        let marks = crate::db::mysql_marks(rows.len());
        let sql = format!("UPDATE outbox SET lease_until = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND WHERE id IN ({marks})");
        let mut update = sqlx::query(&sql).bind(micros(lease));
        for row in &rows {
            update = update.bind(row.id.to_string());
        }
        update.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(Claim { rows, superseded })
}

/// Ids per `UPDATE … WHERE id IN (…)` when superseding, well under MySQL's 65,535 placeholders.
const SUPERSEDE_CHUNK: usize = 1000;

/// Marks delivered, as [`SUPERSEDED`], each undelivered row of `types` that is neither parked nor leased
/// and has a newer (in the claim's order) row of its aggregate, subscriber and type that is neither
/// delivered nor parked: a parked row may never be delivered, so it supersedes nothing. Counts per
/// subscriber. The rows are chosen by a locking SELECT with SKIP LOCKED, then updated by id: an UPDATE
/// joining `outbox` to itself would take its locks while scanning, and so wait for every producer
/// transaction holding an uncommitted outbox row, and for other relays' claims.
async fn supersede(
    conn: &mut MySqlConnection,
    types: &[String],
) -> Result<Vec<(String, u64)>, sqlx::Error> {
    let marks = crate::db::mysql_marks(types.len());
    let sql = format!(
        "SELECT o.id, o.subscriber FROM outbox o
         WHERE o.type IN ({marks}) AND o.delivered_at IS NULL AND o.parked_at IS NULL
           AND (o.lease_until IS NULL OR o.lease_until < UTC_TIMESTAMP(6))
           AND EXISTS (
               SELECT 1 FROM outbox n
               WHERE n.aggregate_id = o.aggregate_id AND n.subscriber = o.subscriber
                 AND n.type = o.type AND n.delivered_at IS NULL AND n.parked_at IS NULL
                 AND (n.created_at > o.created_at OR (n.created_at = o.created_at AND n.id > o.id)))
         FOR UPDATE SKIP LOCKED"
    );
    let mut select = sqlx::query_as::<_, (String, String)>(&sql);
    for t in types {
        select = select.bind(t);
    }
    let stale = select.fetch_all(&mut *conn).await?;
    for chunk in stale.chunks(SUPERSEDE_CHUNK) {
        let marks = crate::db::mysql_marks(chunk.len());
        let sql = format!(
            "UPDATE outbox SET delivered_at = UTC_TIMESTAMP(6), lease_until = NULL, last_error = ?
             WHERE id IN ({marks})"
        );
        let mut update = sqlx::query(&sql).bind(SUPERSEDED);
        for (id, _) in chunk {
            update = update.bind(id);
        }
        update.execute(&mut *conn).await?;
    }
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for (_, subscriber) in stale {
        *counts.entry(subscriber).or_default() += 1;
    }
    Ok(counts.into_iter().collect())
}

impl OutboxRow for MySqlRow {
    fn uuid(&self, column: &str) -> Result<Uuid, sqlx::Error> {
        let text: String = self.try_get(column)?;
        Uuid::parse_str(&text).map_err(|e| sqlx::Error::ColumnDecode {
            index: column.into(),
            source: e.into(),
        })
    }

    fn attempts(&self) -> Result<u32, sqlx::Error> {
        self.try_get("attempts")
    }

    fn payload(&self) -> Result<serde_json::Value, sqlx::Error> {
        Ok(self.try_get::<Json<serde_json::Value>, _>("payload")?.0)
    }

    /// `TIMESTAMPDIFF(MICROSECOND, …)`.
    fn age_seconds(&self) -> Result<f64, sqlx::Error> {
        Ok(self.try_get::<i64, _>("age")? as f64 / 1e6)
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// design §4.2 step 3. A row delivered meanwhile is left alone.
pub(crate) async fn record(
    pool: &MySqlPool,
    id: Uuid,
    outcome: &Outcome,
) -> Result<(), sqlx::Error> {
    let query = match outcome {
        Outcome::Delivered => sqlx::query(
            "UPDATE outbox SET delivered_at = UTC_TIMESTAMP(6), lease_until = NULL WHERE id = ? AND delivered_at IS NULL",
        )
        .bind(id.to_string()),
        Outcome::Retry { error, delay } => sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND,
                lease_until = NULL, last_error = ?
             WHERE id = ? AND delivered_at IS NULL",
        )
        .bind(micros(*delay))
        .bind(error)
        .bind(id.to_string()),
        Outcome::Park { error } => sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, parked_at = UTC_TIMESTAMP(6), lease_until = NULL, last_error = ?
             WHERE id = ? AND delivered_at IS NULL",
        )
        .bind(error)
        .bind(id.to_string()),
    };
    query.execute(pool).await?;
    Ok(())
}

/// Deletes rows delivered more than `retention` ago (design §4.2).
pub(crate) async fn purge_delivered(
    pool: &MySqlPool,
    retention: Duration,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM outbox WHERE delivered_at < UTC_TIMESTAMP(6) - INTERVAL ? MICROSECOND",
    )
    .bind(micros(retention))
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

pub(crate) async fn backlog(pool: &MySqlPool) -> Result<Vec<Backlog>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT subscriber, COUNT(*) AS pending, TIMESTAMPDIFF(MICROSECOND, MIN(created_at), UTC_TIMESTAMP(6)) AS age
         FROM outbox WHERE delivered_at IS NULL GROUP BY subscriber",
    )
    .fetch_all(pool)
    .await?;
    store::backlog(&rows)
}

/// [`super::list`] for MySQL/MariaDB.
pub async fn list(pool: &MySqlPool, parked_only: bool) -> Result<Vec<OutboxEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, event_id, type, aggregate_id, subscriber, created_at, next_attempt_at, lease_until,
                parked_at, attempts, last_error
         FROM outbox WHERE delivered_at IS NULL AND (NOT ? OR parked_at IS NOT NULL)
         ORDER BY created_at, id LIMIT ?",
    )
    .bind(parked_only)
    .bind(LIST_LIMIT as u64)
    .fetch_all(pool)
    .await?;
    store::entries(&rows)
}

/// [`super::redrive`] for MySQL/MariaDB.
pub async fn redrive(pool: &MySqlPool, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE outbox SET parked_at = NULL, attempts = 0, next_attempt_at = UTC_TIMESTAMP(6)
         WHERE id = ? AND delivered_at IS NULL",
    )
    .bind(id.to_string())
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use sqlx::migrate::Migrator;
    use test_support::db::{migrations, TestDatabase};
    use test_support::outbox::mysql_history;

    use super::*;

    /// The index the claim's "is an older row waiting" subquery reads, over 500 delivered rows (a week of
    /// history) and 10 due rows on each of 4 aggregates, in a database made by `schema`.
    async fn subquery_key(schema: impl AsyncFnOnce(&MySqlPool)) -> Option<String> {
        let db = TestDatabase::mysql("outbox_plan").await;
        let pool = MySqlPool::connect(&db.url).await.unwrap();
        schema(&pool).await;
        let history = mysql_history(2000, 40, 4, "order");
        sqlx::raw_sql(&history).execute(&pool).await.unwrap();
        let explain = format!("EXPLAIN {CLAIM_SQL}");
        let plan = sqlx::query(&explain)
            .bind(CLAIM_BATCH as u64)
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        let subquery = plan
            .iter()
            .find(|row| row.get::<String, _>("select_type") == "DEPENDENT SUBQUERY")
            .expect("the claim's plan has its dependent subquery");
        subquery.get("key")
    }

    #[tokio::test]
    async fn the_claim_asks_for_older_rows_only_among_the_undelivered() {
        let fixture = subquery_key(async |pool: &MySqlPool| {
            sqlx::raw_sql(OUTBOX_SCHEMA).execute(pool).await.unwrap();
        })
        .await;
        assert_eq!(fixture.as_deref(), Some("outbox_head_idx"));
        let payment = subquery_key(async |pool: &MySqlPool| {
            let migrator = Migrator::new(migrations("payment")).await.unwrap();
            migrator.run(pool).await.unwrap();
        })
        .await;
        assert_eq!(payment.as_deref(), Some("outbox_head"));
    }
}
