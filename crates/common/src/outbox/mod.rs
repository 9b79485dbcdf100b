//! Transactional outbox relay and idempotent consumer (design §4).
//!
//! A producer writes its event rows with [`pg::enqueue`] or [`mysql::enqueue`] in the same transaction
//! as the state change; a [`Relay`] on every replica claims due rows under a lease and posts them to
//! `{subscriber}/internal/events`, keeping one aggregate's events in order per subscriber. A consumer
//! guards its effect with [`pg::record_processed`] or [`mysql::record_processed`] and answers an
//! [`EventResponse`]. [`list`] and [`redrive`] back the `<service> outbox list|redrive` subcommands.
//!
//! A relay may name state-carrying event types ([`Relay::superseding`]; warehouse: `stock.changed`): each
//! such event holds its aggregate's whole state and its consumer applies only a newer one, so posting the
//! older undelivered rows of a backlog changes nothing. Each claim then first marks those rows delivered
//! with `last_error` = [`SUPERSEDED`] (no post), when a newer row of the same aggregate, subscriber and
//! type waits (neither delivered nor parked); parked rows and rows under a lease are left alone. This
//! departs from design §4.2, which posts every row (bench/RESULTS.md, issue 14). Superseded rows count as
//! delivered everywhere: not listed, not pending, purged after the retention; the counter
//! `outbox_superseded_total{subscriber}` counts them.
//!
//! `processed_events` is `(id, type, source, processed_at)` (warehouse.md §4.7), the one fleet-wide form:
//! every consumer's migration uses it. The order, cart and sales-report API documents name its columns
//! differently (`event_id`; cart and sales-report also `event_type`; no `source`): the code follows
//! this form, not theirs.
//!
//! `pg.rs` and `mysql.rs` hold each database's SQL and how its driver binds and decodes values;
//! what both do alike (the producer's insert loop, the inline lease choice, row mapping) is in `store.rs`.

mod delivery;
mod envelope;
pub mod mysql;
mod outcome;
pub mod pg;
mod relay;
mod settings;
mod store;

use std::time::Instant;

use chrono::{DateTime, Utc};
use sqlx::{MySqlPool, PgPool};
use uuid::Uuid;

pub use envelope::{Envelope, EventResponse, EventResult};
pub use outcome::{retry_delay, LAST_ERROR_MAX_CHARS};
pub use relay::{CycleReport, Relay, INLINE_TIMEOUT};
pub use settings::{OutboxSettings, SettingsError};

use outcome::Outcome;

/// Rows claimed per cycle (design §4.2 step 1: `LIMIT 50`).
pub const CLAIM_BATCH: usize = 50;

/// `last_error` of a row marked delivered without a post because a newer row of its state-carrying type
/// was waiting ([`Relay::superseding`]).
pub const SUPERSEDED: &str = "superseded";

/// Rows shown by [`list`] at most.
pub const LIST_LIMIT: usize = 1000;

/// The database holding a service's `outbox` table.
#[derive(Debug, Clone)]
pub enum OutboxPool {
    /// order, warehouse.
    Postgres(PgPool),
    /// payment.
    MySql(MySqlPool),
}

impl From<PgPool> for OutboxPool {
    fn from(pool: PgPool) -> Self {
        OutboxPool::Postgres(pool)
    }
}

impl From<MySqlPool> for OutboxPool {
    fn from(pool: MySqlPool) -> Self {
        OutboxPool::MySql(pool)
    }
}

/// A row leased to this process and ready to post: by the relay's claim, or by an inline insert
/// ([`pg::enqueue_inline`], [`mysql::enqueue_inline`]).
#[derive(Debug, Clone)]
pub struct ClaimedRow {
    /// The outbox row id.
    pub id: Uuid,
    /// The envelope id.
    pub event_id: Uuid,
    /// The envelope type.
    pub event_type: String,
    /// The ordering key.
    pub aggregate_id: Uuid,
    /// The consumer's service name.
    pub subscriber: String,
    /// The full envelope, posted as is.
    pub payload: serde_json::Value,
    /// Failed attempts so far.
    pub attempts: u32,
    /// A local instant no later than the lease's end in the database (design §4.2 step 2).
    pub(crate) lease_deadline: Instant,
}

/// What one claim did.
#[derive(Debug, Default)]
pub(crate) struct Claim {
    /// The rows leased to this cycle.
    pub rows: Vec<ClaimedRow>,
    /// Rows marked [`SUPERSEDED`], per subscriber.
    pub superseded: Vec<(String, u64)>,
}

/// One undelivered row, as `<service> outbox list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The outbox row id (what `redrive` takes).
    pub id: Uuid,
    /// The envelope id.
    pub event_id: Uuid,
    /// The envelope type.
    pub event_type: String,
    /// The ordering key.
    pub aggregate_id: Uuid,
    /// The consumer's service name.
    pub subscriber: String,
    /// When the row was written.
    pub created_at: DateTime<Utc>,
    /// When the relay may try it next.
    pub next_attempt_at: DateTime<Utc>,
    /// Set while a relay holds it.
    pub lease_until: Option<DateTime<Utc>>,
    /// Set once parked; it then waits for a redrive.
    pub parked_at: Option<DateTime<Utc>>,
    /// Failed attempts so far.
    pub attempts: u32,
    /// The last status or transport error.
    pub last_error: Option<String>,
}

/// The undelivered backlog of one subscriber, parked rows included (design §4.2 metrics).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Backlog {
    pub subscriber: String,
    pub pending: u64,
    pub oldest_age_seconds: f64,
}

/// Undelivered rows, oldest first (at most [`LIST_LIMIT`]); only parked ones with `parked_only`.
pub async fn list(pool: &OutboxPool, parked_only: bool) -> Result<Vec<OutboxEntry>, sqlx::Error> {
    match pool {
        OutboxPool::Postgres(p) => pg::list(p, parked_only).await,
        OutboxPool::MySql(p) => mysql::list(p, parked_only).await,
    }
}

/// Makes an undelivered row due now: clears `parked_at`, `attempts = 0`, `next_attempt_at = now()`
/// (design §4.2). False when no undelivered row has this id.
pub async fn redrive(pool: &OutboxPool, id: Uuid) -> Result<bool, sqlx::Error> {
    match pool {
        OutboxPool::Postgres(p) => pg::redrive(p, id).await,
        OutboxPool::MySql(p) => mysql::redrive(p, id).await,
    }
}

impl OutboxPool {
    /// design §4.2 step 1, after superseding the older undelivered rows of the `supersedable` types.
    async fn claim(
        &self,
        settings: &OutboxSettings,
        supersedable: &[String],
    ) -> Result<Claim, sqlx::Error> {
        match self {
            OutboxPool::Postgres(p) => pg::claim(p, settings.lease, supersedable).await,
            OutboxPool::MySql(p) => mysql::claim(p, settings.lease, supersedable).await,
        }
    }

    async fn record(&self, id: Uuid, outcome: &Outcome) -> Result<(), sqlx::Error> {
        match self {
            OutboxPool::Postgres(p) => pg::record(p, id, outcome).await,
            OutboxPool::MySql(p) => mysql::record(p, id, outcome).await,
        }
    }

    async fn purge_delivered(&self, settings: &OutboxSettings) -> Result<u64, sqlx::Error> {
        match self {
            OutboxPool::Postgres(p) => pg::purge_delivered(p, settings.retention).await,
            OutboxPool::MySql(p) => mysql::purge_delivered(p, settings.retention).await,
        }
    }

    async fn backlog(&self) -> Result<Vec<Backlog>, sqlx::Error> {
        match self {
            OutboxPool::Postgres(p) => pg::backlog(p).await,
            OutboxPool::MySql(p) => mysql::backlog(p).await,
        }
    }
}
