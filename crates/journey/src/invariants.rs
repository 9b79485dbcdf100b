//! What must hold after every scenario (issue 10): stock conservation, one set of sales rows per accepted
//! order, no PENDING order past its deadline plus a sweep, no outbox row left undelivered.

use std::time::{Duration, Instant};

use sqlx::{PgPool, Row};

use crate::fleet::Fleet;

async fn pg(fleet: &Fleet, svc: &str) -> PgPool {
    PgPool::connect(&fleet.dbs[svc].url)
        .await
        .unwrap_or_else(|e| panic!("connect to {svc}'s database: {e}"))
}

/// Per product: what the warehouses hold (available + reserved) equals what came in (INITIAL and
/// ADJUSTMENT into a warehouse) minus what left (ADJUSTMENT out of one, SHIPMENT); transfers move stock
/// without changing the sum. No quantity is negative (CHECK constraints), and every reserved unit belongs
/// to a RESERVED reservation line. Returns the violations.
pub async fn stock_violations(fleet: &Fleet) -> Vec<String> {
    let pool = pg(fleet, "warehouse").await;
    let rows = sqlx::query(
        "WITH held AS (
             SELECT product_id, SUM(available + reserved)::bigint AS held, SUM(reserved)::bigint AS reserved
             FROM warehouse_products GROUP BY product_id),
         moved AS (
             SELECT product_id,
                 SUM(CASE WHEN type = 'INITIAL' THEN quantity
                          WHEN type = 'ADJUSTMENT' AND to_warehouse_id IS NOT NULL THEN quantity
                          WHEN type = 'ADJUSTMENT' AND from_warehouse_id IS NOT NULL THEN -quantity
                          WHEN type = 'SHIPMENT' THEN -quantity
                          ELSE 0 END)::bigint AS net
             FROM stock_movements GROUP BY product_id),
         promised AS (
             SELECT l.product_id, SUM(l.quantity)::bigint AS promised
             FROM reservation_lines l JOIN reservations r USING (order_id)
             WHERE r.status = 'RESERVED' GROUP BY l.product_id)
         SELECT h.product_id::text AS product_id, h.held, COALESCE(m.net, 0) AS net, h.reserved,
                COALESCE(p.promised, 0) AS promised
         FROM held h LEFT JOIN moved m USING (product_id) LEFT JOIN promised p USING (product_id)",
    )
    .fetch_all(&pool)
    .await
    .expect("stock query");
    let mut out = Vec::new();
    for r in rows {
        let (id, held, net, reserved, promised): (String, i64, i64, i64, i64) = (
            r.get("product_id"),
            r.get("held"),
            r.get("net"),
            r.get("reserved"),
            r.get("promised"),
        );
        if held != net {
            out.push(format!(
                "product {id}: warehouses hold {held}, movements say {net}"
            ));
        }
        if reserved != promised {
            out.push(format!(
                "product {id}: {reserved} reserved, open reservations promise {promised}"
            ));
        }
    }
    out
}

/// Every order that reached PAYMENT_ACCEPTED (or later, through it) has exactly one `sale.created` and its
/// sales rows once; no PENDING order is past its deadline plus `slack`.
pub async fn order_violations(fleet: &Fleet, slack: Duration) -> Vec<String> {
    let orders = pg(fleet, "order").await;
    let sales = pg(fleet, "sales-report").await;
    let mut out = Vec::new();
    let late: Vec<String> = sqlx::query_scalar(
        "SELECT id::text FROM orders WHERE status = 'PENDING' AND payment_deadline IS NOT NULL
           AND payment_deadline < now() - make_interval(secs => $1)",
    )
    .bind(slack.as_secs_f64())
    .fetch_all(&orders)
    .await
    .expect("late orders query");
    for id in late {
        out.push(format!("order {id} is PENDING past its deadline"));
    }
    let accepted: Vec<(String, i64)> = sqlx::query_as(
        "SELECT o.id::text, COUNT(h.*) FILTER (WHERE h.to_status = 'PAYMENT_ACCEPTED')
         FROM orders o JOIN order_status_history h ON h.order_id = o.id
         GROUP BY o.id HAVING bool_or(h.to_status = 'PAYMENT_ACCEPTED')",
    )
    .fetch_all(&orders)
    .await
    .expect("accepted orders query");
    for (id, times) in accepted {
        if times != 1 {
            out.push(format!("order {id} became PAYMENT_ACCEPTED {times} times"));
        }
        // One sales row per (line, warehouse) of the order: its allocations.
        let allocations: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM order_item_allocations a JOIN order_items i ON i.id = a.order_item_id
             WHERE i.order_id = $1::uuid",
        )
        .bind(&id)
        .fetch_one(&orders)
        .await
        .expect("allocations");
        let rows: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sales WHERE order_id = $1::uuid AND kind = 'sale'",
        )
        .bind(&id)
        .fetch_one(&sales)
        .await
        .expect("sales rows");
        if rows != allocations {
            out.push(format!(
                "order {id}: {allocations} allocated lines but {rows} sales rows"
            ));
        }
        let created: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT event_id) FROM outbox WHERE aggregate_id = $1::uuid AND type = 'sale.created'",
        )
        .bind(&id)
        .fetch_one(&orders)
        .await
        .expect("sale.created rows");
        if created != 1 {
            out.push(format!("order {id}: {created} sale.created events"));
        }
    }
    out
}

/// Reservations and orders agree: a RESERVED reservation belongs to a PENDING order, and a
/// PAYMENT_ACCEPTED (or later shipped) order's reservation is COMMITTED; no stock stays reserved for an order
/// that does not exist or has ended.
pub async fn reservation_violations(fleet: &Fleet) -> Vec<String> {
    let warehouse = pg(fleet, "warehouse").await;
    let orders = pg(fleet, "order").await;
    let reservations: Vec<(String, String)> =
        sqlx::query_as("SELECT order_id::text, status FROM reservations")
            .fetch_all(&warehouse)
            .await
            .expect("reservations");
    let statuses: std::collections::HashMap<String, String> =
        sqlx::query_as::<_, (String, String)>("SELECT id::text, status FROM orders")
            .fetch_all(&orders)
            .await
            .expect("orders")
            .into_iter()
            .collect();
    let mut out = Vec::new();
    for (order, reservation) in reservations {
        let status = statuses.get(&order).map(String::as_str);
        let fine = matches!(
            (reservation.as_str(), status),
            ("RESERVED", Some("PENDING"))
                | (
                    "COMMITTED",
                    Some("PAYMENT_ACCEPTED" | "ON_DELIVERY" | "DELIVERED" | "FAILED")
                )
                | (
                    "RELEASED",
                    None | Some("CANCELLED" | "EXPIRED" | "REJECTED")
                )
                | ("RETURNED", Some("CANCELLED" | "FAILED"))
        );
        if !fine {
            out.push(format!(
                "reservation of order {order} is {reservation}, the order is {status:?}"
            ));
        }
    }
    out
}

/// Outbox rows not delivered (order, warehouse, payment outboxes on SQL).
pub async fn undelivered(fleet: &Fleet) -> Vec<String> {
    let mut out = Vec::new();
    for svc in ["order", "warehouse"] {
        let pool = pg(fleet, svc).await;
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id::text, type, subscriber FROM outbox WHERE delivered_at IS NULL",
        )
        .fetch_all(&pool)
        .await
        .expect("outbox query");
        out.extend(
            rows.into_iter()
                .map(|(id, t, s)| format!("{svc} outbox {id} {t} → {s}")),
        );
    }
    let payments = sqlx::MySqlPool::connect(&fleet.dbs["payment"].url)
        .await
        .expect("payments db");
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, type FROM outbox WHERE delivered_at IS NULL")
            .fetch_all(&payments)
            .await
            .expect("payment outbox");
    out.extend(
        rows.into_iter()
            .map(|(id, t)| format!("payment outbox {id} {t}")),
    );
    out
}

/// Waits up to `within` for the relays to drain and then checks every invariant; panics listing the
/// violations.
pub async fn assert_all(fleet: &Fleet, within: Duration) {
    let start = Instant::now();
    loop {
        let mut v = undelivered(fleet).await;
        if v.is_empty() {
            v.extend(stock_violations(fleet).await);
            v.extend(reservation_violations(fleet).await);
            v.extend(order_violations(fleet, Duration::from_secs(5)).await);
        }
        if v.is_empty() {
            return;
        }
        if start.elapsed() > within {
            panic!("invariants broken:\n  {}", v.join("\n  "));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
