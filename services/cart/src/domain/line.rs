//! The line object (api/cart.md §2, "Line object"): one product in one user's cart.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One cart line as stored in MySQL and in the Redis hash (§6.3: price as a decimal string there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub id: Uuid,
    pub user_id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub product_image_url: String,
    pub product_price: Decimal,
    pub product_quantity: u32,
    pub note: String,
    pub product_version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

// The line on the wire, keys in the contract's order; the price a JSON number (compat). Also the schema
// `CartLine` of the OpenAPI document.
/// One product in one user's cart (api/cart.md §2 "Line object"; keys in this order).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = CartLine)]
pub struct LineView {
    /// line id (UUIDv7)
    id: Uuid,
    /// owner (the token's sub)
    user_id: Uuid,
    product_id: Uuid,
    /// from the product service
    product_name: String,
    /// absolute URL or empty
    product_image_url: String,
    /// unit price from the product service, 2 decimals
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64, minimum = 0, example = 19.99)]
    product_price: Decimal,
    /// 1..CART_MAX_LINE_QUANTITY
    #[schema(minimum = 1)]
    product_quantity: u32,
    #[schema(max_length = 255)]
    note: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

// The literal of `note` above.
const _: () = assert!(super::input::NOTE_MAX_CHARS == 255);

impl CartLine {
    pub fn view(&self) -> LineView {
        LineView {
            id: self.id,
            user_id: self.user_id,
            product_id: self.product_id,
            product_name: self.product_name.clone(),
            product_image_url: self.product_image_url.clone(),
            product_price: self.product_price.round_dp(2),
            product_quantity: self.product_quantity,
            note: self.note.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// §3.1: lines by `created_at`, then `id`.
pub fn sort_lines(lines: &mut [CartLine]) {
    lines.sort_by_key(|l| (l.created_at, l.id));
}

/// §3.1 (compat, design §2): the list of lines, or `null` for an empty cart.
pub fn list_view(lines: &[CartLine]) -> Option<Vec<LineView>> {
    (!lines.is_empty()).then(|| lines.iter().map(CartLine::view).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn line(price: &str) -> CartLine {
        let t = DateTime::parse_from_rfc3339("2024-05-01T10:00:00.123456Z")
            .unwrap()
            .with_timezone(&Utc);
        CartLine {
            id: Uuid::nil(),
            user_id: Uuid::nil(),
            product_id: Uuid::nil(),
            product_name: "Car".into(),
            product_image_url: String::new(),
            product_price: Decimal::from_str(price).unwrap(),
            product_quantity: 2,
            note: String::new(),
            product_version: 3,
            created_at: t,
            updated_at: t,
        }
    }

    #[test]
    fn the_wire_line_has_the_contract_keys_in_order_and_a_numeric_price() {
        let json = serde_json::to_string(&line("19.99").view()).unwrap();
        let keys: Vec<&str> = [
            "id",
            "user_id",
            "product_id",
            "product_name",
            "product_image_url",
            "product_price",
            "product_quantity",
            "note",
            "created_at",
            "updated_at",
        ]
        .to_vec();
        let mut at = 0;
        for key in keys {
            let found = json[at..].find(&format!("\"{key}\"")).expect(key);
            at += found;
        }
        assert!(json.contains("\"product_price\":19.99"), "{json}");
        assert!(!json.contains("product_version"));
    }

    #[test]
    fn the_cached_line_keeps_the_price_as_a_decimal_string() {
        let json = serde_json::to_value(line("100.00")).unwrap();
        assert_eq!(json["product_price"], "100.00");
        let back: CartLine = serde_json::from_value(json).unwrap();
        assert_eq!(back, line("100.00"));
    }

    #[test]
    fn an_empty_cart_lists_as_null() {
        assert!(list_view(&[]).is_none());
        assert_eq!(list_view(&[line("1")]).unwrap().len(), 1);
    }
}
