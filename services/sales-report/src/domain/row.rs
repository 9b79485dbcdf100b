//! The sales row as the list answers it (api/sales-report.md §2.2): compat fields first, in the old order.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

/// `kind`: a sale, or a reversal that copies its sale with the quantity negated (§4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum Kind {
    Sale,
    Reversal,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Sale => "sale",
            Kind::Reversal => "reversal",
        }
    }
}

/// `margin_source` (§3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum MarginSource {
    CostTable,
    DefaultRate,
}

impl MarginSource {
    pub fn as_str(self) -> &'static str {
        match self {
            MarginSource::CostTable => "cost_table",
            MarginSource::DefaultRate => "default_rate",
        }
    }
}

/// One stored row. Field order is the wire order: serde writes fields as declared.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct SaleRow {
    pub user_id: Uuid,
    pub order_id: Uuid,
    pub product_id: Uuid,
    pub product_quantity: i32,
    #[serde(with = "rust_decimal::serde::float")]
    pub margin_per_product: Decimal,
    /// The sale time (`sold_at`), under its compat name.
    #[sqlx(rename = "sold_at")]
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
    pub product_name: String,
    pub sku: String,
    pub warehouse_id: Uuid,
    #[serde(with = "rust_decimal::serde::float")]
    pub price: Decimal,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub cost_price: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float")]
    pub revenue: Decimal,
    #[serde(with = "rust_decimal::serde::float")]
    pub margin_total: Decimal,
    pub margin_source: MarginSource,
    pub kind: Kind,
}
