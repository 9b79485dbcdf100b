//! Posting claimed rows (design §4.2 steps 2–3): per subscriber in `created_at` order, within the lease,
//! and recording each outcome.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use uuid::Uuid;

use super::outcome::{truncate, Attempt, Outcome};
use super::{ClaimedRow, CycleReport, Relay};
use crate::context::RequestContext;
use crate::telemetry::{REQUEST_ID, TRACEPARENT};

/// How much of a failed answer's body goes into `last_error`.
const DETAIL_BYTES: usize = 1024;

impl Relay {
    /// Subscribers are served side by side, each in `created_at` order, so one that is down does not
    /// delay the others.
    pub(super) async fn post_all(
        &self,
        rows: Vec<ClaimedRow>,
        timeout: Duration,
    ) -> Result<CycleReport, sqlx::Error> {
        let mut report = CycleReport {
            claimed: rows.len(),
            ..CycleReport::default()
        };
        let mut queues: Vec<Vec<ClaimedRow>> = Vec::new();
        for row in rows {
            match queues
                .iter_mut()
                .find(|q| q[0].subscriber == row.subscriber)
            {
                Some(queue) => queue.push(row),
                None => queues.push(vec![row]),
            }
        }
        let results =
            futures::future::join_all(queues.into_iter().map(|q| self.post_in_order(q, timeout)))
                .await;
        for result in results {
            report.add(result?);
        }
        Ok(report)
    }

    async fn post_in_order(
        &self,
        rows: Vec<ClaimedRow>,
        timeout: Duration,
    ) -> Result<CycleReport, sqlx::Error> {
        let mut report = CycleReport::default();
        let mut held_back: HashSet<Uuid> = HashSet::new();
        for row in rows {
            // design §4.2 step 2: later rows of a failed aggregate wait; a lease that could end during
            // the post returns the row to the pool, so no other relay sends it at the same time.
            if held_back.contains(&row.aggregate_id)
                || self.stopping.load(Ordering::SeqCst)
                || Instant::now() + timeout >= row.lease_deadline
            {
                report.skipped += 1;
                continue;
            }
            // design §6: each post is a request of its own, under an id and trace the subscriber logs.
            let context = RequestContext::fresh();
            let attempt = self.post(&row, &context, timeout).await;
            let outcome = Outcome::of(&attempt, row.attempts, &self.settings);
            self.pool.record(row.id, &outcome).await?;
            let (sub, event, attempts) = (&row.subscriber, row.event_id, row.attempts + 1);
            let (request_id, trace_id) = (&context.request_id, &context.trace_id);
            match &outcome {
                Outcome::Delivered => {
                    report.delivered += 1;
                    tracing::debug!(subscriber = %sub, event_id = %event, request_id, trace_id,
                        "outbox: delivered");
                }
                Outcome::Retry { error, delay } => {
                    report.retried += 1;
                    held_back.insert(row.aggregate_id);
                    let retry_in_ms = delay.as_millis() as u64;
                    tracing::warn!(subscriber = %sub, event_id = %event, attempts, retry_in_ms,
                        request_id, trace_id, error = %error, "outbox: delivery failed");
                }
                Outcome::Park { error } => {
                    report.parked += 1;
                    held_back.insert(row.aggregate_id);
                    metrics::counter!("outbox_parked_total", "subscriber" => sub.clone())
                        .increment(1);
                    tracing::error!(subscriber = %sub, event_id = %event, outbox_id = %row.id, attempts,
                        request_id, trace_id, error = %error,
                        "outbox: row parked until an operator redrives it");
                }
            }
        }
        Ok(report)
    }

    async fn post(&self, row: &ClaimedRow, context: &RequestContext, timeout: Duration) -> Attempt {
        let Some(base) = self.subscribers.get(&row.subscriber) else {
            return Attempt::Transport(format!(
                "no base URL configured for subscriber {:?}",
                row.subscriber
            ));
        };
        let sent = self
            .client
            .post(format!("{}/internal/events", base.trim_end_matches('/')))
            .timeout(timeout)
            .header("x-service-token", &*self.service_token)
            .header(REQUEST_ID, context.request_id.as_str())
            .header(TRACEPARENT, context.outgoing_traceparent())
            .json(&row.payload)
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => Attempt::Answered {
                status: response.status().as_u16(),
                detail: String::new(),
            },
            Ok(response) => Attempt::Answered {
                status: response.status().as_u16(),
                detail: body_start(response).await,
            },
            Err(e) if e.is_timeout() => {
                Attempt::Transport(format!("timeout after {} ms", timeout.as_millis()))
            }
            Err(e) => Attempt::Transport(transport_text(e)),
        }
    }
}

/// The first [`DETAIL_BYTES`] of a failed answer's body, for `last_error`.
async fn body_start(mut response: reqwest::Response) -> String {
    let mut body = Vec::new();
    while body.len() < DETAIL_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(DETAIL_BYTES);
    String::from_utf8_lossy(&body).into_owned()
}

/// The error and its causes, without the URL (which could carry credentials); the service token is in
/// a header and never part of the text.
fn transport_text(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    truncate(&text)
}
