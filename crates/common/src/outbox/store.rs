//! What the PostgreSQL and MySQL stores share (design §4.1–4.2): writing a producer's rows and choosing
//! which to lease for an inline first attempt, and turning the rows a driver reads into [`ClaimedRow`],
//! [`OutboxEntry`] and [`Backlog`]. `pg.rs` and `mysql.rs` keep only their SQL text and how their driver
//! binds and decodes values ([`OutboxConnection`], [`OutboxRow`]).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Decode, Row, Type};
use uuid::Uuid;

use super::{Backlog, ClaimedRow, Envelope, OutboxEntry};

/// One outbox row to insert (design §4.1).
pub(super) struct NewRow<'a> {
    pub id: Uuid,
    pub envelope: &'a Envelope,
    pub aggregate_id: Uuid,
    pub subscriber: &'a str,
    /// `Some` for an inline first attempt: `lease_until` = the insert's time + this.
    pub lease: Option<Duration>,
}

/// A producer's connection, inside its transaction, as one driver writes the outbox.
pub(super) trait OutboxConnection {
    /// Whether an undelivered row of `aggregate_id` already waits for `subscriber`.
    async fn waiting(&mut self, aggregate_id: Uuid, subscriber: &str) -> Result<bool, sqlx::Error>;

    /// Inserts `row` with `created_at` and `next_attempt_at` at the database's current time.
    async fn insert(&mut self, row: &NewRow<'_>) -> Result<(), sqlx::Error>;
}

/// Defines a driver's public `enqueue` and `enqueue_inline` on its connection type `$conn` (the
/// callers pass `&mut tx` of their own transaction, which derefs to it).
macro_rules! producer_api {
    ($conn:ty) => {
        /// Writes one outbox row per subscriber for `envelope` in the caller's transaction (design
        /// §4.1). The caller should notify its [`super::Relay`] after the commit.
        pub async fn enqueue(
            conn: &mut $conn,
            envelope: &super::Envelope,
            aggregate_id: uuid::Uuid,
            subscribers: &[&str],
        ) -> Result<(), sqlx::Error> {
            super::store::enqueue(conn, envelope, aggregate_id, subscribers).await
        }

        /// Like [`enqueue`], but leases for an inline first attempt (design §4.2) the rows of
        /// subscribers that have no undelivered row of this aggregate, and returns them. After the
        /// commit, pass them to [`super::Relay::deliver_inline`]; if the transaction rolls back, drop
        /// them. Concurrent writers of one aggregate must already be serialised by the caller (e.g. a
        /// lock on the aggregate's row).
        pub async fn enqueue_inline(
            conn: &mut $conn,
            envelope: &super::Envelope,
            aggregate_id: uuid::Uuid,
            subscribers: &[&str],
            lease: std::time::Duration,
        ) -> Result<Vec<super::ClaimedRow>, sqlx::Error> {
            super::store::enqueue_inline(conn, envelope, aggregate_id, subscribers, lease).await
        }
    };
}
pub(super) use producer_api;

/// [`enqueue`](super::pg::enqueue): one row per subscriber.
pub(super) async fn enqueue(
    conn: &mut impl OutboxConnection,
    envelope: &Envelope,
    aggregate_id: Uuid,
    subscribers: &[&str],
) -> Result<(), sqlx::Error> {
    for &subscriber in subscribers {
        let row = NewRow {
            id: Uuid::now_v7(),
            envelope,
            aggregate_id,
            subscriber,
            lease: None,
        };
        conn.insert(&row).await?;
    }
    Ok(())
}

/// [`enqueue_inline`](super::pg::enqueue_inline): the rows of subscribers with no undelivered row of
/// this aggregate are inserted leased and returned (design §4.2 "inline first attempt").
pub(super) async fn enqueue_inline(
    conn: &mut impl OutboxConnection,
    envelope: &Envelope,
    aggregate_id: Uuid,
    subscribers: &[&str],
    lease: Duration,
) -> Result<Vec<ClaimedRow>, sqlx::Error> {
    // The lease starts at the insert's database time, which is after `started`.
    let started = Instant::now();
    let mut claimed = Vec::new();
    for &subscriber in subscribers {
        let waiting = conn.waiting(aggregate_id, subscriber).await?;
        let row = NewRow {
            id: Uuid::now_v7(),
            envelope,
            aggregate_id,
            subscriber,
            lease: (!waiting).then_some(lease),
        };
        conn.insert(&row).await?;
        if !waiting {
            claimed.push(ClaimedRow {
                id: row.id,
                event_id: envelope.id,
                event_type: envelope.event_type.clone(),
                aggregate_id,
                subscriber: subscriber.to_string(),
                payload: envelope.to_json(),
                attempts: 0,
                lease_deadline: started + lease,
            });
        }
    }
    Ok(claimed)
}

/// A row read from `outbox`, decoding the columns whose SQL type differs by driver; text and time
/// columns are read alike.
pub(super) trait OutboxRow: Row {
    /// A `uuid` (PostgreSQL) or `CHAR(36)` (MySQL) column.
    fn uuid(&self, column: &str) -> Result<Uuid, sqlx::Error>;

    /// The `attempts` column.
    fn attempts(&self) -> Result<u32, sqlx::Error>;

    /// The `payload` column.
    fn payload(&self) -> Result<serde_json::Value, sqlx::Error>;

    /// The backlog query's `age` column, in seconds.
    fn age_seconds(&self) -> Result<f64, sqlx::Error>;
}

/// The rows of a claim (`id, event_id, type, aggregate_id, subscriber, payload, attempts`), all leased
/// until no later than `lease_deadline`.
pub(super) fn claimed<R>(
    rows: &[R],
    lease_deadline: Instant,
) -> Result<Vec<ClaimedRow>, sqlx::Error>
where
    R: OutboxRow,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
{
    rows.iter()
        .map(|r| {
            Ok(ClaimedRow {
                id: r.uuid("id")?,
                event_id: r.uuid("event_id")?,
                event_type: r.try_get("type")?,
                aggregate_id: r.uuid("aggregate_id")?,
                subscriber: r.try_get("subscriber")?,
                payload: r.payload()?,
                attempts: r.attempts()?,
                lease_deadline,
            })
        })
        .collect()
}

/// The rows of a list query (every column but `payload` and `delivered_at`).
pub(super) fn entries<R>(rows: &[R]) -> Result<Vec<OutboxEntry>, sqlx::Error>
where
    R: OutboxRow,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    rows.iter()
        .map(|r| {
            Ok(OutboxEntry {
                id: r.uuid("id")?,
                event_id: r.uuid("event_id")?,
                event_type: r.try_get("type")?,
                aggregate_id: r.uuid("aggregate_id")?,
                subscriber: r.try_get("subscriber")?,
                created_at: r.try_get("created_at")?,
                next_attempt_at: r.try_get("next_attempt_at")?,
                lease_until: r.try_get("lease_until")?,
                parked_at: r.try_get("parked_at")?,
                attempts: r.attempts()?,
                last_error: r.try_get("last_error")?,
            })
        })
        .collect()
}

/// The rows of a backlog query (`subscriber, pending, age`); a negative age (clock step) counts as 0.
pub(super) fn backlog<R>(rows: &[R]) -> Result<Vec<Backlog>, sqlx::Error>
where
    R: OutboxRow,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
{
    rows.iter()
        .map(|r| {
            Ok(Backlog {
                subscriber: r.try_get("subscriber")?,
                pending: u64::try_from(r.try_get::<i64, _>("pending")?).unwrap_or(0),
                oldest_age_seconds: r.age_seconds()?.max(0.0),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{mysql, pg};
    use super::*;

    /// Services call the producer API from axum handlers and spawned tasks, whose futures must be
    /// `Send`; the futures of [`OutboxConnection`]'s methods are only known to be through their impls.
    #[allow(dead_code, clippy::let_underscore_future)]
    fn producer_futures_are_send(p: &mut sqlx::PgConnection, m: &mut sqlx::MySqlConnection) {
        fn send<T: Send>(_: T) {}
        let e = Envelope::new("t", "s", serde_json::Value::Null);
        send(pg::enqueue(p, &e, Uuid::nil(), &[]));
        send(pg::enqueue_inline(p, &e, Uuid::nil(), &[], Duration::ZERO));
        send(mysql::enqueue(m, &e, Uuid::nil(), &[]));
        send(mysql::enqueue_inline(
            m,
            &e,
            Uuid::nil(),
            &[],
            Duration::ZERO,
        ));
    }
}
