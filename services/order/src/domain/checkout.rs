//! Checkout and quote input (api/order.md §3.1, §3.8): field rules with one cause per bad field, line
//! merging, and the request hash the idempotency key is checked against.

use eshop_common::Cause;
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const MAX_LINES: usize = 100;
pub const MAX_QUANTITY: i64 = 1000;
pub const MAX_NOTE: usize = 500;
pub const MAX_ADDRESS_FIELD: usize = 255;
/// PostgreSQL text holds no NUL character: such text is bad input (400), not a failed insert (500).
pub const NO_NUL: &str = "must not contain NUL characters";

// These types are also the request bodies' schemas in the OpenAPI document (wire names by `rename`); the
// routes add the ignored `items[].price` there.

/// One checkout line (merged once parsed: lines of one product are summed, the first non-empty note kept).
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
#[schema(as = CheckoutLine)]
pub struct Line {
    pub product_id: Uuid,
    /// 1–1000 after merging
    #[schema(minimum = 1, maximum = 1000)]
    pub quantity: i32,
    /// default ""; not read by the quote
    #[schema(required = false, nullable, max_length = 500, default = "")]
    pub note: String,
}

/// The shipping address (wire key `zipcode`); text is trimmed.
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
#[schema(as = ShippingAddress)]
pub struct Address {
    #[schema(min_length = 1, max_length = 255)]
    pub street: String,
    #[schema(min_length = 1, max_length = 255)]
    pub city: String,
    #[schema(min_length = 1, max_length = 255)]
    pub state: String,
    #[schema(pattern = "^[0-9]{3,10}$")]
    pub zipcode: String,
    /// default ""
    #[schema(required = false, nullable, max_length = 500, default = "")]
    pub note: String,
}

/// A checkout (a valid one once parsed); unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
#[schema(as = CheckoutRequest)]
pub struct Checkout {
    #[schema(rename = "items", min_items = 1, max_items = 100)]
    pub lines: Vec<Line>,
    pub address: Address,
}

/// A quote: O0's rules for `items` and `address.zipcode`, other fields ignored (a valid one once parsed:
/// the lines and the zip code).
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
#[schema(as = QuoteRequest)]
pub struct Quote {
    #[schema(rename = "items", min_items = 1, max_items = 100)]
    pub lines: Vec<Line>,
    /// `address.zipcode` on the wire
    #[schema(rename = "address", schema_with = quote_address)]
    pub zipcode: String,
}

// The literals of the schemas above.
const _: () = assert!(
    MAX_LINES == 100 && MAX_QUANTITY == 1000 && MAX_NOTE == 500 && MAX_ADDRESS_FIELD == 255
);

/// The quote's `address`: only `zipcode` is read.
fn quote_address() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .property(
            "zipcode",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[0-9]{3,10}$")),
        )
        .required("zipcode")
        .description(Some("only zipcode is read"))
        .build()
}

/// O0's body; every bad field is reported.
pub fn parse_checkout(body: &Value) -> Result<Checkout, Vec<Cause>> {
    let mut causes = Vec::new();
    let lines = parse_lines(body, &mut causes, true);
    let address = body.get("address").filter(|a| a.is_object());
    if address.is_none() {
        causes.push(Cause::new("address", "is required"));
    }
    let empty = Value::Null;
    let a = address.unwrap_or(&empty);
    let address = Address {
        street: text_field(a, "street", "address.street", &mut causes),
        city: text_field(a, "city", "address.city", &mut causes),
        state: text_field(a, "state", "address.state", &mut causes),
        zipcode: zipcode(a, &mut causes),
        note: note(a.get("note"), "address.note", &mut causes),
    };
    if causes.is_empty() {
        Ok(Checkout { lines, address })
    } else {
        Err(causes)
    }
}

/// O8's body: O0's rules for `items` and `address.zipcode`; other fields ignored.
pub fn parse_quote(body: &Value) -> Result<Quote, Vec<Cause>> {
    let mut causes = Vec::new();
    let lines = parse_lines(body, &mut causes, false);
    let empty = Value::Null;
    let address = body.get("address").filter(|a| a.is_object());
    if address.is_none() {
        causes.push(Cause::new("address", "is required"));
    }
    let zipcode = zipcode(address.unwrap_or(&empty), &mut causes);
    if causes.is_empty() {
        Ok(Quote { lines, zipcode })
    } else {
        Err(causes)
    }
}

fn parse_lines(body: &Value, causes: &mut Vec<Cause>, with_notes: bool) -> Vec<Line> {
    let Some(items) = body.get("items").and_then(Value::as_array) else {
        causes.push(Cause::new("items", "must be a list of 1–100 lines"));
        return Vec::new();
    };
    if items.is_empty() || items.len() > MAX_LINES {
        causes.push(Cause::new("items", "must hold 1–100 lines"));
        return Vec::new();
    }
    let mut merged: Vec<Line> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let product_id = item
            .get("product_id")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok());
        if product_id.is_none() {
            causes.push(Cause::new(
                format!("items[{i}].product_id"),
                "must be a UUID",
            ));
        }
        let quantity = item
            .get("quantity")
            .and_then(Value::as_i64)
            .filter(|q| (1..=MAX_QUANTITY).contains(q));
        if quantity.is_none() {
            causes.push(Cause::new(
                format!("items[{i}].quantity"),
                "must be a whole number from 1 to 1000",
            ));
        }
        let note = if with_notes {
            note(item.get("note"), &format!("items[{i}].note"), causes)
        } else {
            String::new()
        };
        let (Some(product_id), Some(quantity)) = (product_id, quantity) else {
            continue;
        };
        match merged.iter_mut().find(|l| l.product_id == product_id) {
            Some(line) => {
                line.quantity = line.quantity.saturating_add(quantity as i32);
                if line.note.is_empty() {
                    line.note = note;
                }
                if i64::from(line.quantity) > MAX_QUANTITY {
                    causes.push(Cause::new(
                        format!("items[{i}].quantity"),
                        "the merged quantity of a product must not exceed 1000",
                    ));
                }
            }
            None => merged.push(Line {
                product_id,
                quantity: quantity as i32,
                note,
            }),
        }
    }
    merged
}

fn text_field(address: &Value, key: &str, field: &str, causes: &mut Vec<Cause>) -> String {
    match address.get(key).and_then(Value::as_str).map(str::trim) {
        Some(v) if v.contains('\0') => {
            causes.push(Cause::new(field, NO_NUL));
            String::new()
        }
        Some(v) if !v.is_empty() && v.chars().count() <= MAX_ADDRESS_FIELD => v.to_string(),
        _ => {
            causes.push(Cause::new(field, "is required, 1–255 characters"));
            String::new()
        }
    }
}

fn zipcode(address: &Value, causes: &mut Vec<Cause>) -> String {
    match address
        .get("zipcode")
        .and_then(Value::as_str)
        .map(str::trim)
    {
        Some(z) if (3..=10).contains(&z.len()) && z.bytes().all(|b| b.is_ascii_digit()) => {
            z.to_string()
        }
        _ => {
            causes.push(Cause::new("address.zipcode", "must be 3–10 digits"));
            String::new()
        }
    }
}

fn note(value: Option<&Value>, field: &str, causes: &mut Vec<Cause>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) if s.contains('\0') => {
            causes.push(Cause::new(field, NO_NUL));
            String::new()
        }
        Some(Value::String(s)) if s.chars().count() <= MAX_NOTE => s.clone(),
        Some(_) => {
            causes.push(Cause::new(
                field,
                "must be a text of at most 500 characters",
            ));
            String::new()
        }
    }
}

impl Checkout {
    /// SHA-256 of the normalised request: merged lines sorted by product id, notes, the address.
    pub fn hash(&self) -> Vec<u8> {
        let mut lines: Vec<&Line> = self.lines.iter().collect();
        lines.sort_by_key(|l| l.product_id);
        let normal = serde_json::json!({
            "lines": lines.iter().map(|l| (l.product_id, l.quantity, &l.note)).collect::<Vec<_>>(),
            "address": [&self.address.street, &self.address.city, &self.address.state,
                        &self.address.zipcode, &self.address.note],
        });
        Sha256::digest(normal.to_string().as_bytes()).to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(items: Value) -> Value {
        json!({"items": items, "address": {"street": " Main 1 ", "city": "C", "state": "S", "zipcode": "15326"}})
    }

    #[test]
    fn lines_of_one_product_merge_keeping_the_first_non_empty_note() {
        let p = Uuid::new_v4();
        let q = Uuid::new_v4();
        let c = parse_checkout(&body(json!([
            {"product_id": p, "quantity": 2, "price": 0},
            {"product_id": q, "quantity": 1, "note": "gift"},
            {"product_id": p, "quantity": 3, "note": "red"},
        ])))
        .unwrap();
        assert_eq!(c.lines.len(), 2);
        assert_eq!(c.lines[0].quantity, 5);
        assert_eq!(c.lines[0].note, "red");
        assert_eq!(c.address.street, "Main 1");
    }

    #[test]
    fn bad_quantities_ids_and_addresses_are_each_named() {
        for q in [json!(0), json!(-1), json!(1.5), json!("2"), json!(1001)] {
            let err = parse_checkout(&body(
                json!([{"product_id": Uuid::new_v4(), "quantity": q}]),
            ))
            .unwrap_err();
            assert_eq!(err[0].field, "items[0].quantity", "{q}");
        }
        let err = parse_checkout(&body(json!([{"product_id": "x", "quantity": 1}]))).unwrap_err();
        assert_eq!(err[0].field, "items[0].product_id");
        let mut b = body(json!([{"product_id": Uuid::new_v4(), "quantity": 1}]));
        b["address"]["zipcode"] = json!("12a45");
        b["address"]["street"] = json!("  ");
        let fields: Vec<String> = parse_checkout(&b)
            .unwrap_err()
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(fields, ["address.street", "address.zipcode"]);
        assert!(parse_checkout(&body(json!([]))).is_err());
    }

    #[test]
    fn the_hash_ignores_line_order_but_not_quantities() {
        let (p, q) = (Uuid::new_v4(), Uuid::new_v4());
        let a = parse_checkout(&body(
            json!([{"product_id": p, "quantity": 1}, {"product_id": q, "quantity": 2}]),
        ))
        .unwrap();
        let b = parse_checkout(&body(
            json!([{"product_id": q, "quantity": 2}, {"product_id": p, "quantity": 1}]),
        ))
        .unwrap();
        let c = parse_checkout(&body(
            json!([{"product_id": q, "quantity": 3}, {"product_id": p, "quantity": 1}]),
        ))
        .unwrap();
        assert_eq!(a.hash(), b.hash());
        assert_ne!(a.hash(), c.hash());
    }
}
