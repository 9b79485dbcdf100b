//! The consumed events' `data` (api/sales-report.md §4), read into checked values. A broken rule is a
//! [`Cause`] naming the field, so the delivery is refused with 400 and nothing is stored.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use eshop_common::Cause;
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::money::parse_money;

/// `items`: 1..=1000 entries.
pub const MAX_ITEMS: usize = 1000;
/// `items[].quantity`: 1..=1000000.
pub const MAX_QUANTITY: i64 = 1_000_000;
/// `items[].product_name`: at most 255 characters.
pub const MAX_NAME_CHARS: usize = 255;

/// The largest `revenue` or `margin_total` of one row (`numeric(14,2)`).
pub fn max_line_total() -> Decimal {
    Decimal::new(99_999_999_999_999, 2)
}

/// `sale.created`, the fields the report reads.
#[derive(Debug, Clone, PartialEq)]
pub struct SaleCreated {
    pub order_id: Uuid,
    pub user_id: Uuid,
    /// `accepted_at`, else the envelope's `occurred_at`.
    pub sold_at: DateTime<Utc>,
    pub items: Vec<SaleItem>,
}

/// One (order line, source warehouse) share.
#[derive(Debug, Clone, PartialEq)]
pub struct SaleItem {
    pub product_id: Uuid,
    pub warehouse_id: Uuid,
    pub quantity: i32,
    pub price: Decimal,
    pub product_name: String,
    pub sku: String,
    pub order_item_id: Option<Uuid>,
}

/// `sale.reversed`, the fields the report reads.
#[derive(Debug, Clone, PartialEq)]
pub struct SaleReversed {
    pub order_id: Uuid,
    /// `reversed_at`, else the envelope's `occurred_at`.
    pub reversed_at: DateTime<Utc>,
}

/// Collects the broken rules of one event.
#[derive(Default)]
struct Checker {
    causes: Vec<Cause>,
}

impl Checker {
    fn fail(&mut self, field: impl Into<String>, message: &str) {
        self.causes.push(Cause::new(field, message));
    }

    fn uuid(&mut self, obj: &Map<String, Value>, key: &str, field: &str) -> Option<Uuid> {
        match obj.get(key) {
            None | Some(Value::Null) => {
                self.fail(field, "is required");
                None
            }
            Some(v) => self.uuid_value(v, field),
        }
    }

    fn uuid_value(&mut self, value: &Value, field: &str) -> Option<Uuid> {
        match value.as_str().and_then(|s| Uuid::parse_str(s).ok()) {
            Some(id) => Some(id),
            None => {
                self.fail(field, "must be a UUID");
                None
            }
        }
    }

    fn time_or(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        fallback: DateTime<Utc>,
    ) -> DateTime<Utc> {
        match obj.get(key) {
            None | Some(Value::Null) => fallback,
            Some(v) => match v
                .as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            {
                Some(t) => t.with_timezone(&Utc),
                None => {
                    self.fail(key, "must be an RFC 3339 time");
                    fallback
                }
            },
        }
    }

    fn text(&mut self, obj: &Map<String, Value>, key: &str, field: &str) -> String {
        match obj.get(key) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                self.fail(field, "must be a string");
                String::new()
            }
        }
    }

    fn item(&mut self, index: usize, value: &Value) -> Option<SaleItem> {
        let at = |key: &str| format!("items[{index}].{key}");
        let Some(obj) = value.as_object() else {
            self.fail(format!("items[{index}]"), "must be an object");
            return None;
        };
        let product_id = self.uuid(obj, "product_id", &at("product_id"));
        let warehouse_id = self.uuid(obj, "warehouse_id", &at("warehouse_id"));
        let quantity = match obj.get("quantity").and_then(Value::as_i64) {
            Some(q) if (1..=MAX_QUANTITY).contains(&q) => i32::try_from(q).ok(),
            _ => {
                self.fail(at("quantity"), "must be an integer from 1 to 1000000");
                None
            }
        };
        let price = match parse_money(obj.get("price").unwrap_or(&Value::Null)) {
            Ok(p) => Some(p),
            Err(e) => {
                self.fail(at("price"), &e.to_string());
                None
            }
        };
        if let (Some(q), Some(p)) = (quantity, price) {
            // `revenue` is numeric(14,2).
            if p * Decimal::from(q) > max_line_total() {
                self.fail(
                    at("price"),
                    "times quantity must be at most 999999999999.99",
                );
            }
        }
        let product_name = self.text(obj, "product_name", &at("product_name"));
        if product_name.chars().count() > MAX_NAME_CHARS {
            self.fail(at("product_name"), "must be at most 255 characters");
        }
        let sku = self.text(obj, "sku", &at("sku"));
        let order_item_id = match obj.get("order_item_id") {
            None | Some(Value::Null) => None,
            Some(v) => self.uuid_value(v, &at("order_item_id")),
        };
        Some(SaleItem {
            product_id: product_id?,
            warehouse_id: warehouse_id?,
            quantity: quantity?,
            price: price?,
            product_name,
            sku,
            order_item_id,
        })
    }

    fn finish<T>(self, value: Option<T>) -> Result<T, Vec<Cause>> {
        match value {
            Some(v) if self.causes.is_empty() => Ok(v),
            _ if self.causes.is_empty() => Err(vec![Cause::new("data", "is not usable")]),
            _ => Err(self.causes),
        }
    }
}

fn object(data: &Value) -> Result<&Map<String, Value>, Vec<Cause>> {
    data.as_object()
        .ok_or_else(|| vec![Cause::new("data", "must be an object")])
}

/// Reads `sale.created` (§4): required ids, 1..=1000 items, each (product, warehouse) pair once.
/// Shipping fields, `total_price` and any item `cost_price` are ignored.
pub fn parse_sale_created(
    data: &Value,
    occurred_at: DateTime<Utc>,
) -> Result<SaleCreated, Vec<Cause>> {
    let obj = object(data)?;
    let mut check = Checker::default();
    let order_id = check.uuid(obj, "order_id", "order_id");
    let user_id = check.uuid(obj, "user_id", "user_id");
    let sold_at = check.time_or(obj, "accepted_at", occurred_at);
    let mut items = Vec::new();
    match obj.get("items").and_then(Value::as_array) {
        Some(list) if (1..=MAX_ITEMS).contains(&list.len()) => {
            let mut seen = HashSet::new();
            for (i, value) in list.iter().enumerate() {
                if let Some(item) = check.item(i, value) {
                    if !seen.insert((item.product_id, item.warehouse_id)) {
                        check.fail(
                            format!("items[{i}]"),
                            "repeats a (product_id, warehouse_id) pair",
                        );
                    }
                    items.push(item);
                }
            }
        }
        _ => check.fail("items", "must be an array of 1 to 1000 items"),
    }
    let parsed = match (order_id, user_id) {
        (Some(order_id), Some(user_id)) => Some(SaleCreated {
            order_id,
            user_id,
            sold_at,
            items,
        }),
        _ => None,
    };
    check.finish(parsed)
}

/// Reads `sale.reversed` (§4): `order_id` required, `reversed_at` else `occurred_at`.
pub fn parse_sale_reversed(
    data: &Value,
    occurred_at: DateTime<Utc>,
) -> Result<SaleReversed, Vec<Cause>> {
    let obj = object(data)?;
    let mut check = Checker::default();
    let order_id = check.uuid(obj, "order_id", "order_id");
    let reversed_at = check.time_or(obj, "reversed_at", occurred_at);
    let parsed = order_id.map(|order_id| SaleReversed {
        order_id,
        reversed_at,
    });
    check.finish(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at() -> DateTime<Utc> {
        "2025-03-01T10:00:00Z".parse().unwrap()
    }

    fn item(p: &str, w: &str) -> Value {
        json!({"product_id": p, "warehouse_id": w, "quantity": 2, "price": 100.5,
               "product_name": "Helmet", "sku": "H-1", "shipping_cost": 9, "cost_price": 1})
    }

    const P1: &str = "0190a1b2-0000-7000-8000-000000000001";
    const P2: &str = "0190a1b2-0000-7000-8000-000000000002";
    const W1: &str = "0190a1b2-0000-7000-8000-0000000000a1";

    fn sale(items: Vec<Value>) -> Value {
        json!({"order_id": P1, "user_id": P2, "accepted_at": "2025-02-28T23:00:00+01:00",
               "total_price": 1, "shipping_total": 5, "items": items})
    }

    fn fields(causes: Vec<Cause>) -> Vec<String> {
        causes.into_iter().map(|c| c.field).collect()
    }

    #[test]
    fn a_valid_sale_is_read_with_accepted_at_as_the_sale_time() {
        let s = parse_sale_created(&sale(vec![item(P1, W1), item(P2, W1)]), at()).unwrap();
        assert_eq!(
            s.sold_at,
            "2025-02-28T22:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(s.items.len(), 2);
        assert_eq!(s.items[0].price, Decimal::new(1005, 1));
        assert_eq!(s.items[0].product_name, "Helmet");
        assert_eq!(s.items[0].order_item_id, None);
    }

    #[test]
    fn occurred_at_is_the_sale_time_when_accepted_at_is_absent() {
        let mut data = sale(vec![item(P1, W1)]);
        data.as_object_mut().unwrap().remove("accepted_at");
        assert_eq!(parse_sale_created(&data, at()).unwrap().sold_at, at());
    }

    #[test]
    fn each_broken_rule_is_named() {
        let empty = parse_sale_created(&sale(vec![]), at()).unwrap_err();
        assert_eq!(fields(empty), ["items"]);
        let mut bad = item(P1, W1);
        bad["quantity"] = json!(0);
        bad["price"] = json!(1.234);
        bad.as_object_mut().unwrap().remove("warehouse_id");
        let err = parse_sale_created(&sale(vec![bad]), at()).unwrap_err();
        assert_eq!(
            fields(err),
            [
                "items[0].warehouse_id",
                "items[0].quantity",
                "items[0].price"
            ]
        );
        let mut huge = item(P1, W1);
        huge["price"] = json!(9999999999.99);
        huge["quantity"] = json!(1000);
        assert_eq!(
            fields(parse_sale_created(&sale(vec![huge]), at()).unwrap_err()),
            ["items[0].price"]
        );
        let dup = parse_sale_created(&sale(vec![item(P1, W1), item(P1, W1)]), at()).unwrap_err();
        assert_eq!(fields(dup), ["items[1]"]);
        let mut bad_order = sale(vec![item(P1, W1)]);
        bad_order["order_id"] = json!("nope");
        assert_eq!(
            fields(parse_sale_created(&bad_order, at()).unwrap_err()),
            ["order_id"]
        );
        assert!(parse_sale_created(&json!([1]), at()).is_err());
    }

    #[test]
    fn a_reversal_needs_an_order_id() {
        let r = parse_sale_reversed(&json!({"order_id": P1, "reason": "x"}), at()).unwrap();
        assert_eq!(r.reversed_at, at());
        assert!(
            parse_sale_reversed(&json!({"reversed_at": "2025-01-01T00:00:00Z"}), at()).is_err()
        );
    }
}
