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
    /// The line on the wire (its strings moved, not copied).
    pub fn into_view(self) -> LineView {
        LineView {
            id: self.id,
            user_id: self.user_id,
            product_id: self.product_id,
            product_name: self.product_name,
            product_image_url: self.product_image_url,
            product_price: self.product_price.round_dp(2),
            product_quantity: self.product_quantity,
            note: self.note,
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
pub fn list_view(lines: Vec<CartLine>) -> Option<Vec<LineView>> {
    (!lines.is_empty()).then(|| lines.into_iter().map(CartLine::into_view).collect())
}

/// Bytes to reserve for a list of `n` lines on the wire: a line without name, image or note is ~330 bytes.
pub fn list_bytes(n: usize) -> usize {
    64 + n * 512
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
        let json = serde_json::to_string(&line("19.99").into_view()).unwrap();
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
        assert!(list_view(vec![]).is_none());
        assert_eq!(list_view(vec![line("1")]).unwrap().len(), 1);
    }

    #[test]
    fn lines_sort_by_creation_then_id() {
        let mut later = line("1");
        later.created_at += chrono::Duration::microseconds(1);
        let mut second = line("1");
        second.id = Uuid::from_u128(2);
        let mut lines = vec![later.clone(), second.clone(), line("1")];
        sort_lines(&mut lines);
        assert_eq!(lines, vec![line("1"), second, later]);
    }

    #[test]
    fn the_list_reserves_room_for_lines_with_a_name_an_image_and_a_note() {
        let mut long = line("99999.99");
        long.product_name = "N".repeat(48);
        long.product_image_url = format!("https://images.example.com/{}.jpg", "p".repeat(32));
        long.note = "n".repeat(40);
        let one = serde_json::to_vec(&long.into_view()).unwrap().len();
        assert!(list_bytes(10) >= 10 * (one + 1), "{one}");
    }
}
