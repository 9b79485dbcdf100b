//! Consuming `payment.submitted` and `payment.reviewed` (api/order.md §3.10, design §4.3): in one
//! transaction, record the event id (a repeat is `duplicate`) and apply the effect to the locked order.

use chrono::{DateTime, Utc};
use eshop_common::outbox::{pg, Envelope, EventResult};
use eshop_common::AppError;
use serde::Deserialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::config::OrderSettings;
use crate::domain::status::{Actor, OrderStatus};
use crate::store::orders;
use crate::store::transitions::{self, Transition};

#[derive(Debug, Deserialize)]
struct Submitted {
    payment_id: Uuid,
    order_id: Uuid,
    user_id: Uuid,
    submitted_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
struct Reviewed {
    payment_id: Uuid,
    order_id: Uuid,
    status: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    reject_order: bool,
    #[serde(default)]
    reviewed_by: Option<Uuid>,
}

enum Payment {
    Submitted(Submitted),
    Reviewed(Reviewed),
}

/// Applies `envelope`; a malformed `data` → 400 (the producer parks the row). Returns whether the
/// outbox gained rows (the relay should be woken).
pub async fn apply(
    pool: &PgPool,
    settings: &OrderSettings,
    envelope: &Envelope,
) -> Result<(EventResult, bool), AppError> {
    let bad = |e: serde_json::Error| AppError::bad_request(format!("invalid event data: {e}"));
    let event = match envelope.event_type.as_str() {
        "payment.submitted" => {
            Payment::Submitted(serde_json::from_value(envelope.data.clone()).map_err(bad)?)
        }
        "payment.reviewed" => {
            let r: Reviewed = serde_json::from_value(envelope.data.clone()).map_err(bad)?;
            if r.status != "APPROVED" && r.status != "REJECTED" {
                return Err(AppError::bad_request(
                    "payment.reviewed status must be APPROVED or REJECTED",
                ));
            }
            Payment::Reviewed(r)
        }
        _ => return Ok((EventResult::Ignored, false)),
    };
    let mut tx = pool.begin().await?;
    if !pg::record_processed(&mut tx, envelope).await? {
        return Ok((EventResult::Duplicate, false));
    }
    let (result, emitted) = match &event {
        Payment::Submitted(s) => (submitted(&mut tx, s).await?, false),
        Payment::Reviewed(r) => reviewed(&mut tx, settings, r).await?,
    };
    tx.commit().await?;
    Ok((result, emitted))
}

async fn submitted(conn: &mut PgConnection, s: &Submitted) -> Result<EventResult, AppError> {
    let Some(order) = orders::lock(conn, s.order_id).await? else {
        tracing::info!(order_id = %s.order_id, "payment.submitted for an unknown order ignored");
        return Ok(EventResult::Ignored);
    };
    if order.status != OrderStatus::Pending || order.user_id != s.user_id {
        tracing::info!(order_id = %s.order_id, status = %order.status, "payment.submitted ignored");
        return Ok(EventResult::Ignored);
    }
    // The timer stops while a proof is under review (design §5.2).
    sqlx::query(
        "UPDATE orders SET payment_id = $2, payment_status = 'PENDING', payment_submitted_at = $3,
                payment_deadline = NULL, payment_note = NULL, updated_at = now()
         WHERE id = $1",
    )
    .bind(s.order_id)
    .bind(s.payment_id)
    .bind(s.submitted_at)
    .execute(&mut *conn)
    .await?;
    Ok(EventResult::Applied)
}

async fn reviewed(
    conn: &mut PgConnection,
    settings: &OrderSettings,
    r: &Reviewed,
) -> Result<(EventResult, bool), AppError> {
    let Some(order) = orders::lock(conn, r.order_id).await? else {
        tracing::info!(order_id = %r.order_id, "payment.reviewed for an unknown order ignored");
        return Ok((EventResult::Ignored, false));
    };
    let current = order.payment_id.is_none_or(|p| p == r.payment_id);
    let already_reviewed = order.payment_id == Some(r.payment_id)
        && order.payment_status.as_deref() == Some(r.status.as_str());
    if order.status != OrderStatus::Pending || !current || already_reviewed {
        // A superseded proof, or a review after expiry or cancel, changes nothing and emits no sale.
        tracing::info!(order_id = %r.order_id, status = %order.status, "payment.reviewed ignored");
        return Ok((EventResult::Ignored, false));
    }
    // The admin's note is display text: a NUL (PostgreSQL text holds none) is dropped, not a reason to
    // park a review.
    let note = r.note.as_deref().unwrap_or_default().replace('\0', "");
    let approved = r.status == "APPROVED";
    let rejections = order.payment_rejections + i32::from(!approved);
    sqlx::query(
        "UPDATE orders SET payment_id = $2, payment_status = $3, payment_note = $4,
                payment_rejections = $5, updated_at = now()
         WHERE id = $1",
    )
    .bind(order.id)
    .bind(r.payment_id)
    .bind(&r.status)
    .bind(&note)
    .bind(rejections)
    .execute(&mut *conn)
    .await?;
    let to = if approved {
        OrderStatus::PaymentAccepted
    } else if rejections >= settings.max_payment_rejections || r.reject_order {
        OrderStatus::Rejected
    } else {
        // A non-final rejection: a fresh deadline, no history row, no event (api/order.md §3.10).
        sqlx::query(
            "UPDATE orders SET payment_deadline = now() + make_interval(secs => $2) WHERE id = $1",
        )
        .bind(order.id)
        .bind(settings.payment_timeout.as_secs_f64())
        .execute(&mut *conn)
        .await?;
        return Ok((EventResult::Applied, false));
    };
    let transition = Transition {
        from: OrderStatus::Pending,
        to,
        actor: Actor::Payment,
        actor_id: r.reviewed_by,
        note: &note,
        restock: false,
    };
    let moved = transitions::apply(conn, &order, &transition).await?;
    Ok((EventResult::Applied, moved))
}
