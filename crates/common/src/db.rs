//! Connection pools for the SQL services. Pools connect lazily, so a service starts (and `/ready` says 503)
//! while its database is down, and recovers without a restart.

use std::time::Duration;

use sqlx::mysql::MySqlPoolOptions;
use sqlx::postgres::PgPoolOptions;
use sqlx::{MySqlPool, PgPool};

use crate::config::ConfigError;
use crate::server::{ready_check, ReadyCheck};

pub fn postgres_pool(url: &str, max: u32) -> Result<PgPool, ConfigError> {
    PgPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(3))
        .connect_lazy(url)
        .map_err(|_| ConfigError::new("DATABASE_URL", "is not a valid PostgreSQL URL"))
}

pub fn mysql_pool(url: &str, max: u32) -> Result<MySqlPool, ConfigError> {
    mysql_pool_with(url, max, false)
}

/// A MySQL pool whose sessions default to READ COMMITTED: no gap locks, so writers of unrelated rows that
/// fall into one index gap do not deadlock on insert. For services that serialise their writers on a row
/// lock of their own (cart, api/cart.md §6.2); a transaction that needs one snapshot for several reads
/// asks for REPEATABLE READ itself.
pub fn mysql_pool_read_committed(url: &str, max: u32) -> Result<MySqlPool, ConfigError> {
    mysql_pool_with(url, max, true)
}

fn mysql_pool_with(url: &str, max: u32, read_committed: bool) -> Result<MySqlPool, ConfigError> {
    MySqlPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(3))
        // Every timestamp is UTC on the wire and in the database.
        .after_connect(move |conn, _| {
            Box::pin(async move {
                sqlx::Executor::execute(&mut *conn, "SET time_zone = '+00:00'").await?;
                if read_committed {
                    sqlx::Executor::execute(
                        &mut *conn,
                        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect_lazy(url)
        .map_err(|_| ConfigError::new("DATABASE_URL", "is not a valid MySQL URL"))
}

/// `?, ?, …`: the placeholders of a MySQL `IN (…)` list of `n` items.
pub fn mysql_marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// `SELECT 1` within a second: the readiness probe of a SQL store.
pub async fn ping_postgres(pool: &PgPool) -> bool {
    matches!(
        tokio::time::timeout(
            Duration::from_secs(1),
            sqlx::query("SELECT 1").execute(pool)
        )
        .await,
        Ok(Ok(_))
    )
}

pub async fn ping_mysql(pool: &MySqlPool) -> bool {
    matches!(
        tokio::time::timeout(
            Duration::from_secs(1),
            sqlx::query("SELECT 1").execute(pool)
        )
        .await,
        Ok(Ok(_))
    )
}

/// The readiness probe of a service whose store is `pool`.
pub fn postgres_ready(pool: PgPool) -> ReadyCheck {
    ready_check(move || {
        let pool = pool.clone();
        async move { ping_postgres(&pool).await }
    })
}

pub fn mysql_ready(pool: MySqlPool) -> ReadyCheck {
    ready_check(move || {
        let pool = pool.clone();
        async move { ping_mysql(&pool).await }
    })
}
