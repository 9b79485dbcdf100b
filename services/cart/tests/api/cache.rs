//! Issue 6 check 2, §8 checks 9–11: the per-user Redis hash, recovery from MySQL, the version guard and
//! the purge after a lost connection.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use test_support::proxy::TcpProxy;
use uuid::Uuid;

use super::support::{Options, TestApp};

/// A line written straight into MySQL, behind the service's back.
async fn insert_behind_the_back(app: &TestApp, user: Uuid, name: &str) {
    sqlx::query(
        "INSERT INTO carts (id, user_id, product_id, product_name, product_image_url, product_price,
             product_quantity, note, product_version, created_at, updated_at)
         VALUES (?, ?, ?, ?, '', 3.50, 1, '', 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(user.to_string())
    .bind(Uuid::now_v7().to_string())
    .bind(name)
    .execute(&app.pool)
    .await
    .unwrap();
}

fn names(cart: &serde_json::Value) -> Vec<String> {
    cart.as_array()
        .map(|a| {
            a.iter()
                .map(|l| l["product_name"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_cache_holds_the_version_and_lines_and_is_read_before_mysql() {
    let app = TestApp::spawn().await;
    let product = app.product.add("Car", 10.0, "", 100);
    let (user, token) = app.customer();
    let line = app.add(&token, product, 2).await.data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cached = app.cached(user).await;
    assert_eq!(cached["_v"], "1");
    let cached_line: serde_json::Value = serde_json::from_str(&cached[&line]).unwrap();
    assert_eq!(
        cached_line["product_price"], "10.00",
        "price as a decimal string"
    );
    assert_eq!(cached.len(), 2);

    insert_behind_the_back(&app, user, "Hidden").await;
    assert_eq!(names(&app.cart(&token).await), ["Car"], "served from Redis");

    let misses = app.metric("cart_cache_misses_total").await;
    app.redis_cmd(redis::cmd("DEL").arg(app.key(user))).await;
    assert_eq!(
        names(&app.cart(&token).await),
        ["Car", "Hidden"],
        "rebuilt from MySQL"
    );
    assert!(app.metric("cart_cache_misses_total").await > misses);
    assert_eq!(
        app.cached(user).await.len(),
        3,
        "re-cached: _v and two lines"
    );

    app.drop_prefix().await;
    assert_eq!(names(&app.cart(&token).await), ["Car", "Hidden"]);
}

#[tokio::test]
async fn an_emptied_cart_is_cached_as_its_version_alone_and_served_without_mysql() {
    let app = TestApp::spawn().await;
    let product = app.product.add("Car", 10.0, "", 100);
    let (user, token) = app.customer();
    let line = app.add(&token, product, 1).await.data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .send(
            Method::DELETE,
            &format!("/v1/carts/{line}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(res.status, 200);
    let cached = app.cached(user).await;
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert_eq!(cached["_v"], "2");

    insert_behind_the_back(&app, user, "Hidden").await;
    assert_eq!(
        app.cart(&token).await,
        json!(null),
        "the empty cart came from Redis"
    );
}

#[tokio::test]
async fn a_replace_with_a_version_not_above_the_cached_one_is_refused() {
    let client = redis::Client::open(super::support::redis_url()).unwrap();
    let prefix = format!("cart:test:{}:", Uuid::new_v4().simple());
    let cache = cart::Cache::new(client, &prefix, Duration::from_secs(60));
    let user = Uuid::new_v4();
    assert!(
        cache.replace(user, 5, &[]).await.unwrap(),
        "into an absent key"
    );
    assert!(!cache.replace(user, 5, &[]).await.unwrap(), "same version");
    assert!(!cache.replace(user, 4, &[]).await.unwrap(), "older version");
    assert!(cache.replace(user, 6, &[]).await.unwrap(), "newer version");
    let cart::cache::Lookup::Hit(cached) = cache.get(user).await else {
        panic!("the cart is cached");
    };
    assert_eq!(cached.version, 6);
    assert_eq!(cached.lines(), Some(vec![]));
    let mut conn = redis::Client::open(super::support::redis_url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    redis::cmd("DEL")
        .arg(cache.key(user))
        .query_async::<()>(&mut conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn every_cart_comes_back_complete_from_mysql_after_redis_is_flushed() {
    // Its own Redis database, so FLUSHDB (our stand-in for FLUSHALL) touches no other test.
    let url = "redis://127.0.0.1:6379/6";
    let app = TestApp::spawn_with(Options {
        redis_url: url.into(),
        ..Options::default()
    })
    .await;
    let car = app.product.add("Car", 10.0, "", 100);
    let bike = app.product.add("Bike", 5.0, "", 100);
    let (_, a_token) = app.customer();
    let (_, b_token) = app.customer();
    app.add(&a_token, car, 2).await;
    app.add(&a_token, bike, 1).await;
    app.add(&b_token, car, 4).await;
    let a_before = app.cart(&a_token).await;
    let b_before = app.cart(&b_token).await;

    let mut conn = redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    redis::cmd("FLUSHDB")
        .query_async::<()>(&mut conn)
        .await
        .unwrap();

    assert_eq!(app.cart(&a_token).await, a_before);
    assert_eq!(app.cart(&b_token).await, b_before);
    assert_eq!(names(&a_before), ["Car", "Bike"]);
}

#[tokio::test]
async fn a_redis_outage_is_served_from_mysql_and_old_data_is_purged_on_reconnect() {
    // The test Redis URL may or may not name a database: `redis://host:port[/db]`.
    let url = super::support::redis_url();
    let rest = url.trim_start_matches("redis://");
    let (host, db) = rest.split_once('/').unwrap_or((rest, "0"));
    let db = if db.is_empty() { "0" } else { db };
    let proxy = TcpProxy::start(host).await;
    let app = TestApp::spawn_with(Options {
        redis_url: format!("redis://{}/{db}", proxy.addr()),
        ..Options::default()
    })
    .await;
    let car = app.product.add("Car", 10.0, "", 100);
    let bike = app.product.add("Bike", 5.0, "", 100);
    let (user, token) = app.customer();
    let first = app.add(&token, car, 1).await;
    assert_eq!(first.status, 201);
    let stale_line = app.cached(user).await[first.data()["id"].as_str().unwrap()].clone();

    proxy.cut();
    assert_eq!(
        names(&app.cart(&token).await),
        ["Car"],
        "GET served from MySQL"
    );
    assert_eq!(app.add(&token, bike, 2).await.status, 201, "writes go on");
    let ready = app
        .http
        .get(format!("{}/ready", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status().as_u16(), 503);

    // Old data comes back with Redis: an older version and stale lines.
    app.redis_cmd(redis::cmd("DEL").arg(app.key(user))).await;
    app.redis_cmd(
        redis::cmd("HSET")
            .arg(app.key(user))
            .arg("_v")
            .arg("1")
            .arg(first.data()["id"].as_str().unwrap())
            .arg(stale_line),
    )
    .await;
    proxy.restore();

    let cart = app.cart(&token).await;
    assert_eq!(
        names(&cart),
        ["Car", "Bike"],
        "the outage's writes are shown"
    );
    test_support::service::wait_ready(&app.base).await;
    assert_eq!(names(&app.cart(&token).await), ["Car", "Bike"]);
    assert_eq!(app.cached(user).await["_v"], "2", "re-cached from MySQL");
}

#[tokio::test]
async fn a_mysql_outage_keeps_cached_carts_readable_and_answers_503_to_what_needs_mysql() {
    let proxy = TcpProxy::start("127.0.0.1:3306").await;
    let app = TestApp::spawn_with(Options {
        mysql_via: Some(proxy.addr().to_string()),
        ..Options::default()
    })
    .await;
    let car = app.product.add("Car", 10.0, "", 100);
    let (user, token) = app.customer();
    app.add(&token, car, 1).await;
    let (_, other_token) = app.customer();

    proxy.cut();
    assert_eq!(
        names(&app.cart(&token).await),
        ["Car"],
        "cached cart still served"
    );
    let res = app.get("/v1/carts/user", &other_token).await;
    assert_eq!(res.status, 503, "not cached and MySQL down: {:?}", res.body);
    assert!(!res.message().contains("mysql") && !res.message().contains("sqlx"));
    assert_eq!(app.add(&token, car, 1).await.status, 503);
    let event = super::support::envelope(
        "product.deleted",
        json!({"product_id": car, "version": 2, "deleted_at": "2024-05-01T10:00:00Z"}),
    );
    assert_eq!(
        app.event(event.clone()).await.status,
        503,
        "the relay retries"
    );

    proxy.restore();
    test_support::service::wait_ready(&app.base).await;
    assert_eq!(app.event(event).await.data()["result"], "applied");
    assert!(app.rows(user).await.is_empty());
}
