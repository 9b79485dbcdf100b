//! `bench outbox-claim [--history N] [--due N] [--cycles N]`: the relay's claim cycle (design §4.2) over a
//! long delivered history, on the outboxes that the order (PostgreSQL) and payment (MariaDB) migrations
//! make, as migrated and then without their `outbox_head` index. Delivered rows stay for
//! `OUTBOX_RETENTION_HOURS` (a week), so `--history` stands for a week of events.

use std::collections::HashMap;
use std::time::Instant;

use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use eshop_common::outbox::{OutboxPool, OutboxSettings, Relay};
use sqlx::migrate::{Migrate, Migrator};
use sqlx::{Database, Executor, MySqlPool, PgPool, Pool};
use test_support::db::{migrations, TestDatabase};
use test_support::outbox::{mysql_history, pg_history};

/// Aggregates the rows are spread over: a claim takes at most one row (its head) from each.
pub const AGGREGATES: u32 = 50;

#[derive(Debug, Clone, Copy)]
pub struct ClaimOptions {
    /// Delivered rows, spread over [`AGGREGATES`].
    pub history: u32,
    /// Undelivered rows due now, spread the same way.
    pub due: u32,
    /// Cycles timed per engine and index state.
    pub cycles: u32,
}

/// The cycles of one engine with or without the index.
#[derive(Debug)]
pub struct ClaimFigure {
    pub engine: &'static str,
    pub indexed: bool,
    /// Wall time of each cycle (claim, post to a local sink, record), in ms.
    pub cycle_ms: Vec<f64>,
    /// Rows the subscriber accepted over the cycles.
    pub delivered: usize,
}

impl ClaimFigure {
    pub fn median_ms(&self) -> f64 {
        let mut ms = self.cycle_ms.clone();
        ms.sort_by(f64::total_cmp);
        ms.get(ms.len() / 2).copied().unwrap_or(f64::NAN)
    }
}

/// A subscriber that accepts every event.
async fn sink() -> anyhow::Result<String> {
    let app = Router::new().route(
        "/internal/events",
        post(|| async { StatusCode::NO_CONTENT }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

async fn cycles(
    engine: &'static str,
    indexed: bool,
    pool: OutboxPool,
    sink: &str,
    opts: ClaimOptions,
) -> anyhow::Result<ClaimFigure> {
    let subscribers = HashMap::from([("sink".to_owned(), sink.to_owned())]);
    let relay = Relay::new(
        pool,
        OutboxSettings::default(),
        "bench-token",
        subscribers,
        reqwest::Client::new(),
    );
    let mut figure = ClaimFigure {
        engine,
        indexed,
        cycle_ms: Vec::new(),
        delivered: 0,
    };
    for _ in 0..opts.cycles {
        let start = Instant::now();
        let report = relay.run_once().await?;
        figure.cycle_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        figure.delivered += report.delivered;
    }
    Ok(figure)
}

/// PostgreSQL with order's migrations, then MariaDB with payment's; each timed as migrated, then again
/// after dropping `outbox_head`.
pub async fn claim_bench(opts: ClaimOptions) -> anyhow::Result<Vec<ClaimFigure>> {
    let sink = sink().await?;
    let (delivered, due) = (opts.history, opts.due);
    let postgres = Engine {
        name: "postgres",
        service: "order",
        history: pg_history(delivered, due, AGGREGATES, "sink"),
        drop_index: "DROP INDEX outbox_head; ANALYZE outbox;",
    };
    let mariadb = Engine {
        name: "mariadb",
        service: "payment",
        history: mysql_history(delivered, due, AGGREGATES, "sink"),
        drop_index: "ALTER TABLE outbox DROP KEY outbox_head; ANALYZE TABLE outbox;",
    };
    let db = TestDatabase::postgres("bench_outbox").await;
    let pool = PgPool::connect(&db.url).await?;
    let [pg_indexed, pg_dropped] = postgres.measure(pool, &sink, opts).await?;
    let db = TestDatabase::mysql("bench_outbox").await;
    let pool = MySqlPool::connect(&db.url).await?;
    let [my_indexed, my_dropped] = mariadb.measure(pool, &sink, opts).await?;
    Ok(vec![pg_indexed, pg_dropped, my_indexed, my_dropped])
}

/// One engine's outbox: the service whose migrations make it, the history put in, and how the index goes.
struct Engine {
    name: &'static str,
    service: &'static str,
    history: String,
    drop_index: &'static str,
}

impl Engine {
    /// Migrates and fills `pool`'s empty database, then times the cycles with and without `outbox_head`.
    async fn measure<DB>(
        &self,
        pool: Pool<DB>,
        sink: &str,
        opts: ClaimOptions,
    ) -> anyhow::Result<[ClaimFigure; 2]>
    where
        DB: Database,
        DB::Connection: Migrate,
        OutboxPool: From<Pool<DB>>,
        for<'c> &'c Pool<DB>: Executor<'c, Database = DB>,
    {
        Migrator::new(migrations(self.service))
            .await?
            .run(&pool)
            .await?;
        sqlx::raw_sql(&self.history).execute(&pool).await?;
        let indexed = cycles(self.name, true, pool.clone().into(), sink, opts).await?;
        sqlx::raw_sql(self.drop_index).execute(&pool).await?;
        let dropped = cycles(self.name, false, pool.clone().into(), sink, opts).await?;
        pool.close().await;
        Ok([indexed, dropped])
    }
}

/// The figures as a markdown table.
pub fn markdown(opts: ClaimOptions, figures: &[ClaimFigure]) -> String {
    let mut text = format!(
        "outbox claim: {} delivered rows and {} due rows over {AGGREGATES} aggregates, {} cycles each\n\n\
         | engine | outbox_head | cycle median | cycles (ms) | rows delivered |\n|---|---|---|---|---|\n",
        opts.history, opts.due, opts.cycles
    );
    for f in figures {
        let each: Vec<String> = f.cycle_ms.iter().map(|ms| format!("{ms:.1}")).collect();
        text.push_str(&format!(
            "| {} | {} | {:.1} ms | {} | {} |\n",
            f.engine,
            if f.indexed { "yes" } else { "dropped" },
            f.median_ms(),
            each.join(" / "),
            f.delivered
        ));
    }
    text
}
