//! One status transition = one transaction (api/order.md §3.7): a conditional update on the expected
//! status, one history row, `order.status_changed` for the warehouse, and `sale.created` or
//! `sale.reversed` for sales-report — all in the caller's transaction, so concurrent attempts have exactly
//! one winner.

use chrono::{DateTime, Utc};
use eshop_common::outbox::pg;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::status::{side_effects, Actor, OrderStatus};
use crate::events::{self, SALES_REPORT, WAREHOUSE};
use crate::store::orders::{self, OrderRecord};

/// A requested transition.
#[derive(Debug, Clone)]
pub struct Transition<'a> {
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub actor: Actor,
    pub actor_id: Option<Uuid>,
    pub note: &'a str,
    /// O6's `restock`, read only with FAILED.
    pub restock: bool,
}

/// Applies `t` to `order` (read in this transaction). False, with nothing written, when the table has
/// no such row or the order is no longer in `t.from`.
pub async fn apply(
    conn: &mut PgConnection,
    order: &OrderRecord,
    t: &Transition<'_>,
) -> Result<bool, sqlx::Error> {
    if !t.from.can_become(t.to) {
        return Ok(false);
    }
    let effects = side_effects(t.from, t.to, t.restock);
    let changed_at: Option<DateTime<Utc>> = sqlx::query_scalar(
        "UPDATE orders SET status = $3, payment_deadline = NULL, status_note = $4, updated_at = now(),
                refund_status = CASE WHEN $5 THEN 'DUE' ELSE refund_status END
         WHERE id = $1 AND status = $2
         RETURNING updated_at",
    )
    .bind(order.id)
    .bind(t.from.as_str())
    .bind(t.to.as_str())
    .bind(t.note)
    .bind(effects.reverse_sale)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(changed_at) = changed_at else {
        return Ok(false);
    };
    orders::insert_history(
        conn,
        order.id,
        Some(t.from),
        t.to,
        t.note,
        t.actor.as_str(),
        t.actor_id,
    )
    .await?;
    let status = events::status_changed(
        order.id,
        order.user_id,
        Some(t.from),
        t.to,
        t.note,
        t.actor.as_str(),
        effects.restock,
        changed_at,
    );
    pg::enqueue(conn, &status, order.id, &[WAREHOUSE]).await?;
    if effects.create_sale {
        pg::enqueue(
            conn,
            &events::sale_created(order, changed_at),
            order.id,
            &[SALES_REPORT],
        )
        .await?;
    }
    if effects.reverse_sale {
        pg::enqueue(
            conn,
            &events::sale_reversed(order, t.to, changed_at),
            order.id,
            &[SALES_REPORT],
        )
        .await?;
    }
    Ok(true)
}
