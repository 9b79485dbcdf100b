//! The outbox relay and inbox (design §4) against a real PostgreSQL and a real MariaDB/MySQL, one fresh
//! database per test. Every scenario is written once over [`Backend`] and runs on both, as
//! `postgres::<scenario>` and `mysql::<scenario>`.

#[path = "fixtures/backend.rs"]
mod backend;
#[path = "fixtures/subscriber.rs"]
mod subscriber;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use backend::{Backend, MySqlBackend, PgBackend, Setup};
use eshop_common::outbox::{
    self, CycleReport, Envelope, EventResult, OutboxSettings, Relay, SUPERSEDED,
};
use serde_json::json;
use sqlx::Pool;
use subscriber::Subscriber;
use uuid::Uuid;

/// One `#[tokio::test]` per scenario and backend: `postgres::<scenario>` and `mysql::<scenario>`; a
/// scenario may name its runtime in parentheses, as `#[tokio::test(…)]` takes it.
macro_rules! on_both_backends {
    ($($list:tt)*) => {
        on_backend!(postgres, PgBackend, $($list)*);
        on_backend!(mysql, MySqlBackend, $($list)*);
    };
}

macro_rules! on_backend {
    ($module:ident, $backend:ident, $($scenario:ident $(($($runtime:tt)*))?),* $(,)?) => {
        mod $module {
            $(
                #[tokio::test $(($($runtime)*))?]
                async fn $scenario() {
                    super::$scenario::<super::$backend>().await
                }
            )*
        }
    };
}

on_both_backends!(
    an_event_written_in_a_rolled_back_transaction_is_never_delivered,
    a_subscriber_failing_five_times_then_succeeding_receives_the_event_once,
    two_relays_never_deliver_one_row_at_the_same_time(flavor = "multi_thread", worker_threads = 2),
    a_woken_relay_delivers_at_once_and_finishes_its_post_on_shutdown,
    one_wake_drains_an_aggregates_backlog_in_order_without_waiting_for_the_poll,
    a_redelivered_event_changes_nothing_in_the_consumer,
    a_failing_row_holds_back_its_aggregate_a_400_parks_it_and_a_redrive_releases_it,
    an_inline_first_attempt_is_posted_after_commit_unless_its_aggregate_is_waiting,
    a_cycle_posts_only_the_newest_undelivered_state_event_of_each_aggregate,
    leased_and_parked_state_events_are_not_superseded,
    without_state_carrying_types_every_row_is_posted,
);

/// A state-carrying type (warehouse's) for the superseding scenarios, beside the backend's own type.
const STATE: &str = "stock.changed";

/// Retries are due at once (no backoff), so tests never wait for them.
fn settings() -> OutboxSettings {
    OutboxSettings {
        max_backoff: Duration::ZERO,
        poll_interval: Duration::from_millis(20),
        ..OutboxSettings::default()
    }
}

fn relay<B: Backend>(
    setup: &Setup<B>,
    subscriber: &Subscriber,
    settings: OutboxSettings,
    token: &str,
) -> Relay {
    let targets = HashMap::from([(B::SUBSCRIBER.to_string(), subscriber.base_url.clone())]);
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    Relay::new(setup.outbox.clone(), settings, token, targets, client)
}

/// Commits one event of the producer for `aggregate`.
async fn write<B: Backend>(setup: &Setup<B>, aggregate: Uuid) -> Envelope {
    write_as(setup, aggregate, B::EVENT_TYPE).await
}

/// Commits one event of type `event_type` for `aggregate`.
async fn write_as<B: Backend>(setup: &Setup<B>, aggregate: Uuid, event_type: &str) -> Envelope {
    let event = Envelope::new(event_type, B::PRODUCER, json!({ "order_id": aggregate }));
    let mut tx = setup.pool.begin().await.unwrap();
    B::enqueue(&mut tx, &event, aggregate).await;
    tx.commit().await.unwrap();
    event
}

/// design §6: `00-<32 hex trace id>-<16 hex span id>-01`, lowercase, neither id all zeros.
fn assert_traceparent(value: &str) {
    let parts: Vec<&str> = value.split('-').collect();
    let hex = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            && s.bytes().any(|b| b != b'0')
    };
    assert!(
        parts.len() == 4
            && parts[0] == "00"
            && hex(parts[1], 32)
            && hex(parts[2], 16)
            && parts[3] == "01",
        "traceparent {value:?}"
    );
}

async fn an_event_written_in_a_rolled_back_transaction_is_never_delivered<B: Backend>() {
    let setup = B::database().await;
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let retention = Duration::ZERO;
    let relay = relay(
        &setup,
        &subscriber,
        OutboxSettings {
            retention,
            ..settings()
        },
        B::TOKEN,
    );

    let lost = Envelope::new(B::EVENT_TYPE, B::PRODUCER, json!({}));
    let mut tx = setup.pool.begin().await.unwrap();
    B::enqueue(&mut tx, &lost, Uuid::now_v7()).await;
    tx.rollback().await.unwrap();
    let kept = write(&setup, Uuid::now_v7()).await;

    let report = relay.run_once().await.unwrap();
    assert_eq!(
        report,
        CycleReport {
            claimed: 1,
            delivered: 1,
            ..CycleReport::default()
        }
    );
    assert_eq!(subscriber.accepted(), vec![kept.id]);
    let delivery = &subscriber.deliveries()[0];
    assert_eq!(delivery.service_token.as_deref(), Some(B::TOKEN));
    assert_eq!(delivery.content_type.as_deref(), Some("application/json"));
    let request_id = delivery.request_id.as_deref().expect("x-request-id");
    assert!(Uuid::parse_str(request_id).is_ok(), "{request_id}");
    assert_traceparent(delivery.traceparent.as_deref().expect("traceparent"));
    assert_eq!(relay.run_once().await.unwrap(), CycleReport::default());
    assert_eq!(
        relay.purge_delivered().await.unwrap(),
        1,
        "delivered rows past retention are deleted"
    );
}

async fn a_subscriber_failing_five_times_then_succeeding_receives_the_event_once<B: Backend>() {
    let setup = B::database().await;
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let relay = relay(&setup, &subscriber, settings(), B::TOKEN);
    let event = write(&setup, Uuid::now_v7()).await;
    subscriber.script(event.id, &[503; 5]);

    for attempt in 1..=5 {
        let report = relay.run_once().await.unwrap();
        assert_eq!(
            report,
            CycleReport {
                claimed: 1,
                retried: 1,
                ..CycleReport::default()
            },
            "attempt {attempt}"
        );
    }
    let waiting = outbox::list(&setup.outbox, false).await.unwrap();
    assert_eq!((waiting.len(), waiting[0].attempts), (1, 5));
    assert!(waiting[0]
        .last_error
        .as_deref()
        .unwrap()
        .starts_with("HTTP 503 Service Unavailable: {"));
    assert_eq!(waiting[0].lease_until, None);
    relay.refresh_metrics().await.expect("the backlog reads");

    assert_eq!(relay.run_once().await.unwrap().delivered, 1);
    assert_eq!(relay.run_once().await.unwrap(), CycleReport::default());
    assert_eq!(subscriber.deliveries().len(), 6);
    assert_eq!(subscriber.accepted_count(event.id), 1);
}

async fn two_relays_never_deliver_one_row_at_the_same_time<B: Backend>() {
    let flavor = tokio::runtime::Handle::current().runtime_flavor();
    assert_eq!(flavor, tokio::runtime::RuntimeFlavor::MultiThread);
    let setup = B::database().await;
    let subscriber = Subscriber::start(Duration::from_millis(1)).await;
    let aggregates: Vec<Uuid> = (0..100).map(|_| Uuid::now_v7()).collect();
    let mut events = Vec::new();
    for round in 0..3 {
        for aggregate in &aggregates {
            events.push((round, *aggregate, write(&setup, *aggregate).await.id));
        }
    }

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let runs: Vec<_> = ["relay-a", "relay-b"]
        .into_iter()
        .map(|token| {
            let mut stopped = stopped.clone();
            let relay = relay(&setup, &subscriber, settings(), token);
            tokio::spawn(
                relay.run(async move { stopped.wait_for(|s| *s).await.map(|_| ()).unwrap_or(()) }),
            )
        })
        .collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while subscriber.accepted().len() < events.len() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(true).unwrap();
    for run in runs {
        run.await.unwrap();
    }

    assert_eq!(
        subscriber.overlaps(),
        0,
        "one row was being sent twice at the same time"
    );
    for (_, _, id) in &events {
        assert_eq!(subscriber.accepted_count(*id), 1, "event {id}");
    }
    assert_eq!(subscriber.deliveries().len(), events.len());
    let by = |token: &str| {
        subscriber
            .deliveries()
            .iter()
            .filter(|d| d.service_token.as_deref() == Some(token))
            .count()
    };
    eprintln!(
        "relay-a sent {}, relay-b sent {}",
        by("relay-a"),
        by("relay-b")
    );
    assert!(
        by("relay-a") > 0 && by("relay-b") > 0,
        "both relays took part"
    );
    // design §6: each event is posted under a request id and trace of its own.
    let distinct = |header: fn(&subscriber::Delivery) -> Option<String>| {
        let values = subscriber.deliveries().into_iter();
        values
            .filter_map(|d| header(&d))
            .collect::<HashSet<_>>()
            .len()
    };
    assert_eq!(distinct(|d| d.request_id.clone()), events.len());
    let trace_id = |d: &subscriber::Delivery| Some(d.traceparent.as_deref()?.get(3..35)?.into());
    assert_eq!(distinct(trace_id), events.len());
    // design §4.2: one aggregate's events reach the subscriber in the order they were written.
    let arrival: HashMap<Uuid, usize> = subscriber
        .accepted()
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    for aggregate in &aggregates {
        let order: Vec<usize> = events
            .iter()
            .filter(|e| e.1 == *aggregate)
            .map(|e| arrival[&e.2])
            .collect();
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "aggregate {aggregate} out of order: {order:?}"
        );
    }
}

async fn a_woken_relay_delivers_at_once_and_finishes_its_post_on_shutdown<B: Backend>() {
    let setup = B::database().await;
    let subscriber = Subscriber::start(Duration::from_millis(300)).await;
    let hourly = OutboxSettings {
        poll_interval: Duration::from_secs(3600),
        ..settings()
    };
    let relay = relay(&setup, &subscriber, hourly, B::TOKEN);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let run = tokio::spawn(
        relay
            .clone()
            .run(async move { stopped.await.unwrap_or(()) }),
    );

    let event = write(&setup, Uuid::now_v7()).await;
    relay.wake();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while subscriber.arrivals() == 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        subscriber.arrivals(),
        1,
        "woken, the relay posts without waiting for the poll"
    );
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), run)
        .await
        .expect("the relay stops")
        .unwrap();

    assert_eq!(
        subscriber.accepted(),
        vec![event.id],
        "the post in flight was finished"
    );
    let pending = outbox::list(&setup.outbox, false).await.unwrap();
    assert!(pending.is_empty(), "and recorded as delivered");
}

async fn one_wake_drains_an_aggregates_backlog_in_order_without_waiting_for_the_poll<B: Backend>() {
    let setup = B::database().await;
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let hourly = OutboxSettings {
        poll_interval: Duration::from_secs(3600),
        ..settings()
    };
    let relay = relay(&setup, &subscriber, hourly, B::TOKEN);
    let aggregate = Uuid::now_v7();
    let mut events = Vec::new();
    for _ in 0..30 {
        events.push(write(&setup, aggregate).await.id);
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let run = tokio::spawn(
        relay
            .clone()
            .run(async move { stopped.await.unwrap_or(()) }),
    );
    relay.wake();
    // Only the oldest undelivered row of an aggregate can be claimed, so 30 rows take 30 cycles: one wake
    // must be enough for all of them, not one row per (hourly) poll.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while subscriber.arrivals() < events.len() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), run)
        .await
        .expect("the relay stops")
        .unwrap();
    assert_eq!(subscriber.accepted(), events, "every row, once, in order");
    assert!(outbox::list(&setup.outbox, false).await.unwrap().is_empty());
}

async fn a_redelivered_event_changes_nothing_in_the_consumer<B: Backend>() {
    let setup = B::database().await;
    let event = Envelope::new(
        "payment.submitted",
        "payment",
        json!({ "order_id": Uuid::now_v7() }),
    );

    async fn consume<B: Backend>(
        pool: &Pool<B::Db>,
        event: &Envelope,
        commit: bool,
    ) -> EventResult {
        let mut tx = pool.begin().await.unwrap();
        if !B::record_processed(&mut tx, event).await {
            return EventResult::Duplicate;
        }
        B::apply_effect(&mut tx, event).await;
        if commit {
            tx.commit().await.unwrap();
        }
        EventResult::Applied
    }

    consume::<B>(&setup.pool, &event, false).await; // a failed attempt (e.g. 503) leaves no trace
    let again = || consume::<B>(&setup.pool, &event, true);
    assert_eq!(again().await, EventResult::Applied);
    assert_eq!(again().await, EventResult::Duplicate);
    assert_eq!(B::effects(&setup.pool).await, 1);
    let (kind, source) = B::processed(&setup.pool, &event).await;
    assert_eq!(
        (kind.as_str(), source.as_str()),
        ("payment.submitted", "payment")
    );
}

async fn a_failing_row_holds_back_its_aggregate_a_400_parks_it_and_a_redrive_releases_it<
    B: Backend,
>() {
    let setup = B::database().await;
    let outbox_pool = &setup.outbox;
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let relay = relay(&setup, &subscriber, settings(), B::TOKEN);
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let first = write(&setup, a).await;
    let second = write(&setup, a).await;
    let other = write(&setup, b).await;
    subscriber.script(first.id, &[503, 400]);

    let report = relay.run_once().await.unwrap();
    assert_eq!(
        report,
        CycleReport {
            claimed: 2,
            delivered: 1,
            retried: 1,
            ..CycleReport::default()
        }
    );
    assert_eq!(
        relay.run_once().await.unwrap(),
        CycleReport {
            claimed: 1,
            parked: 1,
            ..CycleReport::default()
        }
    );
    assert_eq!(
        relay.run_once().await.unwrap(),
        CycleReport::default(),
        "the parked row holds back its aggregate"
    );
    assert_eq!(subscriber.accepted(), vec![other.id]);

    let parked = outbox::list(outbox_pool, true).await.unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!((parked[0].event_id, parked[0].attempts), (first.id, 2));
    assert!(parked[0]
        .last_error
        .as_deref()
        .unwrap()
        .starts_with("HTTP 400 Bad Request"));
    assert_eq!(outbox::list(outbox_pool, false).await.unwrap().len(), 2);

    let first_row = B::row_id(&setup.pool, &first).await;
    assert!(outbox::redrive(outbox_pool, first_row).await.unwrap());
    assert!(!outbox::redrive(outbox_pool, Uuid::now_v7()).await.unwrap());
    assert!(outbox::list(outbox_pool, true).await.unwrap().is_empty());
    assert_eq!(relay.run_once().await.unwrap().delivered, 1);
    assert_eq!(relay.run_once().await.unwrap().delivered, 1);
    assert_eq!(subscriber.accepted(), vec![other.id, first.id, second.id]);
    assert!(
        !outbox::redrive(outbox_pool, first_row).await.unwrap(),
        "delivered rows stay delivered"
    );
}

async fn an_inline_first_attempt_is_posted_after_commit_unless_its_aggregate_is_waiting<
    B: Backend,
>() {
    let setup = B::database().await;
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let relay = relay(&setup, &subscriber, settings(), B::TOKEN);
    let lease = settings().lease;

    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let mut tx = setup.pool.begin().await.unwrap();
    let event = Envelope::new("payment.submitted", "payment", json!({}));
    let leased = B::enqueue_inline(&mut tx, &event, a, lease).await;
    tx.commit().await.unwrap();
    assert_eq!(leased.len(), 1);
    assert_eq!(
        relay.run_once().await.unwrap(),
        CycleReport::default(),
        "the relay leaves a leased row alone"
    );
    assert_eq!(relay.deliver_inline(leased).await.unwrap().delivered, 1);

    let waiting = write(&setup, b).await;
    subscriber.script(waiting.id, &[503]);
    assert_eq!(relay.run_once().await.unwrap().retried, 1);
    let later = Envelope::new("payment.reviewed", "payment", json!({}));
    let mut tx = setup.pool.begin().await.unwrap();
    let leased = B::enqueue_inline(&mut tx, &later, b, lease).await;
    tx.commit().await.unwrap();
    assert!(leased.is_empty(), "its aggregate is waiting");
    assert_eq!(relay.run_once().await.unwrap().delivered, 1);
    assert_eq!(relay.run_once().await.unwrap().delivered, 1);
    assert_eq!(subscriber.accepted(), vec![event.id, waiting.id, later.id]);
}

async fn a_cycle_posts_only_the_newest_undelivered_state_event_of_each_aggregate<B: Backend>() {
    let setup = B::database().await;
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let relay = relay(&setup, &subscriber, settings(), B::TOKEN).superseding([STATE]);
    let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let a1 = write_as(&setup, a, STATE).await;
    let c1 = write(&setup, c).await;
    let b1 = write_as(&setup, b, STATE).await;
    let a2 = write_as(&setup, a, STATE).await;
    let c2 = write(&setup, c).await;
    let b2 = write_as(&setup, b, STATE).await;
    let a3 = write_as(&setup, a, STATE).await;
    // Another type in a's queue: it neither supersedes a3 nor is superseded.
    let a4 = write(&setup, a).await;

    assert_eq!(
        relay.run_once().await.unwrap(),
        CycleReport {
            claimed: 3,
            superseded: 3,
            delivered: 3,
            ..CycleReport::default()
        }
    );
    assert_eq!(subscriber.accepted(), vec![c1.id, b2.id, a3.id]);
    assert_eq!(
        relay.run_once().await.unwrap(),
        CycleReport {
            claimed: 2,
            delivered: 2,
            ..CycleReport::default()
        }
    );
    assert_eq!(relay.run_once().await.unwrap(), CycleReport::default());
    assert_eq!(
        subscriber.accepted(),
        vec![c1.id, b2.id, a3.id, c2.id, a4.id],
        "the other type's rows, every one, in order"
    );
    assert_eq!(subscriber.deliveries().len(), 5, "nothing else was posted");
    for old in [&a1, &b1, &a2] {
        let marked = (true, Some(SUPERSEDED.to_string()));
        assert_eq!(B::delivery(&setup.pool, old).await, marked);
    }
    for posted in [&c1, &b2, &a3, &c2, &a4] {
        assert_eq!(B::delivery(&setup.pool, posted).await, (true, None));
    }
    assert!(
        outbox::list(&setup.outbox, false).await.unwrap().is_empty(),
        "superseded rows are done, not pending"
    );
}

async fn leased_and_parked_state_events_are_not_superseded<B: Backend>() {
    let setup = B::database().await;
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let relay = relay(&setup, &subscriber, settings(), B::TOKEN).superseding([STATE]);
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let b1 = write_as(&setup, b, STATE).await;
    subscriber.script(b1.id, &[400]);
    assert_eq!(relay.run_once().await.unwrap().parked, 1);
    // a1 is leased for an inline attempt: as good as in flight.
    let a1 = Envelope::new(STATE, B::PRODUCER, json!({}));
    let mut tx = setup.pool.begin().await.unwrap();
    let leased = B::enqueue_inline(&mut tx, &a1, a, settings().lease).await;
    tx.commit().await.unwrap();
    assert_eq!(leased.len(), 1);
    let a2 = write_as(&setup, a, STATE).await;
    let b2 = write_as(&setup, b, STATE).await;
    let a3 = write_as(&setup, a, STATE).await;
    let b3 = write_as(&setup, b, STATE).await;

    assert_eq!(
        relay.run_once().await.unwrap(),
        CycleReport {
            superseded: 2,
            ..CycleReport::default()
        },
        "a2 and b2 are superseded; a1 and b1 still head their queues"
    );
    let marked = (true, Some(SUPERSEDED.to_string()));
    assert_eq!(B::delivery(&setup.pool, &a2).await, marked);
    assert_eq!(B::delivery(&setup.pool, &b2).await, marked);
    assert_eq!(B::delivery(&setup.pool, &a1).await, (false, None));
    let parked = outbox::list(&setup.outbox, true).await.unwrap();
    assert_eq!(
        parked.iter().map(|e| e.event_id).collect::<Vec<_>>(),
        vec![b1.id]
    );

    assert_eq!(relay.deliver_inline(leased).await.unwrap().delivered, 1);
    assert_eq!(relay.run_once().await.unwrap().delivered, 1);
    // Redriven, b1 is an ordinary older row: b3 supersedes it.
    let b1_row = B::row_id(&setup.pool, &b1).await;
    assert!(outbox::redrive(&setup.outbox, b1_row).await.unwrap());
    assert_eq!(
        relay.run_once().await.unwrap(),
        CycleReport {
            claimed: 1,
            superseded: 1,
            delivered: 1,
            ..CycleReport::default()
        }
    );
    assert_eq!(subscriber.accepted(), vec![a1.id, a3.id, b3.id]);
    assert_eq!(B::delivery(&setup.pool, &b1).await, marked);
    assert!(outbox::list(&setup.outbox, false).await.unwrap().is_empty());
}

async fn without_state_carrying_types_every_row_is_posted<B: Backend>() {
    let setup = B::database().await;
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let relay = relay(&setup, &subscriber, settings(), B::TOKEN);
    let a = Uuid::now_v7();
    let mut events = Vec::new();
    for _ in 0..3 {
        events.push(write_as(&setup, a, STATE).await.id);
    }

    for _ in 0..3 {
        assert_eq!(
            relay.run_once().await.unwrap(),
            CycleReport {
                claimed: 1,
                delivered: 1,
                ..CycleReport::default()
            }
        );
    }
    assert_eq!(relay.run_once().await.unwrap(), CycleReport::default());
    assert_eq!(subscriber.accepted(), events);
}
