//! PostgreSQL form of the outbox and inbox (design §4.1–4.3), used by order and warehouse (outbox) and
//! by order, warehouse and sales-report (`processed_events`).
//!
//! Rows take `created_at` from `clock_timestamp()`, not the transaction's start, so that events written
//! later in one transaction, or by a transaction that waited on the aggregate's lock, sort later.

use std::time::{Duration, Instant};

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

use super::outcome::Outcome;
use super::store::{self, NewRow, OutboxConnection, OutboxRow};
use super::{Backlog, Claim, Envelope, OutboxEntry, CLAIM_BATCH, LIST_LIMIT, SUPERSEDED};

/// The `outbox` table of design §4.1; each producing service copies it into its own migrations.
pub const OUTBOX_SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS outbox (
    id              uuid        PRIMARY KEY,
    event_id        uuid        NOT NULL,
    type            text        NOT NULL,
    aggregate_id    uuid        NOT NULL,
    subscriber      text        NOT NULL,
    payload         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    delivered_at    timestamptz,
    parked_at       timestamptz,
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text,
    CONSTRAINT outbox_event_subscriber_key UNIQUE (event_id, subscriber)
);
CREATE INDEX IF NOT EXISTS outbox_aggregate_idx ON outbox (aggregate_id, subscriber, created_at);
CREATE INDEX IF NOT EXISTS outbox_head_idx ON outbox (aggregate_id, subscriber, created_at, id)
    WHERE delivered_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_due_idx ON outbox (next_attempt_at)
    WHERE delivered_at IS NULL AND parked_at IS NULL;
"#;

/// The consumer's `processed_events` table (design §4.3); each consuming service copies it.
pub const PROCESSED_EVENTS_SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS processed_events (
    id           uuid        PRIMARY KEY,
    type         text        NOT NULL,
    source       text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);
"#;

// `enqueue` and `enqueue_inline` on a `PgConnection`.
store::producer_api!(PgConnection);

impl OutboxConnection for PgConnection {
    async fn waiting(&mut self, aggregate_id: Uuid, subscriber: &str) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE aggregate_id = $1 AND subscriber = $2 AND delivered_at IS NULL)",
        )
        .bind(aggregate_id)
        .bind(subscriber)
        .fetch_one(self)
        .await
    }

    async fn insert(&mut self, row: &NewRow<'_>) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO outbox (id, event_id, type, aggregate_id, subscriber, payload, created_at, next_attempt_at, lease_until)
             SELECT $1, $2, $3, $4, $5, $6, t, t, t + make_interval(secs => $7) FROM (SELECT clock_timestamp() AS t) AS now_",
        )
        .bind(row.id)
        .bind(row.envelope.id)
        .bind(&row.envelope.event_type)
        .bind(row.aggregate_id)
        .bind(row.subscriber)
        .bind(row.envelope.to_json())
        .bind(row.lease.map(|l| l.as_secs_f64()))
        .execute(self)
        .await?;
        Ok(())
    }
}

/// Records `envelope` as processed in the consumer's transaction (design §4.3). False when its id was
/// already processed: the caller then skips the effect and answers [`super::EventResult::Duplicate`].
pub async fn record_processed(
    conn: &mut PgConnection,
    envelope: &Envelope,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO processed_events (id, type, source, processed_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(envelope.id)
    .bind(&envelope.event_type)
    .bind(&envelope.source)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The due rows that head their aggregate's queue, oldest first: whether an older row is waiting is
/// answered from the undelivered rows alone (`outbox_head`), not from the delivered history.
const CLAIM_SQL: &str =
    "SELECT o.id, o.event_id, o.type, o.aggregate_id, o.subscriber, o.payload, o.attempts
     FROM outbox o
     WHERE o.delivered_at IS NULL AND o.parked_at IS NULL AND o.next_attempt_at <= now()
       AND (o.lease_until IS NULL OR o.lease_until < now())
       AND NOT EXISTS (
           SELECT 1 FROM outbox p
           WHERE p.aggregate_id = o.aggregate_id AND p.subscriber = o.subscriber
             AND p.delivered_at IS NULL AND (p.created_at, p.id) < (o.created_at, o.id))
     ORDER BY o.created_at, o.id
     LIMIT $1
     FOR UPDATE OF o SKIP LOCKED";

/// design §4.2 step 1: the oldest due rows that head their aggregate's queue, leased in a short
/// transaction; rows another relay is claiming right now are skipped, not waited for. The older rows of
/// the `supersedable` types are marked first, so their newest row can head its queue in this claim.
pub(crate) async fn claim(
    pool: &PgPool,
    lease: Duration,
    supersedable: &[String],
) -> Result<Claim, sqlx::Error> {
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    let superseded = if supersedable.is_empty() {
        Vec::new()
    } else {
        supersede(&mut tx, supersedable).await?
    };
    let rows = sqlx::query(CLAIM_SQL)
        .bind(CLAIM_BATCH as i64)
        .fetch_all(&mut *tx)
        .await?;
    // The lease starts at the transaction's now(), which is after `started`.
    let rows = store::claimed(&rows, started + lease)?;
    if !rows.is_empty() {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        sqlx::query(
            "UPDATE outbox SET lease_until = now() + make_interval(secs => $1) WHERE id = ANY($2)",
        )
        .bind(lease.as_secs_f64())
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Claim { rows, superseded })
}

/// Marks delivered, as [`SUPERSEDED`], each undelivered row of `types` that is neither parked nor leased
/// and has a newer (in the claim's order) row of its aggregate, subscriber and type that is neither
/// delivered nor parked: a parked row may never be delivered, so it supersedes nothing (and so both sides
/// read the partial due-rows index, not every delivered row). Rows other relays hold locked are skipped,
/// not waited for. Counts per subscriber.
async fn supersede(
    conn: &mut PgConnection,
    types: &[String],
) -> Result<Vec<(String, u64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "WITH stale AS (
             SELECT o.id FROM outbox o
             WHERE o.type = ANY($1) AND o.delivered_at IS NULL AND o.parked_at IS NULL
               AND (o.lease_until IS NULL OR o.lease_until < now())
               AND EXISTS (
                   SELECT 1 FROM outbox n
                   WHERE n.aggregate_id = o.aggregate_id AND n.subscriber = o.subscriber
                     AND n.type = o.type AND n.delivered_at IS NULL AND n.parked_at IS NULL
                     AND (n.created_at, n.id) > (o.created_at, o.id))
             FOR UPDATE OF o SKIP LOCKED),
         marked AS (
             UPDATE outbox SET delivered_at = now(), lease_until = NULL, last_error = $2
             FROM stale WHERE outbox.id = stale.id
             RETURNING outbox.subscriber)
         SELECT subscriber, count(*) FROM marked GROUP BY subscriber",
    )
    .bind(types)
    .bind(SUPERSEDED)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(subscriber, n)| (subscriber, u64::try_from(n).unwrap_or(0)))
        .collect())
}

impl OutboxRow for PgRow {
    fn uuid(&self, column: &str) -> Result<Uuid, sqlx::Error> {
        self.try_get(column)
    }

    fn attempts(&self) -> Result<u32, sqlx::Error> {
        Ok(u32::try_from(self.try_get::<i32, _>("attempts")?).unwrap_or(0))
    }

    fn payload(&self) -> Result<serde_json::Value, sqlx::Error> {
        self.try_get("payload")
    }

    fn age_seconds(&self) -> Result<f64, sqlx::Error> {
        self.try_get("age")
    }
}

/// design §4.2 step 3. A row delivered meanwhile is left alone.
pub(crate) async fn record(pool: &PgPool, id: Uuid, outcome: &Outcome) -> Result<(), sqlx::Error> {
    let query = match outcome {
        Outcome::Delivered => sqlx::query(
            "UPDATE outbox SET delivered_at = now(), lease_until = NULL WHERE id = $1 AND delivered_at IS NULL",
        )
        .bind(id),
        Outcome::Retry { error, delay } => sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2),
                lease_until = NULL, last_error = $3
             WHERE id = $1 AND delivered_at IS NULL",
        )
        .bind(id)
        .bind(delay.as_secs_f64())
        .bind(error),
        Outcome::Park { error } => sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, parked_at = now(), lease_until = NULL, last_error = $2
             WHERE id = $1 AND delivered_at IS NULL",
        )
        .bind(id)
        .bind(error),
    };
    query.execute(pool).await?;
    Ok(())
}

/// Deletes rows delivered more than `retention` ago (design §4.2).
pub(crate) async fn purge_delivered(
    pool: &PgPool,
    retention: Duration,
) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM outbox WHERE delivered_at < now() - make_interval(secs => $1)")
            .bind(retention.as_secs_f64())
            .execute(pool)
            .await?;
    Ok(done.rows_affected())
}

pub(crate) async fn backlog(pool: &PgPool) -> Result<Vec<Backlog>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT subscriber, count(*) AS pending, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age
         FROM outbox WHERE delivered_at IS NULL GROUP BY subscriber",
    )
    .fetch_all(pool)
    .await?;
    store::backlog(&rows)
}

/// [`super::list`] for PostgreSQL.
pub async fn list(pool: &PgPool, parked_only: bool) -> Result<Vec<OutboxEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, event_id, type, aggregate_id, subscriber, created_at, next_attempt_at, lease_until,
                parked_at, attempts, last_error
         FROM outbox WHERE delivered_at IS NULL AND (NOT $1 OR parked_at IS NOT NULL)
         ORDER BY created_at, id LIMIT $2",
    )
    .bind(parked_only)
    .bind(LIST_LIMIT as i64)
    .fetch_all(pool)
    .await?;
    store::entries(&rows)
}

/// [`super::redrive`] for PostgreSQL.
pub async fn redrive(pool: &PgPool, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE outbox SET parked_at = NULL, attempts = 0, next_attempt_at = now()
         WHERE id = $1 AND delivered_at IS NULL",
    )
    .bind(id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use sqlx::migrate::Migrator;
    use test_support::db::{migrations, TestDatabase};
    use test_support::outbox::pg_history;

    use super::*;

    /// The claim's plan over 500 delivered rows (a week of history) and 10 due rows on each of 4
    /// aggregates, in a database made by `schema`.
    async fn claim_plan(schema: impl AsyncFnOnce(&PgPool)) -> String {
        let db = TestDatabase::postgres("outbox_plan").await;
        let pool = PgPool::connect(&db.url).await.unwrap();
        schema(&pool).await;
        let history = pg_history(2000, 40, 4, "warehouse");
        sqlx::raw_sql(&history).execute(&pool).await.unwrap();
        let explain = format!("EXPLAIN (COSTS OFF) {CLAIM_SQL}");
        let plan: Vec<String> = sqlx::query_scalar(&explain)
            .bind(CLAIM_BATCH as i64)
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        plan.join("\n")
    }

    async fn migrate(pool: &PgPool, service: &str) {
        let migrator = Migrator::new(migrations(service)).await.unwrap();
        migrator.run(pool).await.unwrap();
    }

    #[tokio::test]
    async fn the_claim_asks_for_older_rows_only_among_the_undelivered() {
        let fixture = claim_plan(async |pool: &PgPool| {
            sqlx::raw_sql(OUTBOX_SCHEMA).execute(pool).await.unwrap();
        });
        let order = claim_plan(async |pool: &PgPool| migrate(pool, "order").await);
        let warehouse = claim_plan(async |pool: &PgPool| migrate(pool, "warehouse").await);
        for (schema, plan) in [
            ("OUTBOX_SCHEMA", fixture.await),
            ("order", order.await),
            ("warehouse", warehouse.await),
        ] {
            assert!(
                plan.contains("on outbox_head"),
                "{schema}: the claim does not use outbox_head:\n{plan}"
            );
            assert!(
                !plan.contains("Seq Scan"),
                "{schema}: the claim scans the table:\n{plan}"
            );
        }
    }
}
