//! The summary's figures (api/sales-report.md §2.4): totals and one bucket per interval.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use super::margin::margin_rate;

/// Σ over the matching rows; reversal rows count negative, so a reversed sale nets to zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, sqlx::FromRow)]
pub struct Totals {
    #[serde(with = "rust_decimal::serde::float")]
    pub revenue: Decimal,
    pub quantity: i64,
    #[serde(with = "rust_decimal::serde::float")]
    pub margin: Decimal,
    /// `margin / revenue`, 4 decimals; null when revenue is 0.
    #[serde(with = "rust_decimal::serde::float_option")]
    #[sqlx(skip)]
    pub margin_rate: Option<Decimal>,
    /// Distinct orders of `sale` rows.
    pub orders: i64,
    /// Distinct orders of `reversal` rows.
    pub reversals: i64,
    pub lines: i64,
}

impl Totals {
    /// Fills `margin_rate` from the sums.
    pub fn with_rate(mut self) -> Totals {
        self.margin_rate = margin_rate(self.margin, self.revenue);
        self
    }
}

/// One interval of the range, zeros when it has no sale.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Bucket {
    /// Local midnight (of the day, the Monday, the 1st) in the zone, as UTC.
    pub start: DateTime<Utc>,
    /// `YYYY-MM-DD` (day, week) or `YYYY-MM` (month), in the zone.
    pub label: String,
    #[serde(with = "rust_decimal::serde::float")]
    pub revenue: Decimal,
    pub quantity: i64,
    #[serde(with = "rust_decimal::serde::float")]
    pub margin: Decimal,
    pub orders: i64,
    pub reversals: i64,
}
