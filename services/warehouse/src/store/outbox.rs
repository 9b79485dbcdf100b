//! `stock.changed` (contract: api/warehouse.md §5.1): one outbox row per product whose stock changed, in
//! the same transaction, with the new `stock_version` and the totals as this transaction leaves them.

use chrono::{SubsecRound, Utc};
use eshop_common::outbox::{pg, Envelope};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// The only subscriber of `stock.changed`.
pub const SUBSCRIBER: &str = "product";

/// The event type. It carries the product's whole stock state and product applies only a higher
/// `stock_version`, so the relay supersedes a product's older undelivered events with its newest one.
pub const EVENT_TYPE: &str = "stock.changed";

/// Why a product's stock changed (`reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Initial,
    Reserve,
    Commit,
    Release,
    Return,
    Transfer,
    Shipment,
    Adjustment,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Initial => "INITIAL",
            Reason::Reserve => "RESERVE",
            Reason::Commit => "COMMIT",
            Reason::Release => "RELEASE",
            Reason::Return => "RETURN",
            Reason::Transfer => "TRANSFER",
            Reason::Shipment => "SHIPMENT",
            Reason::Adjustment => "ADJUSTMENT",
        }
    }
}

/// Bumps `stock_version` of each product (the caller holds their locks) and enqueues its `stock.changed`:
/// `quantity` = Σ available over live warehouses, `reserved` = Σ reserved.
pub async fn stock_changed(
    conn: &mut PgConnection,
    product_ids: &[Uuid],
    reason: Reason,
) -> Result<(), sqlx::Error> {
    let mut ids = product_ids.to_vec();
    ids.sort();
    ids.dedup();
    for id in ids {
        let row = sqlx::query(
            "WITH bump AS (
                 UPDATE products SET stock_version = stock_version + 1 WHERE id = $1 RETURNING stock_version)
             SELECT (SELECT stock_version FROM bump) AS stock_version,
                    COALESCE((SELECT sum(wp.available) FROM warehouse_products wp
                              JOIN warehouses w ON w.id = wp.warehouse_id
                              WHERE wp.product_id = $1 AND w.deleted_at IS NULL), 0)::bigint AS quantity,
                    COALESCE((SELECT sum(reserved) FROM warehouse_products WHERE product_id = $1), 0)::bigint
                        AS reserved",
        )
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
        let data = serde_json::json!({
            "product_id": id,
            "quantity": row.get::<i64, _>("quantity"),
            "reserved": row.get::<i64, _>("reserved"),
            "stock_version": row.get::<Option<i64>, _>("stock_version"),
            "reason": reason.as_str(),
            "changed_at": Utc::now().trunc_subsecs(6),
        });
        let envelope = Envelope::new(EVENT_TYPE, "warehouse", data);
        pg::enqueue(&mut *conn, &envelope, id, &[SUBSCRIBER]).await?;
    }
    Ok(())
}
