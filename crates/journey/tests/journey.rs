//! Issue 10, part 1 and 2: the whole journey across the real fleet, and the ways an order ends, with the
//! invariants checked after each. One fleet serves the scenarios of this binary in sequence.

use std::time::Duration;

use journey::fleet::FleetOptions;
use journey::invariants;
use journey::shop::{eventually, Shop, MAIN_WAREHOUSE};
use serde_json::Value;

const SURABAYA_ZIP: &str = "60111";
const BANDUNG_ZIP: &str = "40111";

fn id(v: &Value) -> String {
    v.as_str().expect("an id").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_customer_buys_two_cars_and_every_ending_of_an_order_keeps_the_books_straight() {
    let shop = Shop::open(FleetOptions {
        payment_timeout_secs: 8,
        expiry_grace_secs: 1,
        sweep_interval_secs: 1,
        ..FleetOptions::default()
    })
    .await;
    let category = shop.category("Journey sedans").await;
    let surabaya = shop.warehouse("Journey Surabaya", SURABAYA_ZIP).await;
    let bandung = shop.warehouse("Journey Bandung", BANDUNG_ZIP).await;
    let sedan = shop
        .product("Journey Sedan", "250000000.50", 10, &category)
        .await;
    let bike = shop.product("Journey Bike", "35000000", 6, &category).await;
    shop.transfer(&sedan, MAIN_WAREHOUSE, &surabaya, 4).await;
    shop.transfer(&bike, MAIN_WAREHOUSE, &bandung, 2).await;

    // 1. A guest browses and searches without an account.
    let list = shop
        .api
        .get(&shop.url("product", "/v1/products"), None)
        .await
        .expect(200, "list");
    assert!(list
        .data()
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == sedan.as_str()));
    let found = eventually(
        Duration::from_secs(10),
        "search finds the sedan",
        || async {
            let r = shop
                .api
                .get(&shop.url("product", "/v1/products?q=journey%20sed"), None)
                .await
                .expect(200, "search");
            (r.data().as_array().unwrap().len() == 1).then_some(r)
        },
    )
    .await;
    assert_eq!(found.data()[0]["id"], sedan.as_str());

    // Signs up, confirms, logs in, adds two products, checks out to Surabaya.
    let alice = shop.sign_up("alice-journey").await;
    shop.add_to_cart(&alice, &sedan, 2)
        .await
        .expect(201, "add sedan");
    shop.add_to_cart(&alice, &bike, 1)
        .await
        .expect(201, "add bike");
    let lines = shop.cart(&alice).await;
    assert_eq!(lines.len(), 2);
    let sedan_line = lines
        .iter()
        .find(|l| l["product_id"] == sedan.as_str())
        .unwrap();
    assert_eq!(
        sedan_line["product_price"].as_f64(),
        Some(250000000.5),
        "price from the catalogue"
    );
    let checked = shop
        .checkout(&alice, SURABAYA_ZIP, "alice-1")
        .await
        .expect(200, "checkout");
    let order_id = id(&checked.data()["order_id"]);
    assert!(
        shop.cart(&alice).await.is_empty(),
        "the cart lines left with the order"
    );

    // The order is PENDING with a countdown.
    let order = shop.order(&alice, &order_id).await;
    assert_eq!(order["status"], "PENDING");
    let ttl = shop
        .api
        .get(
            &shop.url("order", &format!("/v1/orders/{order_id}/ttl")),
            Some(&alice.token),
        )
        .await
        .expect(200, "ttl");
    assert!(ttl.data()["ttl_seconds"].as_i64().unwrap() > 0);
    // Sedans came from Surabaya (nearest), the bike from the main warehouse's stock? Bandung is nearer
    // to 60111 than Jakarta 10250 by zip distance: |60111-40111| < |60111-10250|.
    assert_eq!(shop.available(&sedan, &surabaya).await, 2);
    assert_eq!(shop.available(&bike, &bandung).await, 1);

    // Uploads a proof; the timer stops; an admin approves; PAYMENT_ACCEPTED.
    let payment = shop
        .upload_proof(&alice, &order_id)
        .await
        .expect(201, "proof");
    let payment_id = id(&payment.data()["id"]);
    let order = shop.order(&alice, &order_id).await;
    assert_eq!(
        order["payment_status"], "PENDING",
        "the order knows the proof before the upload answers"
    );
    shop.review(&payment_id, "APPROVED", false)
        .await
        .expect(200, "approve");
    shop.wait_status(&order_id, "PAYMENT_ACCEPTED").await;

    // Ships and delivers with a note.
    shop.set_status(&order_id, "ON_DELIVERY", "left the warehouse")
        .await
        .expect(200, "ship");
    let delivered = shop
        .set_status(&order_id, "DELIVERED", "handed to alice")
        .await
        .expect(200, "deliver");
    assert_eq!(delivered.data()["status"], "DELIVERED");
    let history = shop
        .api
        .get(
            &shop.url("order", &format!("/v1/orders/{order_id}/history")),
            Some(&alice.token),
        )
        .await
        .expect(200, "history");
    assert!(history.body.to_string().contains("handed to alice"));

    // The sale is in the report with the right warehouse; the stock left Surabaya and Bandung.
    let rows = eventually(
        Duration::from_secs(20),
        "sales rows for the sedan",
        || async {
            let rows = shop.sales_of(&sedan).await;
            (!rows.is_empty()).then_some(rows)
        },
    )
    .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["warehouse_id"], surabaya.as_str());
    assert_eq!(rows[0]["product_quantity"], 2);
    assert!(
        rows[0]["margin_per_product"].as_f64().unwrap() > 0.0,
        "a margin from the default rate"
    );
    let bike_rows = shop.sales_of(&bike).await;
    assert_eq!(bike_rows[0]["warehouse_id"], bandung.as_str());
    // Committed: nothing reserved any more, the units left (SHIPMENT movements from Surabaya).
    eventually(Duration::from_secs(20), "the stock left", || async {
        let row = shop.stock_row(&sedan, &surabaya).await;
        (row["reserved_quantity"] == 0 && row["product_quantity"] == 2).then_some(())
    })
    .await;
    let shipped = shop
        .api
        .get(
            &shop.url(
                "warehouse",
                &format!("/v1/stock-movements?product_id={sedan}&type=SHIPMENT"),
            ),
            Some(&shop.admin.token),
        )
        .await
        .expect(200, "movements");
    let shipped = shipped.data().as_array().unwrap().clone();
    assert_eq!(shipped.len(), 1, "{shipped:?}");
    assert_eq!(shipped[0]["from_warehouse_id"], surabaya.as_str());
    assert_eq!(shipped[0]["quantity"], 2);
    assert_eq!(shipped[0]["order_id"], order_id.as_str());
    invariants::assert_all(&shop.fleet, Duration::from_secs(30)).await;

    // 2a. A rejected proof (final) → REJECTED, stock back.
    let bob = shop.sign_up("bob-journey").await;
    let before = shop.available(&sedan, &surabaya).await;
    shop.add_to_cart(&bob, &sedan, 1)
        .await
        .expect(201, "bob adds");
    let order_b = id(&shop
        .checkout(&bob, SURABAYA_ZIP, "bob-1")
        .await
        .expect(200, "bob checks out")
        .data()["order_id"]);
    assert_eq!(shop.available(&sedan, &surabaya).await, before - 1);
    let pay_b = shop.submit_proof(&bob, &order_b).await;
    shop.review(&pay_b, "REJECTED", true)
        .await
        .expect(200, "reject");
    shop.wait_status(&order_b, "REJECTED").await;
    eventually(
        Duration::from_secs(20),
        "stock back after rejection",
        || async { (shop.available(&sedan, &surabaya).await == before).then_some(()) },
    )
    .await;

    // 2b. The customer cancels → CANCELLED, stock back.
    shop.add_to_cart(&bob, &bike, 1)
        .await
        .expect(201, "bob adds a bike");
    let bike_before = shop.available(&bike, &bandung).await;
    let order_c = id(&shop
        .checkout(&bob, BANDUNG_ZIP, "bob-2")
        .await
        .expect(200, "checkout")
        .data()["order_id"]);
    shop.cancel(&bob, &order_c).await.expect(200, "cancel");
    shop.wait_status(&order_c, "CANCELLED").await;
    eventually(
        Duration::from_secs(20),
        "stock back after cancel",
        || async { (shop.available(&bike, &bandung).await == bike_before).then_some(()) },
    )
    .await;

    // 2c. No proof before the deadline (8 s here) → EXPIRED, stock back.
    shop.add_to_cart(&bob, &sedan, 1)
        .await
        .expect(201, "bob adds again");
    let order_d = id(&shop
        .checkout(&bob, SURABAYA_ZIP, "bob-3")
        .await
        .expect(200, "checkout")
        .data()["order_id"]);
    let expired = eventually(Duration::from_secs(30), "the order expires", || async {
        let o = shop.order(&bob, &order_d).await;
        (o["status"] == "EXPIRED").then_some(o)
    })
    .await;
    assert_eq!(expired["payment_deadline"], Value::Null);
    eventually(
        Duration::from_secs(20),
        "stock back after expiry",
        || async { (shop.available(&sedan, &surabaya).await == before).then_some(()) },
    )
    .await;

    // 3. The invariants after all of it.
    invariants::assert_all(&shop.fleet, Duration::from_secs(30)).await;
}
