//! Shipping fees (api/order.md §3.8): one fee per (order, source warehouse) from the zip-code distance,
//! booked on the first line that draws from that warehouse; never multiplied by quantity.

use std::collections::HashSet;

use rust_decimal::{Decimal, RoundingStrategy};
use uuid::Uuid;

/// `SHIPPING_BASE_FEE`, `SHIPPING_RATE_PER_ZIP_UNIT`, `SHIPPING_MAX_FEE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingRates {
    pub base: Decimal,
    pub rate: Decimal,
    pub max: Decimal,
}

impl Default for ShippingRates {
    fn default() -> Self {
        ShippingRates {
            base: Decimal::new(1000, 2),
            rate: Decimal::new(1, 2),
            max: Decimal::new(25000, 2),
        }
    }
}

/// One source warehouse of one product, as the warehouse allocates it (README, warehouse X1/X5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub product_id: Uuid,
    pub warehouse_id: Uuid,
    pub warehouse_zip_code: String,
    pub quantity: i32,
}

/// An allocation with its distance (None when the warehouse zip is not numeric) and booked fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostedAllocation {
    pub warehouse_id: Uuid,
    pub warehouse_zip_code: String,
    pub quantity: i32,
    pub distance: Option<i64>,
    pub shipping_cost: Decimal,
}

/// One line's allocations and its `shipping_cost` (Σ of its allocations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineShipping {
    pub allocations: Vec<CostedAllocation>,
    pub shipping_cost: Decimal,
}

impl ShippingRates {
    /// `min(max, base + rate × d)` rounded half-up to cents, with the distance used.
    pub fn fee(&self, customer_zip: &str, warehouse_zip: &str) -> (Decimal, Option<i64>) {
        let distance = match (zip_number(customer_zip), zip_number(warehouse_zip)) {
            (Some(a), Some(b)) => (a - b).abs(),
            _ => {
                tracing::warn!(
                    warehouse_zip,
                    "a warehouse zip code is not numeric: maximum shipping fee"
                );
                return (self.max, None);
            }
        };
        let raw = self.base + self.rate * Decimal::from(distance);
        let fee = raw
            .min(self.max)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        (fee, Some(distance))
    }

    /// Books shipping over `lines` (product ids in line order) and the warehouse's `allocations`.
    pub fn book(
        &self,
        customer_zip: &str,
        lines: &[Uuid],
        allocations: &[Allocation],
    ) -> Vec<LineShipping> {
        let mut booked: HashSet<Uuid> = HashSet::new();
        lines
            .iter()
            .map(|product_id| {
                let allocations: Vec<CostedAllocation> = allocations
                    .iter()
                    .filter(|a| a.product_id == *product_id)
                    .map(|a| {
                        let (fee, distance) = self.fee(customer_zip, &a.warehouse_zip_code);
                        let first = booked.insert(a.warehouse_id);
                        CostedAllocation {
                            warehouse_id: a.warehouse_id,
                            warehouse_zip_code: a.warehouse_zip_code.clone(),
                            quantity: a.quantity,
                            distance,
                            shipping_cost: if first { fee } else { Decimal::ZERO },
                        }
                    })
                    .collect();
                let shipping_cost = allocations.iter().map(|a| a.shipping_cost).sum();
                LineShipping {
                    allocations,
                    shipping_cost,
                }
            })
            .collect()
    }
}

/// A zip code as a decimal integer (leading zeros ignored); None unless 1–18 ASCII digits.
fn zip_number(zip: &str) -> Option<i64> {
    let zip = zip.trim();
    if zip.is_empty() || zip.len() > 18 || !zip.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    zip.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn alloc(product: Uuid, warehouse: Uuid, zip: &str, quantity: i32) -> Allocation {
        Allocation {
            product_id: product,
            warehouse_id: warehouse,
            warehouse_zip_code: zip.into(),
            quantity,
        }
    }

    #[test]
    fn the_documented_fees_hold() {
        let r = ShippingRates::default();
        assert_eq!(r.fee("15326", "10250"), (dec("60.76"), Some(5076)));
        assert_eq!(r.fee("10250", "10250").0, dec("10.00"));
        assert_eq!(r.fee("10110", "10111").0, dec("10.01"));
        assert_eq!(r.fee("10111", "10110").0, dec("10.01"));
        assert_eq!(r.fee("00100", "99999").0, dec("250.00"));
        assert_eq!(r.fee("15326", "abc"), (dec("250.00"), None));
    }

    #[test]
    fn fees_round_half_up_to_cents() {
        let r = ShippingRates {
            base: dec("0"),
            rate: dec("0.005"),
            max: dec("100"),
        };
        assert_eq!(r.fee("1", "2").0, dec("0.01"));
    }

    #[test]
    fn one_fee_per_warehouse_on_the_first_line_and_quantity_never_multiplies() {
        let r = ShippingRates::default();
        let (p1, p2, p3, w1, w2) = (
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
        );
        let allocations = vec![
            alloc(p1, w1, "10250", 7),
            alloc(p2, w1, "10250", 1),
            alloc(p3, w2, "15000", 2),
            alloc(p3, w1, "10250", 3),
        ];
        let lines = r.book("15326", &[p1, p2, p3], &allocations);
        assert_eq!(lines[0].shipping_cost, dec("60.76"));
        assert_eq!(lines[1].shipping_cost, dec("0"));
        // p3: w2 is new (10 + 3.26), w1 was booked by line 1.
        assert_eq!(lines[2].shipping_cost, dec("13.26"));
        assert_eq!(lines[2].allocations.len(), 2);
        assert_eq!(lines[2].allocations[1].shipping_cost, dec("0"));
    }
}
