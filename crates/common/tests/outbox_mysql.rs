//! The outbox relay and inbox against a real MariaDB/MySQL (design §4), one fresh database per test.
//! Payment is the MySQL producer (inline first attempt); cart the MySQL consumer.

#[path = "fixtures/subscriber.rs"]
mod subscriber;

use std::collections::HashMap;
use std::time::Duration;

use eshop_common::outbox::{
    self, mysql, CycleReport, Envelope, EventResult, OutboxPool, OutboxSettings, Relay,
};
use serde_json::json;
use sqlx::MySqlPool;
use subscriber::Subscriber;
use test_support::db::TestDatabase;
use uuid::Uuid;

const TOKEN: &str = "local-payment-token";

async fn database() -> (TestDatabase, MySqlPool) {
    let db = TestDatabase::mysql("outbox").await;
    let pool = MySqlPool::connect(&db.url)
        .await
        .expect("connect to the test database");
    sqlx::raw_sql(mysql::OUTBOX_SCHEMA)
        .execute(&pool)
        .await
        .expect("create outbox");
    sqlx::raw_sql(mysql::PROCESSED_EVENTS_SCHEMA)
        .execute(&pool)
        .await
        .expect("create processed_events");
    (db, pool)
}

/// Retries are due at once (no backoff), so tests never wait for them.
fn settings() -> OutboxSettings {
    OutboxSettings {
        max_backoff: Duration::ZERO,
        poll_interval: Duration::from_millis(20),
        ..OutboxSettings::default()
    }
}

fn relay(pool: &MySqlPool, subscriber: &Subscriber, settings: OutboxSettings) -> Relay {
    relay_with_token(pool, subscriber, settings, TOKEN)
}

fn relay_with_token(
    pool: &MySqlPool,
    subscriber: &Subscriber,
    settings: OutboxSettings,
    token: &str,
) -> Relay {
    let targets = HashMap::from([("order".to_string(), subscriber.base_url.clone())]);
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    Relay::new(pool.clone(), settings, token, targets, client)
}

/// Commits one event for `aggregate` to the order service.
async fn write(pool: &MySqlPool, aggregate: Uuid) -> Envelope {
    let event = Envelope::new(
        "payment.submitted",
        "payment",
        json!({ "order_id": aggregate }),
    );
    let mut tx = pool.begin().await.unwrap();
    mysql::enqueue(&mut tx, &event, aggregate, &["order"])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    event
}

async fn row_id(pool: &MySqlPool, event: &Envelope) -> Uuid {
    let id: String = sqlx::query_scalar("SELECT id FROM outbox WHERE event_id = ?")
        .bind(event.id.to_string())
        .fetch_one(pool)
        .await
        .unwrap();
    id.parse().unwrap()
}

#[tokio::test]
async fn an_event_written_in_a_rolled_back_transaction_is_never_delivered() {
    let (_db, pool) = database().await;
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let relay = relay(
        &pool,
        &subscriber,
        OutboxSettings {
            retention: Duration::ZERO,
            ..settings()
        },
    );

    let lost = Envelope::new("payment.submitted", "payment", json!({}));
    let mut tx = pool.begin().await.unwrap();
    mysql::enqueue(&mut tx, &lost, Uuid::now_v7(), &["order"])
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let kept = write(&pool, Uuid::now_v7()).await;

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
    assert_eq!(delivery.service_token.as_deref(), Some(TOKEN));
    assert_eq!(delivery.content_type.as_deref(), Some("application/json"));
    assert_eq!(relay.run_once().await.unwrap(), CycleReport::default());
    assert_eq!(
        relay.purge_delivered().await.unwrap(),
        1,
        "delivered rows past retention are deleted"
    );
}

#[tokio::test]
async fn a_subscriber_failing_five_times_then_succeeding_receives_the_event_once() {
    let (_db, pool) = database().await;
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let relay = relay(&pool, &subscriber, settings());
    let event = write(&pool, Uuid::now_v7()).await;
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
    let waiting = outbox::list(&OutboxPool::from(pool.clone()), false)
        .await
        .unwrap();
    assert_eq!((waiting.len(), waiting[0].attempts), (1, 5));
    assert!(waiting[0]
        .last_error
        .as_deref()
        .unwrap()
        .starts_with("HTTP 503 Service Unavailable: {"));
    assert_eq!(waiting[0].lease_until, None);

    assert_eq!(relay.run_once().await.unwrap().delivered, 1);
    assert_eq!(relay.run_once().await.unwrap(), CycleReport::default());
    assert_eq!(subscriber.deliveries().len(), 6);
    assert_eq!(subscriber.accepted_count(event.id), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_relays_never_deliver_one_row_at_the_same_time() {
    let (_db, pool) = database().await;
    let subscriber = Subscriber::start(Duration::from_millis(1)).await;
    let aggregates: Vec<Uuid> = (0..100).map(|_| Uuid::now_v7()).collect();
    let mut events = Vec::new();
    for round in 0..3 {
        for aggregate in &aggregates {
            events.push((round, *aggregate, write(&pool, *aggregate).await.id));
        }
    }

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let runs: Vec<_> = ["relay-a", "relay-b"]
        .into_iter()
        .map(|token| {
            let mut stopped = stopped.clone();
            let relay = relay_with_token(&pool, &subscriber, settings(), token);
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

#[tokio::test]
async fn a_woken_relay_delivers_at_once_and_finishes_its_post_on_shutdown() {
    let (_db, pool) = database().await;
    let subscriber = Subscriber::start(Duration::from_millis(300)).await;
    let hourly = OutboxSettings {
        poll_interval: Duration::from_secs(3600),
        ..settings()
    };
    let relay = relay(&pool, &subscriber, hourly);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let run = tokio::spawn(
        relay
            .clone()
            .run(async move { stopped.await.unwrap_or(()) }),
    );

    let event = write(&pool, Uuid::now_v7()).await;
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
    let pending = outbox::list(&OutboxPool::from(pool.clone()), false)
        .await
        .unwrap();
    assert!(pending.is_empty(), "and recorded as delivered");
}

#[tokio::test]
async fn a_redelivered_event_changes_nothing_in_the_consumer() {
    let (_db, pool) = database().await;
    sqlx::raw_sql("CREATE TABLE effects (event_id CHAR(36) NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    let event = Envelope::new(
        "payment.submitted",
        "payment",
        json!({ "order_id": Uuid::now_v7() }),
    );

    async fn consume(pool: &MySqlPool, event: &Envelope, commit: bool) -> EventResult {
        let mut tx = pool.begin().await.unwrap();
        if !mysql::record_processed(&mut tx, event).await.unwrap() {
            return EventResult::Duplicate;
        }
        sqlx::query("INSERT INTO effects VALUES (?)")
            .bind(event.id.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
        if commit {
            tx.commit().await.unwrap();
        }
        EventResult::Applied
    }

    consume(&pool, &event, false).await; // a failed attempt (e.g. 503) leaves no trace
    assert_eq!(consume(&pool, &event, true).await, EventResult::Applied);
    assert_eq!(consume(&pool, &event, true).await, EventResult::Duplicate);
    let effects: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM effects")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(effects, 1);
    let (kind, source): (String, String) =
        sqlx::query_as("SELECT type, source FROM processed_events WHERE id = ?")
            .bind(event.id.to_string())
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (kind.as_str(), source.as_str()),
        ("payment.submitted", "payment")
    );
}

#[tokio::test]
async fn a_failing_row_holds_back_its_aggregate_a_400_parks_it_and_a_redrive_releases_it() {
    let (_db, pool) = database().await;
    let outbox_pool = OutboxPool::from(pool.clone());
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let relay = relay(&pool, &subscriber, settings());
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let first = write(&pool, a).await;
    let second = write(&pool, a).await;
    let other = write(&pool, b).await;
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

    let parked = outbox::list(&outbox_pool, true).await.unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!((parked[0].event_id, parked[0].attempts), (first.id, 2));
    assert!(parked[0]
        .last_error
        .as_deref()
        .unwrap()
        .starts_with("HTTP 400 Bad Request"));
    assert_eq!(outbox::list(&outbox_pool, false).await.unwrap().len(), 2);

    assert!(outbox::redrive(&outbox_pool, row_id(&pool, &first).await)
        .await
        .unwrap());
    assert!(!outbox::redrive(&outbox_pool, Uuid::now_v7()).await.unwrap());
    assert!(outbox::list(&outbox_pool, true).await.unwrap().is_empty());
    assert_eq!(relay.run_once().await.unwrap().delivered, 1);
    assert_eq!(relay.run_once().await.unwrap().delivered, 1);
    assert_eq!(subscriber.accepted(), vec![other.id, first.id, second.id]);
    assert!(
        !outbox::redrive(&outbox_pool, row_id(&pool, &first).await)
            .await
            .unwrap(),
        "delivered rows stay delivered"
    );
}

#[tokio::test]
async fn an_inline_first_attempt_is_posted_after_commit_unless_its_aggregate_is_waiting() {
    let (_db, pool) = database().await;
    let subscriber = Subscriber::start(Duration::ZERO).await;
    let relay = relay(&pool, &subscriber, settings());
    let lease = settings().lease;

    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let mut tx = pool.begin().await.unwrap();
    let event = Envelope::new("payment.submitted", "payment", json!({}));
    let leased = mysql::enqueue_inline(&mut tx, &event, a, &["order"], lease)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(leased.len(), 1);
    assert_eq!(
        relay.run_once().await.unwrap(),
        CycleReport::default(),
        "the relay leaves a leased row alone"
    );
    assert_eq!(relay.deliver_inline(leased).await.unwrap().delivered, 1);

    let waiting = write(&pool, b).await;
    subscriber.script(waiting.id, &[503]);
    assert_eq!(relay.run_once().await.unwrap().retried, 1);
    let later = Envelope::new("payment.reviewed", "payment", json!({}));
    let mut tx = pool.begin().await.unwrap();
    assert!(mysql::enqueue_inline(&mut tx, &later, b, &["order"], lease)
        .await
        .unwrap()
        .is_empty());
    tx.commit().await.unwrap();
    assert_eq!(relay.run_once().await.unwrap().delivered, 1);
    assert_eq!(relay.run_once().await.unwrap().delivered, 1);
    assert_eq!(subscriber.accepted(), vec![event.id, waiting.id, later.id]);
}
