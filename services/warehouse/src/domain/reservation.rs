//! Reservation statuses and what each transition does from each status (contract: api/warehouse.md
//! §2.5, §5.2): commit after release, release after commit are refused; repeating a transition is a no-op.

use serde::{Deserialize, Serialize};

/// `status` of a reservation (§2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReservationStatus {
    Reserved,
    Committed,
    Released,
    Returned,
}

/// What a transition does from the current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Change the status and move the stock.
    Apply,
    /// Already there: 200, nothing changes.
    AlreadyDone,
    /// Illegal from here: 409 on the HTTP routes, an anomaly on events.
    Refused,
}

impl ReservationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReservationStatus::Reserved => "RESERVED",
            ReservationStatus::Committed => "COMMITTED",
            ReservationStatus::Released => "RELEASED",
            ReservationStatus::Returned => "RETURNED",
        }
    }

    pub fn parse(raw: &str) -> Option<ReservationStatus> {
        match raw {
            "RESERVED" => Some(ReservationStatus::Reserved),
            "COMMITTED" => Some(ReservationStatus::Committed),
            "RELEASED" => Some(ReservationStatus::Released),
            "RETURNED" => Some(ReservationStatus::Returned),
            _ => None,
        }
    }

    /// X2: RESERVED → COMMITTED (stock leaves).
    pub fn commit(self) -> Step {
        match self {
            ReservationStatus::Reserved => Step::Apply,
            ReservationStatus::Committed => Step::AlreadyDone,
            ReservationStatus::Released | ReservationStatus::Returned => Step::Refused,
        }
    }

    /// X3: RESERVED → RELEASED (stock back to available).
    pub fn release(self) -> Step {
        match self {
            ReservationStatus::Reserved => Step::Apply,
            ReservationStatus::Released => Step::AlreadyDone,
            ReservationStatus::Committed | ReservationStatus::Returned => Step::Refused,
        }
    }

    /// Return (events only): COMMITTED → RETURNED (shipped stock comes back).
    pub fn return_stock(self) -> Step {
        match self {
            ReservationStatus::Committed => Step::Apply,
            ReservationStatus::Returned => Step::AlreadyDone,
            ReservationStatus::Reserved | ReservationStatus::Released => Step::Refused,
        }
    }

    /// X1 with the same order id and the same items answers 200 only while the stock is still held.
    pub fn replayable(self) -> bool {
        matches!(
            self,
            ReservationStatus::Reserved | ReservationStatus::Committed
        )
    }
}

/// What an `order.status_changed` asks of the reservation (§5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderEffect {
    Release,
    Commit,
    /// `restock: true`: return committed stock; a still-reserved one is released when the order was
    /// cancelled, expired or rejected.
    Return {
        or_release: bool,
    },
    Nothing,
}

/// The order statuses of the spec README ("Shared values"); `SHIPPED` is an alias of `ON_DELIVERY`.
pub const ORDER_STATUSES: &[&str] = &[
    "PENDING",
    "PAYMENT_ACCEPTED",
    "ON_DELIVERY",
    "DELIVERED",
    "FAILED",
    "REJECTED",
    "EXPIRED",
    "CANCELLED",
    "SHIPPED",
];

/// The effect of an order reaching `status`; `None` for a status that does not exist.
pub fn order_effect(status: &str, restock: bool) -> Option<OrderEffect> {
    if !ORDER_STATUSES.contains(&status) {
        return None;
    }
    let releases = matches!(status, "EXPIRED" | "CANCELLED" | "REJECTED");
    Some(if restock {
        OrderEffect::Return {
            or_release: releases,
        }
    } else if releases {
        OrderEffect::Release
    } else if status == "PAYMENT_ACCEPTED" {
        OrderEffect::Commit
    } else {
        OrderEffect::Nothing
    })
}

#[cfg(test)]
mod tests {
    use super::ReservationStatus::*;
    use super::*;

    #[test]
    fn release_after_commit_and_commit_after_release_are_refused() {
        assert_eq!(Committed.release(), Step::Refused);
        assert_eq!(Released.commit(), Step::Refused);
        assert_eq!(Returned.commit(), Step::Refused);
        assert_eq!(Returned.release(), Step::Refused);
    }

    #[test]
    fn repeating_a_transition_changes_nothing() {
        assert_eq!(Released.release(), Step::AlreadyDone);
        assert_eq!(Committed.commit(), Step::AlreadyDone);
        assert_eq!(Returned.return_stock(), Step::AlreadyDone);
        assert_eq!(Reserved.commit(), Step::Apply);
        assert_eq!(Reserved.release(), Step::Apply);
        assert_eq!(Committed.return_stock(), Step::Apply);
        assert_eq!(Reserved.return_stock(), Step::Refused);
    }

    #[test]
    fn only_held_reservations_replay() {
        assert!(Reserved.replayable() && Committed.replayable());
        assert!(!Released.replayable() && !Returned.replayable());
    }

    #[test]
    fn order_statuses_map_to_their_effects() {
        assert_eq!(order_effect("EXPIRED", false), Some(OrderEffect::Release));
        assert_eq!(order_effect("CANCELLED", false), Some(OrderEffect::Release));
        assert_eq!(order_effect("REJECTED", false), Some(OrderEffect::Release));
        assert_eq!(
            order_effect("PAYMENT_ACCEPTED", false),
            Some(OrderEffect::Commit)
        );
        assert_eq!(order_effect("DELIVERED", false), Some(OrderEffect::Nothing));
        assert_eq!(order_effect("FAILED", false), Some(OrderEffect::Nothing));
        assert_eq!(
            order_effect("CANCELLED", true),
            Some(OrderEffect::Return { or_release: true })
        );
        assert_eq!(
            order_effect("FAILED", true),
            Some(OrderEffect::Return { or_release: false })
        );
        assert_eq!(order_effect("SHIPPED", false), Some(OrderEffect::Nothing));
        assert_eq!(order_effect("LOST", false), None);
    }

    #[test]
    fn statuses_round_trip() {
        for s in [Reserved, Committed, Released, Returned] {
            assert_eq!(ReservationStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReservationStatus::parse("reserved"), None);
    }
}
