//! The DynamoDB outbox relay (contract: api/product.md §4.4; design §4.2 without per-aggregate order): every
//! `OUTBOX_POLL_INTERVAL_MS` and right after a local commit it queries `pending-index`, claims each due item
//! under a lease, posts it to every target still owed, and records the outcome.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_dynamodb::Client;
use eshop_common::client::ServiceClient;
use eshop_common::outbox::retry_delay;
use futures::StreamExt;
use reqwest::Method;
use secrecy::SecretString;
use tokio::sync::{watch, Notify};

use crate::config::RelaySettings;
use crate::store::outbox::{self, OutboxRow, Record};
use crate::store::StoreError;

/// Items delivered side by side in one cycle.
const PARALLEL_ITEMS: usize = 8;

/// One replica's relay. Cheap to clone.
#[derive(Clone)]
pub struct Relay {
    dynamodb: Client,
    table: String,
    client: ServiceClient,
    subscribers: Arc<HashMap<String, String>>,
    settings: RelaySettings,
    /// This replica's lease owner id.
    owner: String,
    wake: Arc<Notify>,
}

/// How one POST ended.
enum Attempt {
    Delivered,
    BadRequest(String),
    Failed(String),
}

impl Relay {
    pub fn new(dynamodb: Client, table: &str, settings: RelaySettings) -> Relay {
        let client = ServiceClient::new(
            SecretString::from(settings.service_token.clone()),
            settings.outbox.http_timeout,
        );
        let subscribers = HashMap::from([
            ("cart".to_string(), settings.cart_url.clone()),
            ("warehouse".to_string(), settings.warehouse_url.clone()),
        ]);
        Relay {
            dynamodb,
            table: table.to_string(),
            client,
            subscribers: Arc::new(subscribers),
            settings,
            owner: uuid::Uuid::new_v4().to_string(),
            wake: Arc::new(Notify::new()),
        }
    }

    /// Asks for a cycle now (after a local commit).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs cycles until `stop` fires or its sender is gone (the app was dropped).
    pub fn spawn(self, mut stop: watch::Receiver<bool>) {
        tokio::spawn(async move {
            loop {
                if let Err(e) = self.cycle().await {
                    tracing::warn!(error = ?e, "outbox relay cycle failed");
                }
                tokio::select! {
                    _ = tokio::time::sleep(self.settings.outbox.poll_interval) => {}
                    _ = self.wake.notified() => {}
                    changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
                }
            }
            tracing::debug!("outbox relay stopped");
        });
    }

    /// One pass over the due items; answers how many were claimed.
    pub async fn cycle(&self) -> Result<usize, StoreError> {
        let rows = outbox::pending(&self.dynamodb, &self.table).await?;
        self.report_backlog(&rows);
        let now = chrono::Utc::now().timestamp_millis();
        let due: Vec<OutboxRow> = rows
            .into_iter()
            .filter(|r| r.next_attempt_at <= now && r.lease_until.is_none_or(|l| l < now))
            .collect();
        let results: Vec<Result<bool, StoreError>> = futures::stream::iter(due)
            .map(|row| self.deliver(row))
            .buffer_unordered(PARALLEL_ITEMS)
            .collect()
            .await;
        let mut claimed = 0;
        for result in results {
            if result? {
                claimed += 1;
            }
        }
        Ok(claimed)
    }

    /// design §4.2 metrics: `outbox_pending{subscriber}` and `outbox_oldest_pending_age_seconds{subscriber}`
    /// of the items still owed (parked items are counted by `outbox_parked_total` when they park).
    fn report_backlog(&self, rows: &[OutboxRow]) {
        let now = chrono::Utc::now();
        for subscriber in self.subscribers.keys() {
            let owed: Vec<&OutboxRow> = rows
                .iter()
                .filter(|r| r.targets.iter().any(|t| t == subscriber))
                .collect();
            let oldest = owed
                .iter()
                .filter_map(|r| chrono::DateTime::parse_from_rfc3339(&r.occurred_at).ok())
                .map(|at| (now - at.with_timezone(&chrono::Utc)).num_milliseconds() as f64 / 1000.0)
                .fold(0.0, f64::max);
            let label = subscriber.clone();
            metrics::gauge!("outbox_pending", "subscriber" => label.clone()).set(owed.len() as f64);
            metrics::gauge!("outbox_oldest_pending_age_seconds", "subscriber" => label).set(oldest);
        }
    }

    /// Claims one item and posts it to its remaining targets; false when another relay has it.
    async fn deliver(&self, row: OutboxRow) -> Result<bool, StoreError> {
        let now = chrono::Utc::now().timestamp_millis();
        let lease = self.settings.outbox.lease.as_millis() as i64;
        let Some(row) = outbox::claim(
            &self.dynamodb,
            &self.table,
            &row.id,
            &self.owner,
            now,
            now + lease,
        )
        .await?
        else {
            return Ok(false);
        };
        let envelope: serde_json::Value = serde_json::from_str(&row.envelope)
            .unwrap_or_else(|_| serde_json::Value::String(row.envelope.clone()));
        let attempts =
            futures::future::join_all(row.targets.iter().map(|t| self.post(t, &envelope))).await;
        let mut delivered = Vec::new();
        let mut errors = Vec::new();
        let mut park = false;
        let mut failed = Vec::new();
        for (target, attempt) in row.targets.iter().zip(attempts) {
            match attempt {
                Attempt::Delivered => delivered.push(target.clone()),
                Attempt::BadRequest(e) => {
                    park = true;
                    failed.push(target.clone());
                    errors.push(format!("{target}: {e}"));
                }
                Attempt::Failed(e) => {
                    failed.push(target.clone());
                    errors.push(format!("{target}: {e}"));
                }
            }
        }
        let attempts = row.attempts + 1;
        let record = if errors.is_empty() {
            Record::Finished
        } else if park || attempts >= self.settings.outbox.max_attempts {
            Record::Park {
                delivered,
                attempts,
                error: errors.join("; "),
            }
        } else {
            let delay = retry_delay(row.attempts, self.settings.outbox.max_backoff);
            Record::Retry {
                delivered,
                attempts,
                next_attempt_at: chrono::Utc::now().timestamp_millis() + delay.as_millis() as i64,
                error: errors.join("; "),
            }
        };
        match &record {
            Record::Finished => tracing::debug!(event_id = %row.id, "outbox: delivered"),
            Record::Retry { error, .. } => {
                tracing::warn!(event_id = %row.id, attempts, error = %error, "outbox: delivery failed")
            }
            Record::Park { error, .. } => {
                for subscriber in &failed {
                    metrics::counter!("outbox_parked_total", "subscriber" => subscriber.clone())
                        .increment(1);
                }
                tracing::error!(event_id = %row.id, attempts, error = %error,
                    "outbox: item parked until an operator redrives it")
            }
        }
        outbox::record(&self.dynamodb, &self.table, &row.id, &self.owner, record).await?;
        Ok(true)
    }

    async fn post(&self, target: &str, envelope: &serde_json::Value) -> Attempt {
        let Some(base) = self.subscribers.get(target) else {
            return Attempt::Failed(format!("no base URL for subscriber {target:?}"));
        };
        let url = format!("{}/internal/events", base.trim_end_matches('/'));
        match self
            .client
            .internal(Method::POST, &url)
            .json(envelope)
            .send()
            .await
        {
            Ok(r) if r.status().is_success() => Attempt::Delivered,
            Ok(r) if r.status().as_u16() == 400 => {
                let body = r.text().await.unwrap_or_default();
                Attempt::BadRequest(format!(
                    "HTTP 400: {}",
                    body.chars().take(300).collect::<String>()
                ))
            }
            Ok(r) => Attempt::Failed(format!("HTTP {}", r.status().as_u16())),
            Err(e) if e.is_timeout() => Attempt::Failed("timeout".into()),
            Err(e) => Attempt::Failed(e.without_url().to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn backoff(attempts: u32, max: Duration) -> Duration {
        retry_delay(attempts, max)
    }

    #[test]
    fn backoff_doubles_up_to_the_ceiling_with_jitter() {
        let max = Duration::from_secs(300);
        for _ in 0..50 {
            let d = backoff(3, max);
            assert!(d >= Duration::from_millis(6400) && d <= Duration::from_millis(9600));
            assert!(backoff(20, max) <= Duration::from_secs(360));
        }
        assert_eq!(backoff(5, Duration::ZERO), Duration::ZERO);
    }
}
