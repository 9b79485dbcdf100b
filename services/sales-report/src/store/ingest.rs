//! Writing rows from the consumed events (api/sales-report.md §4): each delivery is one transaction that
//! records the event id in `processed_events` (the idempotency guard) and inserts its rows.

use std::collections::HashMap;

use eshop_common::outbox::{pg, Envelope};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::event::{SaleCreated, SaleItem, SaleReversed};
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
    let margins: Vec<_> = sale
        .items
        .iter()
        .map(|item| {
            margin_for(
                item.price,
                costs.get(&item.product_id).copied(),
                default_rate,
            )
        })
        .collect();
    let items = &sale.items;
    // One statement for the whole event: the hourly rollup's trigger then runs once (migration 0003).
    let done = sqlx::query(
        "INSERT INTO sales (id, order_id, user_id, product_id, warehouse_id, order_item_id, product_name,
             sku, kind, product_quantity, price, cost_price, margin_per_product, margin_source,
             margin_rate, sold_at, source_event_id)
         SELECT i.id, $1, $2, i.product_id, i.warehouse_id, i.order_item_id, i.product_name, i.sku, 'sale',
             i.quantity, i.price, i.cost_price, i.margin, i.margin_source, i.margin_rate, $3, $4
         FROM unnest($5::uuid[], $6::uuid[], $7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::int4[],
                     $12::numeric[], $13::numeric[], $14::numeric[], $15::text[], $16::numeric[])
             WITH ORDINALITY AS i(id, product_id, warehouse_id, order_item_id, product_name, sku, quantity,
                                  price, cost_price, margin, margin_source, margin_rate, n)
         ORDER BY i.n
         ON CONFLICT (order_id, product_id, warehouse_id, kind) DO NOTHING",
    )
    .bind(sale.order_id)
    .bind(sale.user_id)
    .bind(sale.sold_at)
    .bind(envelope.id)
    .bind(column(items, |_| Uuid::now_v7()))
    .bind(column(items, |i| i.product_id))
    .bind(column(items, |i| i.warehouse_id))
    .bind(column(items, |i| i.order_item_id))
    .bind(column(items, |i| i.product_name.as_str()))
    .bind(column(items, |i| i.sku.as_str()))
    .bind(column(items, |i| i.quantity))
    .bind(column(items, |i| i.price))
    .bind(margins.iter().map(|m| m.cost_price).collect::<Vec<_>>())
    .bind(margins.iter().map(|m| m.per_unit).collect::<Vec<_>>())
    .bind(margins.iter().map(|m| m.source.as_str()).collect::<Vec<_>>())
    .bind(margins.iter().map(|m| m.rate).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Applied::Rows(done.rows_affected()))
}

/// One field of every item, for an `unnest` column.
fn column<'a, T>(items: &'a [SaleItem], f: impl Fn(&'a SaleItem) -> T) -> Vec<T> {
    items.iter().map(f).collect()
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
