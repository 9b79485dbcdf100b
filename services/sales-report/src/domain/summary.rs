//! The summary's figures (api/sales-report.md §2.4): totals and one bucket per interval.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use super::margin::margin_rate;

/// Σ over the matching rows; reversal rows count negative, so a reversed sale nets to zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Totals {
    /// Σ revenue, exact, at most 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub revenue: Decimal,
    /// Σ product_quantity
    pub quantity: i64,
    /// Σ margin_total, exact, at most 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub margin: Decimal,
    /// `margin / revenue`, 4 decimals; null when revenue is 0.
    #[serde(with = "rust_decimal::serde::float_option")]
    #[sqlx(skip)]
    #[schema(value_type = Option<f64>, required = true)]
    pub margin_rate: Option<Decimal>,
    /// Distinct orders of `sale` rows.
    pub orders: i64,
    /// Distinct orders of `reversal` rows.
    pub reversals: i64,
    /// Rows.
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
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Bucket {
    /// Local midnight (of the day, the Monday, the 1st) in the zone, as UTC.
    pub start: DateTime<Utc>,
    /// `YYYY-MM-DD` (day, week) or `YYYY-MM` (month), in the zone.
    pub label: String,
    /// Σ revenue, exact, at most 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub revenue: Decimal,
    /// Σ product_quantity
    pub quantity: i64,
    /// Σ margin_total, exact, at most 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub margin: Decimal,
    /// Distinct orders of `sale` rows.
    pub orders: i64,
    /// Distinct orders of `reversal` rows.
    pub reversals: i64,
}
