//! Payment status and the review transition (contract: api/payment.md §2.4 step 2): `PENDING` becomes
//! `APPROVED` or `REJECTED` once; asking again for the same decision changes nothing; asking for the other
//! decision is a conflict.

use serde::Serialize;

/// `status` of a payment (README "Shared values").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum PaymentStatus {
    Pending,
    Approved,
    Rejected,
}

impl PaymentStatus {
    /// What a review may ask for (`PENDING` is refused with 422).
    pub const DECISIONS: [PaymentStatus; 2] = [PaymentStatus::Approved, PaymentStatus::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "PENDING",
            PaymentStatus::Approved => "APPROVED",
            PaymentStatus::Rejected => "REJECTED",
        }
    }

    /// Exactly `PENDING`, `APPROVED` or `REJECTED`.
    pub fn parse(text: &str) -> Option<PaymentStatus> {
        match text {
            "PENDING" => Some(PaymentStatus::Pending),
            "APPROVED" => Some(PaymentStatus::Approved),
            "REJECTED" => Some(PaymentStatus::Rejected),
            _ => None,
        }
    }

    /// A proof that blocks another upload for its order (the unique `active_order_id`).
    pub fn is_active(self) -> bool {
        self != PaymentStatus::Rejected
    }
}

/// What a review request does to a payment in `current` status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStep {
    /// Already in the requested status: answer 200, write nothing, emit nothing.
    Unchanged,
    /// The other decision was already taken: 409.
    Conflict,
    /// `PENDING` → the requested decision, with one `payment.reviewed` event.
    Apply,
}

/// `requested` is `APPROVED` or `REJECTED` (a `PENDING` request is refused before, with 422).
pub fn review_step(current: PaymentStatus, requested: PaymentStatus) -> ReviewStep {
    if current == requested {
        ReviewStep::Unchanged
    } else if current == PaymentStatus::Pending {
        ReviewStep::Apply
    } else {
        ReviewStep::Conflict
    }
}

#[cfg(test)]
mod tests {
    use super::PaymentStatus::*;
    use super::*;

    #[test]
    fn a_pending_payment_takes_either_decision() {
        assert_eq!(review_step(Pending, Approved), ReviewStep::Apply);
        assert_eq!(review_step(Pending, Rejected), ReviewStep::Apply);
    }

    #[test]
    fn repeating_a_decision_changes_nothing() {
        assert_eq!(review_step(Approved, Approved), ReviewStep::Unchanged);
        assert_eq!(review_step(Rejected, Rejected), ReviewStep::Unchanged);
    }

    #[test]
    fn reversing_a_decision_is_a_conflict() {
        assert_eq!(review_step(Approved, Rejected), ReviewStep::Conflict);
        assert_eq!(review_step(Rejected, Approved), ReviewStep::Conflict);
    }

    #[test]
    fn statuses_parse_exactly() {
        assert_eq!(PaymentStatus::parse("APPROVED"), Some(Approved));
        assert_eq!(PaymentStatus::parse("approved"), None);
        assert_eq!(PaymentStatus::parse("PAID"), None);
        assert!(Pending.is_active() && Approved.is_active() && !Rejected.is_active());
    }
}
