//! The relay (design §4.2): supersede the older rows of state-carrying types, claim due rows, post them
//! to their subscribers in order, record the outcome; delete old delivered rows hourly; publish the
//! backlog gauges.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::{ClaimedRow, OutboxPool, OutboxSettings, CLAIM_BATCH};

/// Timeout of the inline first attempt (design §4.2).
pub const INLINE_TIMEOUT: Duration = Duration::from_secs(1);
const PURGE_EVERY: Duration = Duration::from_secs(3600);
const METRICS_EVERY: Duration = Duration::from_secs(15);

/// What one cycle (or one inline delivery) did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CycleReport {
    /// Rows leased to this cycle.
    pub claimed: usize,
    /// Rows marked delivered without a post, a newer row of their state-carrying type waiting
    /// ([`Relay::superseding`]).
    pub superseded: usize,
    /// Rows a subscriber accepted (2xx).
    pub delivered: usize,
    /// Rows that failed and will be retried after a backoff.
    pub retried: usize,
    /// Rows parked (400, or the last allowed failure).
    pub parked: usize,
    /// Rows not sent: held back behind a failed row of their aggregate, too little lease left, or
    /// shutting down. Their lease runs out and they return to the pool.
    pub skipped: usize,
}

impl CycleReport {
    pub(super) fn add(&mut self, other: CycleReport) {
        self.delivered += other.delivered;
        self.retried += other.retried;
        self.parked += other.parked;
        self.skipped += other.skipped;
    }
}

/// The outbox relay of one service replica. Cheap to clone: keep a clone to [`Relay::wake`] it after a
/// commit or to [`Relay::deliver_inline`], and move one into [`Relay::run`].
#[derive(Clone)]
pub struct Relay {
    pub(super) pool: OutboxPool,
    pub(super) settings: OutboxSettings,
    pub(super) service_token: Arc<str>,
    pub(super) subscribers: Arc<HashMap<String, String>>,
    /// The state-carrying event types ([`Relay::superseding`]); empty for most relays.
    pub(super) supersedable: Arc<[String]>,
    pub(super) client: reqwest::Client,
    pub(super) wake: Arc<Notify>,
    pub(super) stopping: Arc<AtomicBool>,
}

impl fmt::Debug for Relay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Relay")
            .field("settings", &self.settings)
            .field("subscribers", &self.subscribers)
            .field("supersedable", &self.supersedable)
            .field("service_token", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl Relay {
    /// A relay over `pool`'s `outbox` table. `service_token` is this service's own `SERVICE_TOKEN`, sent
    /// as `X-Service-Token`; `subscribers` maps a subscriber name to its base URL (rows go to
    /// `{base}/internal/events`).
    pub fn new(
        pool: impl Into<OutboxPool>,
        settings: OutboxSettings,
        service_token: impl Into<String>,
        subscribers: HashMap<String, String>,
        client: reqwest::Client,
    ) -> Relay {
        Relay {
            pool: pool.into(),
            settings,
            service_token: service_token.into().into(),
            subscribers: Arc::new(subscribers),
            supersedable: Arc::from([]),
            client,
            wake: Arc::new(Notify::new()),
            stopping: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Declares `types` state-carrying: an event of these types holds its aggregate's whole state and its
    /// subscriber applies only a newer one, so an older undelivered row is worth nothing once a newer one
    /// of the same aggregate, subscriber and type waits. Each claim then marks such older rows delivered
    /// without posting them (`last_error` = [`super::SUPERSEDED`]), unless parked (an operator decides)
    /// or leased (a post may be in flight). Without this call every row is posted.
    pub fn superseding<T: Into<String>>(self, types: impl IntoIterator<Item = T>) -> Relay {
        Relay {
            supersedable: types.into_iter().map(Into::into).collect(),
            ..self
        }
    }

    /// The handle that starts a cycle at once when notified ("right after a local commit").
    pub fn notifier(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Starts a cycle at once (or right after the running one).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs cycles every poll interval and when woken until `shutdown` resolves; then stops claiming,
    /// finishes the posts in flight and returns (design §4.2). Errors are logged, never fatal.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        // Only this loop stops on shutdown, not the clones used for inline deliveries.
        let relay = Relay {
            stopping: Arc::new(AtomicBool::new(false)),
            ..self
        };
        for name in relay.subscribers.keys() {
            metrics::counter!("outbox_parked_total", "subscriber" => name.clone()).increment(0);
            if !relay.supersedable.is_empty() {
                metrics::counter!("outbox_superseded_total", "subscriber" => name.clone())
                    .increment(0);
            }
        }
        tokio::pin!(shutdown);
        let (mut last_purge, mut last_metrics) = (None::<Instant>, None::<Instant>);
        // Claim again at once (not after the poll interval) while a cycle makes progress: a full batch leaves
        // rows behind, and a delivered row lets the next row of its aggregate be claimed. Without this an
        // aggregate's backlog drained one row per poll interval once no commit woke the relay.
        let mut go_again = false;
        loop {
            if !go_again {
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(relay.settings.poll_interval) => {}
                    () = relay.wake.notified() => {}
                }
            }
            if last_purge.is_none_or(|t| t.elapsed() >= PURGE_EVERY) {
                last_purge = Some(Instant::now());
                match relay.purge_delivered().await {
                    Ok(n) => tracing::debug!(deleted = n, "outbox: old delivered rows deleted"),
                    Err(e) => {
                        tracing::warn!(error = %e, "outbox: deleting old delivered rows failed")
                    }
                }
            }
            if last_metrics.is_none_or(|t| t.elapsed() >= METRICS_EVERY) {
                last_metrics = Some(Instant::now());
                if let Err(e) = relay.refresh_metrics().await {
                    tracing::warn!(error = %e, "outbox: reading the backlog failed");
                }
            }
            let cycle = relay.run_once();
            tokio::pin!(cycle);
            let (result, stop) = tokio::select! {
                r = &mut cycle => (r, false),
                () = &mut shutdown => {
                    relay.stopping.store(true, Ordering::SeqCst);
                    (cycle.await, true)
                }
            };
            match result {
                Ok(report) => go_again = report.claimed == CLAIM_BATCH || report.delivered > 0,
                Err(e) => {
                    go_again = false;
                    tracing::warn!(error = %e, "outbox: relay cycle failed");
                }
            }
            if stop {
                break;
            }
        }
        tracing::info!("outbox relay stopped");
    }

    /// One claim, post and record cycle (design §4.2 steps 1–3), superseding first.
    pub async fn run_once(&self) -> Result<CycleReport, sqlx::Error> {
        if self.stopping.load(Ordering::SeqCst) {
            return Ok(CycleReport::default());
        }
        let claim = self.pool.claim(&self.settings, &self.supersedable).await?;
        let mut superseded = 0;
        for (subscriber, n) in claim.superseded {
            tracing::debug!(subscriber = %subscriber, rows = n, "outbox: older rows superseded");
            metrics::counter!("outbox_superseded_total", "subscriber" => subscriber).increment(n);
            superseded += n as usize;
        }
        let report = self
            .post_all(claim.rows, self.settings.http_timeout)
            .await?;
        Ok(CycleReport {
            superseded,
            ..report
        })
    }

    /// Posts rows leased by an inline insert right after the producer's commit, with a 1 s timeout, and
    /// records the outcome; on failure the relay retries them (design §4.2 "inline first attempt").
    pub async fn deliver_inline(&self, rows: Vec<ClaimedRow>) -> Result<CycleReport, sqlx::Error> {
        self.post_all(rows, INLINE_TIMEOUT).await
    }

    /// Deletes delivered rows older than the retention (design §4.2; [`Relay::run`] calls it hourly).
    pub async fn purge_delivered(&self) -> Result<u64, sqlx::Error> {
        self.pool.purge_delivered(&self.settings).await
    }

    /// Sets `outbox_pending{subscriber}` and `outbox_oldest_pending_age_seconds{subscriber}`, parked rows
    /// included (design §4.2 metrics); [`Relay::run`] calls it every 15 s.
    pub async fn refresh_metrics(&self) -> Result<(), sqlx::Error> {
        let backlog = self.pool.backlog().await?;
        let idle = self
            .subscribers
            .keys()
            .filter(|name| !backlog.iter().any(|b| &b.subscriber == *name));
        let zeros: Vec<(String, u64, f64)> = idle.map(|name| (name.clone(), 0, 0.0)).collect();
        let all = backlog
            .into_iter()
            .map(|b| (b.subscriber, b.pending, b.oldest_age_seconds))
            .chain(zeros);
        for (subscriber, pending, age) in all {
            metrics::gauge!("outbox_pending", "subscriber" => subscriber.clone())
                .set(pending as f64);
            metrics::gauge!("outbox_oldest_pending_age_seconds", "subscriber" => subscriber)
                .set(age);
        }
        Ok(())
    }
}
