//! `bench outbox-claim [--history N] [--due N] [--cycles N]`: the relay's claim cycle (design §4.2) over a
//! long delivered history, on the outboxes that the order (PostgreSQL) and payment (MariaDB) migrations
//! make, as migrated and then without their `outbox_head` index. Delivered rows stay for
//! `OUTBOX_RETENTION_HOURS` (a week), so `--history` stands for a week of events.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use eshop_common::outbox::{OutboxPool, OutboxSettings, Relay};
use sqlx::migrate::Migrator;
use sqlx::{MySqlPool, PgPool};
use test_support::db::TestDatabase;

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

/// One engine's seeding SQL: `history` delivered rows and then `due` due rows, oldest first, the row
/// number `i` giving the aggregate (`i % AGGREGATES`) and the age.
fn seed_sql(engine: &str, opts: ClaimOptions) -> String {
    let total = opts.history + opts.due;
    let (history, n) = (opts.history, AGGREGATES);
    if engine == "postgres" {
        format!(
            "INSERT INTO outbox (id, event_id, type, aggregate_id, subscriber, payload, created_at, next_attempt_at, delivered_at)
             SELECT gen_random_uuid(), gen_random_uuid(), 'order.status_changed',
                    ('00000000-0000-0000-0000-' || lpad((i % {n})::text, 12, '0'))::uuid, 'sink', '{{}}',
                    now() - make_interval(secs => {total} - i), now() - make_interval(secs => {total} - i),
                    CASE WHEN i <= {history} THEN now() END
             FROM generate_series(1, {total}) AS i;
             ANALYZE outbox;"
        )
    } else {
        format!(
            "SET SESSION max_recursive_iterations = {total};
             INSERT INTO outbox (id, event_id, type, aggregate_id, subscriber, payload, created_at, next_attempt_at, delivered_at)
             WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {total})
             SELECT UUID(), UUID(), 'payment.submitted', CONCAT('00000000-0000-0000-0000-', LPAD(i % {n}, 12, '0')),
                    'sink', '{{}}', UTC_TIMESTAMP(6) - INTERVAL ({total} - i) SECOND,
                    UTC_TIMESTAMP(6) - INTERVAL ({total} - i) SECOND, IF(i <= {history}, UTC_TIMESTAMP(6), NULL)
             FROM n;
             ANALYZE TABLE outbox;"
        )
    }
}

fn migrations(service: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(service)
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
    let mut out = Vec::new();

    let db = TestDatabase::postgres("bench_outbox").await;
    let pool = PgPool::connect(&db.url).await?;
    Migrator::new(migrations("order")).await?.run(&pool).await?;
    sqlx::raw_sql(&seed_sql("postgres", opts))
        .execute(&pool)
        .await?;
    out.push(cycles("postgres", true, pool.clone().into(), &sink, opts).await?);
    sqlx::raw_sql("DROP INDEX outbox_head; ANALYZE outbox;")
        .execute(&pool)
        .await?;
    out.push(cycles("postgres", false, pool.clone().into(), &sink, opts).await?);
    pool.close().await;

    let db = TestDatabase::mysql("bench_outbox").await;
    let pool = MySqlPool::connect(&db.url).await?;
    Migrator::new(migrations("payment"))
        .await?
        .run(&pool)
        .await?;
    sqlx::raw_sql(&seed_sql("mariadb", opts))
        .execute(&pool)
        .await?;
    out.push(cycles("mariadb", true, pool.clone().into(), &sink, opts).await?);
    sqlx::raw_sql("ALTER TABLE outbox DROP KEY outbox_head; ANALYZE TABLE outbox;")
        .execute(&pool)
        .await?;
    out.push(cycles("mariadb", false, pool.clone().into(), &sink, opts).await?);
    pool.close().await;
    Ok(out)
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
