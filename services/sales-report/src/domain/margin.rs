//! The margin rule (api/sales-report.md §3.1): computed once when a row is written, from the product's
//! recorded cost when there is one, else from the configured default rate.

use rust_decimal::{Decimal, RoundingStrategy};

use super::MarginSource;

/// A row's margin per unit and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Margin {
    pub per_unit: Decimal,
    pub source: MarginSource,
    /// The default rate used; `None` for a cost-table margin.
    pub rate: Option<Decimal>,
    /// The unit cost used; `None` for a default-rate margin.
    pub cost_price: Option<Decimal>,
}

/// First match wins: a known cost → `price − cost` (negative when cost > price); otherwise
/// `round(price × rate, 2)`, half away from zero (100.50 × 0.15 → 15.08).
pub fn margin_for(price: Decimal, cost_price: Option<Decimal>, default_rate: Decimal) -> Margin {
    match cost_price {
        Some(cost) => Margin {
            per_unit: price - cost,
            source: MarginSource::CostTable,
            rate: None,
            cost_price: Some(cost),
        },
        None => Margin {
            per_unit: (price * default_rate)
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
            source: MarginSource::DefaultRate,
            rate: Some(default_rate),
            cost_price: None,
        },
    }
}

/// `margin / revenue` to 4 decimals, `None` when revenue is 0 (§2.4 `margin_rate`).
pub fn margin_rate(margin: Decimal, revenue: Decimal) -> Option<Decimal> {
    if revenue.is_zero() {
        return None;
    }
    Some((margin / revenue).round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_default_rate_rounds_half_away_from_zero() {
        let m = margin_for(d("100.50"), None, d("0.15"));
        assert_eq!(m.per_unit, d("15.08"));
        assert_eq!(m.source, MarginSource::DefaultRate);
        assert_eq!(m.rate, Some(d("0.15")));
        assert_eq!(m.cost_price, None);
        assert_eq!(margin_for(d("100.50"), None, d("0.2")).per_unit, d("20.10"));
    }

    #[test]
    fn a_known_cost_wins_and_may_give_a_negative_margin() {
        let m = margin_for(d("100"), Some(d("80")), d("0.15"));
        assert_eq!(m.per_unit, d("20"));
        assert_eq!(m.source, MarginSource::CostTable);
        assert_eq!(m.rate, None);
        assert_eq!(
            margin_for(d("10"), Some(d("12.5")), d("0.15")).per_unit,
            d("-2.5")
        );
    }

    #[test]
    fn the_margin_rate_has_four_decimals_and_is_none_without_revenue() {
        assert_eq!(margin_rate(d("1"), d("3")), Some(d("0.3333")));
        assert_eq!(margin_rate(d("0"), d("0")), None);
    }
}
