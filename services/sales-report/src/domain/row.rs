//! The sales row as the list answers it (api/sales-report.md §2.2): compat fields first, in the old order.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

/// `kind`: a sale, or a reversal that copies its sale with the quantity negated (§4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type, utoipa::ToSchema)]
#[schema(as = SaleKind)]
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

/// `margin_source` (§3.1): the recorded unit cost, or the default margin rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type, utoipa::ToSchema)]
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

// Also the list item's schema in the OpenAPI document.
/// One stored row (api/sales-report.md §2.2): compat fields first, in the old order, then the new ones. Field
/// order is the wire order: serde writes fields as declared.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SaleRow {
    /// the buyer
    pub user_id: Uuid,
    pub order_id: Uuid,
    pub product_id: Uuid,
    /// units sold from this warehouse on this line; negative on a reversal row
    pub product_quantity: i32,
    /// margin per unit, exact, at most 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub margin_per_product: Decimal,
    /// The sale time (`sold_at`), under its compat name.
    #[sqlx(rename = "sold_at")]
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
    /// the name at checkout
    pub product_name: String,
    /// the SKU at checkout, "" if unknown
    pub sku: String,
    /// the warehouse the units left from
    pub warehouse_id: Uuid,
    /// unit price charged, exact, at most 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub price: Decimal,
    /// unit cost used for the margin, exact, at most 2 decimals; null when the default rate was used
    #[serde(with = "rust_decimal::serde::float_option")]
    #[schema(value_type = Option<f64>, required = true)]
    pub cost_price: Option<Decimal>,
    /// price × product_quantity, exact, at most 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub revenue: Decimal,
    /// margin_per_product × product_quantity, exact, at most 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub margin_total: Decimal,
    pub margin_source: MarginSource,
    pub kind: Kind,
}
