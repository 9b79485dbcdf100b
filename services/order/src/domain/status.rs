//! Order statuses and the complete transition table (design §5, api/order.md §3.7).

use std::fmt;
use std::str::FromStr;

/// The eight order statuses (README "Shared values").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    Pending,
    PaymentAccepted,
    OnDelivery,
    Delivered,
    Failed,
    Rejected,
    Expired,
    Cancelled,
}

/// Who moved an order (history `actor`, api/order.md §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Customer,
    Admin,
    Warehouse,
    System,
    Payment,
}

impl Actor {
    pub const ALL: [Actor; 5] = [
        Actor::Customer,
        Actor::Admin,
        Actor::Warehouse,
        Actor::System,
        Actor::Payment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Customer => "customer",
            Actor::Admin => "admin",
            Actor::Warehouse => "warehouse",
            Actor::System => "system",
            Actor::Payment => "payment",
        }
    }
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 8] = [
        OrderStatus::Pending,
        OrderStatus::PaymentAccepted,
        OrderStatus::OnDelivery,
        OrderStatus::Delivered,
        OrderStatus::Failed,
        OrderStatus::Rejected,
        OrderStatus::Expired,
        OrderStatus::Cancelled,
    ];

    /// Orders warehouse roles may list and read (api/order.md §2).
    pub const TO_SHIP: [OrderStatus; 2] = [OrderStatus::PaymentAccepted, OrderStatus::OnDelivery];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "PENDING",
            OrderStatus::PaymentAccepted => "PAYMENT_ACCEPTED",
            OrderStatus::OnDelivery => "ON_DELIVERY",
            OrderStatus::Delivered => "DELIVERED",
            OrderStatus::Failed => "FAILED",
            OrderStatus::Rejected => "REJECTED",
            OrderStatus::Expired => "EXPIRED",
            OrderStatus::Cancelled => "CANCELLED",
        }
    }

    /// O6's alias of `ON_DELIVERY`.
    pub const SHIPPED: &'static str = "SHIPPED";

    /// A status requested on O6: one of the eight, or `SHIPPED` = `ON_DELIVERY` (api/order.md §3.6).
    pub fn parse_requested(s: &str) -> Option<OrderStatus> {
        match s {
            Self::SHIPPED => Some(OrderStatus::OnDelivery),
            other => other.parse().ok(),
        }
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            OrderStatus::Delivered
                | OrderStatus::Failed
                | OrderStatus::Rejected
                | OrderStatus::Expired
                | OrderStatus::Cancelled
        )
    }

    pub fn is_to_ship(self) -> bool {
        Self::TO_SHIP.contains(&self)
    }

    /// Whether `self → to` is a row of the transition table (api/order.md §3.7), whoever asks.
    pub fn can_become(self, to: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (Pending, Cancelled)
                | (Pending, Expired)
                | (Pending, PaymentAccepted)
                | (Pending, Rejected)
                | (PaymentAccepted, OnDelivery)
                | (PaymentAccepted, Cancelled)
                | (OnDelivery, Delivered)
                | (OnDelivery, Failed)
        )
    }

    /// The rows an admin may request on O6 (api/order.md §3.7 "admin O6").
    pub fn admin_may_become(self, to: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (Pending, Cancelled)
                | (PaymentAccepted, OnDelivery)
                | (PaymentAccepted, Cancelled)
                | (OnDelivery, Delivered)
                | (OnDelivery, Failed)
        )
    }
}

/// What a transition triggers besides the status (api/order.md §3.7 side effects, §5 events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SideEffects {
    /// `order.status_changed.restock`: the warehouse returns committed stock.
    pub restock: bool,
    /// `refund_status = DUE` and a `sale.reversed` event.
    pub reverse_sale: bool,
    /// A `sale.created` event.
    pub create_sale: bool,
}

/// The side effects of `from → to`; `restock_requested` is O6's `restock`, read only with FAILED.
pub fn side_effects(from: OrderStatus, to: OrderStatus, restock_requested: bool) -> SideEffects {
    use OrderStatus::*;
    let reverse_sale = matches!(
        (from, to),
        (PaymentAccepted, Cancelled) | (OnDelivery, Failed)
    );
    let restock = match (from, to) {
        (PaymentAccepted, Cancelled) => true,
        (OnDelivery, Failed) => restock_requested,
        _ => false,
    };
    SideEffects {
        restock,
        reverse_sale,
        create_sale: (from, to) == (Pending, PaymentAccepted),
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderStatus {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        OrderStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::OrderStatus::*;
    use super::*;

    #[test]
    fn the_table_has_exactly_eight_transitions_and_finals_lead_nowhere() {
        let mut count = 0;
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                if from.can_become(to) {
                    count += 1;
                    assert!(!from.is_final(), "{from} is final");
                }
            }
        }
        assert_eq!(count, 8);
        assert!(!Pending.can_become(Pending));
        assert!(!PaymentAccepted.can_become(Delivered));
        assert!(!OnDelivery.can_become(Cancelled));
    }

    #[test]
    fn admin_rows_are_a_subset_of_the_table_without_payment_or_sweeper_moves() {
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                if from.admin_may_become(to) {
                    assert!(from.can_become(to));
                }
            }
        }
        assert!(!Pending.admin_may_become(PaymentAccepted));
        assert!(!Pending.admin_may_become(Expired));
        assert!(!Pending.admin_may_become(Rejected));
    }

    #[test]
    fn shipped_is_an_alias_of_on_delivery_and_unknown_names_are_refused() {
        assert_eq!(OrderStatus::parse_requested("SHIPPED"), Some(OnDelivery));
        assert_eq!(OrderStatus::parse_requested("DELIVERED"), Some(Delivered));
        assert_eq!(OrderStatus::parse_requested("delivered"), None);
        assert_eq!(OrderStatus::parse_requested("LOST"), None);
        assert!("SHIPPED".parse::<OrderStatus>().is_err());
    }

    #[test]
    fn paid_cancellations_and_failures_reverse_the_sale_and_only_they_restock() {
        let e = side_effects(PaymentAccepted, Cancelled, false);
        assert!(e.restock && e.reverse_sale && !e.create_sale);
        let e = side_effects(OnDelivery, Failed, false);
        assert!(!e.restock && e.reverse_sale);
        assert!(side_effects(OnDelivery, Failed, true).restock);
        let e = side_effects(Pending, Cancelled, true);
        assert!(!e.restock && !e.reverse_sale);
        assert!(side_effects(Pending, PaymentAccepted, false).create_sale);
    }
}
