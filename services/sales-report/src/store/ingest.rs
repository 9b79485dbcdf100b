//! Writing rows from the consumed events (api/sales-report.md §4): each delivery is one transaction that
//! records the event id in `processed_events` (the idempotency guard) and inserts its rows.

use std::collections::HashMap;

use eshop_common::outbox::{pg, Envelope};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::event::{SaleCreated, SaleReversed};
use crate::domain::margin::margin_for;

/// What a delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The event id was already recorded; nothing ran.
    Duplicate,
    /// Recorded, with this many rows inserted (0 when every line was already there).
    Rows(u64),
    /// Nothing stored and the id not recorded: a reversal of an order without sale rows (and, in the
    /// route, an unhandled event type).
    Ignored,
}

/// `sale.created`: one `sale` row per item, the margin from `product_costs` or `default_rate` (§3.1);
/// a line already recorded for (order, product, warehouse) is skipped.
pub async fn record_sale(
    pool: &PgPool,
    envelope: &Envelope,
    sale: &SaleCreated,
    default_rate: Decimal,
) -> Result<Applied, sqlx::Error> {
    let mut tx = pool.begin().await?;
    if !pg::record_processed(&mut tx, envelope).await? {
        tx.commit().await?;
        return Ok(Applied::Duplicate);
    }
    let products: Vec<Uuid> = sale.items.iter().map(|i| i.product_id).collect();
    let costs: HashMap<Uuid, Decimal> = sqlx::query_as::<_, (Uuid, Decimal)>(
        "SELECT product_id, cost_price FROM product_costs WHERE product_id = ANY($1)",
    )
    .bind(&products)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    let mut inserted = 0;
    for item in &sale.items {
        let margin = margin_for(
            item.price,
            costs.get(&item.product_id).copied(),
            default_rate,
        );
        let done = sqlx::query(
            "INSERT INTO sales (id, order_id, user_id, product_id, warehouse_id, order_item_id, product_name,
                 sku, kind, product_quantity, price, cost_price, margin_per_product, margin_source,
                 margin_rate, sold_at, source_event_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sale', $9, $10, $11, $12, $13, $14, $15, $16)
             ON CONFLICT (order_id, product_id, warehouse_id, kind) DO NOTHING",
        )
        .bind(Uuid::now_v7())
        .bind(sale.order_id)
        .bind(sale.user_id)
        .bind(item.product_id)
        .bind(item.warehouse_id)
        .bind(item.order_item_id)
        .bind(&item.product_name)
        .bind(&item.sku)
        .bind(item.quantity)
        .bind(item.price)
        .bind(margin.cost_price)
        .bind(margin.per_unit)
        .bind(margin.source)
        .bind(margin.rate)
        .bind(sale.sold_at)
        .bind(envelope.id)
        .execute(&mut *tx)
        .await?;
        inserted += done.rows_affected();
    }
    tx.commit().await?;
    Ok(Applied::Rows(inserted))
}

/// `sale.reversed`: for each `sale` row of the order a `reversal` row copying it with the quantity
/// negated and `sold_at = reversed_at`; the margin is the sale row's, never recomputed.
pub async fn record_reversal(
    pool: &PgPool,
    envelope: &Envelope,
    reversal: &SaleReversed,
) -> Result<Applied, sqlx::Error> {
    let mut tx = pool.begin().await?;
    if !pg::record_processed(&mut tx, envelope).await? {
        tx.commit().await?;
        return Ok(Applied::Duplicate);
    }
    let lines: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT product_id, warehouse_id FROM sales WHERE order_id = $1 AND kind = 'sale'",
    )
    .bind(reversal.order_id)
    .fetch_all(&mut *tx)
    .await?;
    if lines.is_empty() {
        tx.rollback().await?;
        return Ok(Applied::Ignored);
    }
    let ids: Vec<Uuid> = lines.iter().map(|_| Uuid::now_v7()).collect();
    let (products, warehouses): (Vec<Uuid>, Vec<Uuid>) = lines.into_iter().unzip();
    let done = sqlx::query(
        "INSERT INTO sales (id, order_id, user_id, product_id, warehouse_id, order_item_id, product_name, sku,
             kind, product_quantity, price, cost_price, margin_per_product, margin_source, margin_rate,
             sold_at, source_event_id)
         SELECT k.id, s.order_id, s.user_id, s.product_id, s.warehouse_id, s.order_item_id, s.product_name,
             s.sku, 'reversal', -s.product_quantity, s.price, s.cost_price, s.margin_per_product,
             s.margin_source, s.margin_rate, $5, $6
         FROM unnest($2::uuid[], $3::uuid[], $4::uuid[]) AS k(id, product_id, warehouse_id)
         JOIN sales s ON s.order_id = $1 AND s.kind = 'sale'
             AND s.product_id = k.product_id AND s.warehouse_id = k.warehouse_id
         ON CONFLICT (order_id, product_id, warehouse_id, kind) DO NOTHING",
    )
    .bind(reversal.order_id)
    .bind(&ids)
    .bind(&products)
    .bind(&warehouses)
    .bind(reversal.reversed_at)
    .bind(envelope.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Applied::Rows(done.rows_affected()))
}
