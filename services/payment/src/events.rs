//! The events payment produces (contract: api/payment.md §4), both for the order service only, ordered by
//! the order id. No URL travels in them: the bucket is private and its URLs expire.

use chrono::{DateTime, SecondsFormat, Utc};
use eshop_common::outbox::Envelope;
use serde_json::json;

use crate::store::Payment;

/// The only subscriber (README "Events").
pub const SUBSCRIBER: &str = "order";
pub const SUBMITTED: &str = "payment.submitted";
pub const REVIEWED: &str = "payment.reviewed";

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn money(amount: rust_decimal::Decimal) -> serde_json::Value {
    // A JSON number with at most 2 decimals (README "Shared values").
    serde_json::from_str(&amount.round_dp(2).to_string()).unwrap_or(serde_json::Value::Null)
}

/// §2.1 step 5.
pub fn submitted(p: &Payment) -> Envelope {
    Envelope::new(
        SUBMITTED,
        "payment",
        json!({
            "payment_id": p.id,
            "order_id": p.order_id,
            "user_id": p.user_id,
            "status": p.status.as_str(),
            "total_amount": money(p.total_amount),
            "content_type": p.content_type,
            "submitted_at": rfc3339(p.created_at),
        }),
    )
}

/// §2.4 step 2, only on a real change. `note` is the reviewer's, `""` when none.
pub fn reviewed(p: &Payment, reject_order: bool) -> Envelope {
    Envelope::new(
        REVIEWED,
        "payment",
        json!({
            "payment_id": p.id,
            "order_id": p.order_id,
            "user_id": p.user_id,
            "status": p.status.as_str(),
            "note": p.admin_note.clone().unwrap_or_default(),
            "reject_order": reject_order,
            "reviewed_by": p.reviewed_by,
            "reviewed_at": p.reviewed_at.map(rfc3339),
        }),
    )
}
