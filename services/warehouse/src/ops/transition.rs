//! Commit, release and return of a reservation (contract: api/warehouse.md §2.5, §5.2), shared by X2,
//! X3, R3 and `order.status_changed`.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::distinct;
use crate::domain::reservation::{ReservationStatus, Step};
use crate::error::{retry_once, ApiResult};
use crate::store::movements::{self, NewMovement};
use crate::store::outbox::{stock_changed, Reason};
use crate::store::products;
use crate::store::reservations::{self, view, ReservationView};
use crate::store::stock::{self, Delta};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// RESERVED → COMMITTED: `reserved -= n`, one SHIPMENT per line.
    Commit,
    /// RESERVED → RELEASED: `reserved -= n`, `available += n`.
    Release,
    /// COMMITTED → RETURNED: `available += n`, one ADJUSTMENT into each source warehouse.
    Return,
}

#[derive(Debug)]
pub enum Outcome {
    Applied(ReservationView),
    AlreadyDone(ReservationView),
    Refused(ReservationView),
    Unknown,
}

/// One transition in the caller's transaction. `order_status` names the order's status in a return's note.
pub async fn apply_in(
    conn: &mut PgConnection,
    order_id: Uuid,
    transition: Transition,
    order_status: &str,
) -> Result<Outcome, sqlx::Error> {
    let Some(row) = reservations::lock(conn, order_id).await? else {
        return Ok(Outcome::Unknown);
    };
    let (step, target, reason) = match transition {
        Transition::Commit => (
            row.status().commit(),
            ReservationStatus::Committed,
            Reason::Commit,
        ),
        Transition::Release => (
            row.status().release(),
            ReservationStatus::Released,
            Reason::Release,
        ),
        Transition::Return => (
            row.status().return_stock(),
            ReservationStatus::Returned,
            Reason::Return,
        ),
    };
    let lines = reservations::lines(conn, &[order_id]).await?;
    match step {
        Step::AlreadyDone => return Ok(Outcome::AlreadyDone(view(row, &lines))),
        Step::Refused => return Ok(Outcome::Refused(view(row, &lines))),
        Step::Apply => {}
    }
    let ids = distinct(lines.iter().map(|l| l.product_id));
    let names = products::lock(conn, &ids).await?;
    stock::places(conn, &distinct(lines.iter().map(|l| l.warehouse_id)), true).await?;
    stock::levels(conn, &ids, true).await?;
    let deltas: Vec<Delta> = lines
        .iter()
        .map(|l| {
            let (available, reserved) = match transition {
                Transition::Commit => (0, -l.quantity),
                Transition::Release => (l.quantity, -l.quantity),
                Transition::Return => (l.quantity, 0),
            };
            Delta {
                warehouse_id: l.warehouse_id,
                product_id: l.product_id,
                available,
                reserved,
            }
        })
        .collect();
    stock::apply(conn, &deltas).await?;
    let note = format!("order {order_status}: stock returned");
    for line in &lines {
        let name = names
            .iter()
            .find(|p| p.id == line.product_id)
            .map_or("", |p| p.name.as_str());
        let movement = match transition {
            Transition::Release => continue,
            Transition::Commit => NewMovement {
                kind: "SHIPMENT",
                product_id: line.product_id,
                product_name: name,
                quantity: line.quantity,
                from: Some(line.warehouse_id),
                to: None,
                to_user: Some(row.user_id),
                order_id: Some(order_id),
                created_by: None,
                note: None,
            },
            Transition::Return => NewMovement {
                kind: "ADJUSTMENT",
                product_id: line.product_id,
                product_name: name,
                quantity: line.quantity,
                from: None,
                to: Some(line.warehouse_id),
                to_user: None,
                order_id: Some(order_id),
                created_by: None,
                note: Some(&note),
            },
        };
        movements::insert(conn, &movement).await?;
    }
    let row = reservations::set_status(conn, order_id, target).await?;
    stock_changed(conn, &ids, reason).await?;
    Ok(Outcome::Applied(view(row, &lines)))
}

/// X2, X3, R3: one transition in its own transaction.
pub async fn apply(pool: &PgPool, order_id: Uuid, transition: Transition) -> ApiResult<Outcome> {
    retry_once(|| async {
        let mut tx = pool.begin().await?;
        let outcome = apply_in(&mut tx, order_id, transition, "").await?;
        tx.commit().await?;
        Ok(outcome)
    })
    .await
}
