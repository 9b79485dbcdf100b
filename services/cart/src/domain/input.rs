//! Request bodies read field by field, so every problem is reported in `causes` as `{field, message}`
//! (api/cart.md §2, "Common errors"). Unknown fields are ignored; the client's `product_name`,
//! `product_image_url`, `product_price` and PATCH's `cart_id` among them (§3.3, §3.4).

use eshop_common::{AppError, Cause};
use serde_json::{Map, Value};
use uuid::Uuid;

/// The longest line note, in characters (§2).
pub const NOTE_MAX_CHARS: usize = 255;
/// Ids in one bulk delete (§3.6).
pub const BULK_DELETE_MAX: usize = 100;

pub type Body = Map<String, Value>;

/// Collects field problems; [`Fields::finish`] turns any into one 400.
#[derive(Default)]
pub struct Fields {
    causes: Vec<Cause>,
}

impl Fields {
    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.causes.push(Cause::new(field, message));
    }

    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, AppError> {
        if self.causes.is_empty() {
            Ok(value())
        } else {
            Err(AppError::invalid_fields("invalid request", self.causes))
        }
    }

    /// A required UUID string in any form the parser reads, not the nil UUID.
    pub fn uuid(&mut self, body: &Body, field: &str) -> Option<Uuid> {
        match present(body, field) {
            None => self.fail(field, "is required"),
            Some(Value::String(s)) => match Uuid::parse_str(s.trim()) {
                Ok(id) if !id.is_nil() => return Some(id),
                Ok(_) => self.fail(field, "must not be the nil UUID"),
                Err(_) => self.fail(field, "must be a UUID"),
            },
            Some(_) => self.fail(field, "must be a UUID string"),
        }
        None
    }

    /// A required JSON integer in `1..=max` (`1.5` and `"2"` are refused).
    pub fn quantity(&mut self, body: &Body, field: &str, max: u32) -> Option<u32> {
        let message = format!("must be an integer between 1 and {max}");
        match present(body, field) {
            None => self.fail(field, "is required"),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(q) if (1..=u64::from(max)).contains(&q) => return u32::try_from(q).ok(),
                _ => self.fail(field, message),
            },
            Some(_) => self.fail(field, message),
        }
        None
    }

    /// An optional string of at most `max` characters; `None` when absent or null.
    pub fn optional_text(&mut self, body: &Body, field: &str, max: usize) -> Option<String> {
        self.optional_text_as(body, field, field, max)
    }

    /// [`Fields::optional_text`] reported under `name` (e.g. `address.note`).
    pub fn optional_text_as(
        &mut self,
        body: &Body,
        field: &str,
        name: &str,
        max: usize,
    ) -> Option<String> {
        match present(body, field) {
            None => None,
            Some(Value::String(s)) if s.chars().count() <= max => Some(s.clone()),
            Some(Value::String(_)) => {
                self.fail(name, format!("must be at most {max} characters"));
                None
            }
            Some(_) => {
                self.fail(name, "must be a string");
                None
            }
        }
    }

    /// A required string, trimmed, non-empty, at most `max` characters.
    pub fn required_text(&mut self, body: &Body, field: &str, name: &str, max: usize) -> String {
        match present(body, field) {
            Some(Value::String(s)) => {
                let s = s.trim();
                if s.is_empty() {
                    self.fail(name, "must not be empty");
                } else if s.chars().count() > max {
                    self.fail(name, format!("must be at most {max} characters"));
                }
                s.to_string()
            }
            None => {
                self.fail(name, "is required");
                String::new()
            }
            Some(_) => {
                self.fail(name, "must be a string");
                String::new()
            }
        }
    }

    /// A required array of UUIDs with `1..=max` distinct items, duplicates removed (first kept).
    pub fn uuid_list(&mut self, body: &Body, field: &str, max: usize) -> Vec<Uuid> {
        let Some(value) = present(body, field) else {
            self.fail(field, "is required");
            return Vec::new();
        };
        let Value::Array(items) = value else {
            self.fail(field, "must be an array of UUIDs");
            return Vec::new();
        };
        let mut ids: Vec<Uuid> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.as_str().map(|s| Uuid::parse_str(s.trim())) {
                Some(Ok(id)) => {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                _ => self.fail(&format!("{field}[{i}]"), "must be a UUID"),
            }
        }
        let all_parsed = items.iter().all(|v| v.is_string());
        if (ids.is_empty() && all_parsed) || ids.len() > max {
            self.fail(field, format!("must list between 1 and {max} ids"));
        }
        ids
    }
}

/// A field that is present and not null.
fn present<'a>(body: &'a Body, field: &str) -> Option<&'a Value> {
    body.get(field).filter(|v| !v.is_null())
}

// Also the body's schema in the OpenAPI document, where `routes::IgnoredFields` adds the fields accepted and
// ignored.
/// §3.3: `POST /v1/carts` (a valid one once parsed).
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
pub struct AddLine {
    /// any form the UUID parser reads; not the nil UUID
    pub product_id: Uuid,
    /// 1..CART_MAX_LINE_QUANTITY (default 99)
    #[schema(rename = "product_quantity", minimum = 1)]
    pub quantity: u32,
    /// replaces the stored note only when non-empty
    #[schema(required = false, default = "", max_length = 255)]
    pub note: String,
}

// The literals of `note` above and in `ChangeLine`.
const _: () = assert!(NOTE_MAX_CHARS == 255);

impl AddLine {
    pub fn parse(body: &Body, max_quantity: u32) -> Result<AddLine, AppError> {
        let mut f = Fields::default();
        let product_id = f.uuid(body, "product_id");
        let quantity = f.quantity(body, "product_quantity", max_quantity);
        let note = f.optional_text(body, "note", NOTE_MAX_CHARS);
        f.finish(|| AddLine {
            product_id: product_id.unwrap_or_default(),
            quantity: quantity.unwrap_or_default(),
            note: note.unwrap_or_default(),
        })
    }
}

// Also the body's schema in the OpenAPI document, where `routes::IgnoredFields` adds `cart_id`. `note: None`
// keeps the stored note.
/// §3.4: `PATCH /v1/carts/{id}` (a valid one once parsed).
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
pub struct ChangeLine {
    /// replaces the quantity; 1..CART_MAX_LINE_QUANTITY
    #[schema(rename = "product_quantity", minimum = 1)]
    pub quantity: u32,
    /// absent or null: unchanged
    #[schema(max_length = 255)]
    pub note: Option<String>,
}

impl ChangeLine {
    pub fn parse(body: &Body, max_quantity: u32) -> Result<ChangeLine, AppError> {
        let mut f = Fields::default();
        let quantity = f.quantity(body, "product_quantity", max_quantity);
        let note = f.optional_text(body, "note", NOTE_MAX_CHARS);
        f.finish(|| ChangeLine {
            quantity: quantity.unwrap_or_default(),
            note,
        })
    }
}

// Also the body's schema in the OpenAPI document.
/// §3.6: `PATCH /v1/carts/deletes` (a valid one once parsed).
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
pub struct LineIds {
    /// 1..100 line ids, duplicates removed (the first kept)
    #[schema(min_items = 1, max_items = 100)]
    pub cart_ids: Vec<Uuid>,
}

// The literal of `cart_ids` above.
const _: () = assert!(BULK_DELETE_MAX == 100);

impl LineIds {
    pub fn parse(body: &Body) -> Result<LineIds, AppError> {
        let mut f = Fields::default();
        let cart_ids = f.uuid_list(body, "cart_ids", BULK_DELETE_MAX);
        f.finish(|| LineIds { cart_ids })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Body {
        v.as_object().unwrap().clone()
    }

    fn fields_of(err: AppError) -> Vec<String> {
        match err {
            AppError::BadRequest { causes, .. } => causes.into_iter().map(|c| c.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_add_reads_id_quantity_and_note_and_ignores_client_prices() {
        let id = Uuid::now_v7();
        let add = AddLine::parse(
            &body(
                json!({"product_id": id.to_string().to_uppercase(), "product_quantity": 3,
                "product_price": 0.01, "product_name": "x"}),
            ),
            99,
        )
        .unwrap();
        assert_eq!(
            add,
            AddLine {
                product_id: id,
                quantity: 3,
                note: String::new()
            }
        );
    }

    #[test]
    fn quantities_outside_the_range_or_not_integers_are_refused() {
        for q in [
            json!(0),
            json!(-1),
            json!(1.5),
            json!("2"),
            json!(100),
            json!(null),
        ] {
            let err = AddLine::parse(
                &body(json!({"product_id": Uuid::now_v7(), "product_quantity": q})),
                99,
            )
            .unwrap_err();
            assert_eq!(fields_of(err), ["product_quantity"], "{q}");
        }
        assert!(ChangeLine::parse(&body(json!({"product_quantity": 0})), 99).is_err());
    }

    #[test]
    fn a_nil_or_malformed_product_id_and_a_long_note_are_named() {
        let err = AddLine::parse(
            &body(
                json!({"product_id": Uuid::nil(), "product_quantity": 1, "note": "n".repeat(256)}),
            ),
            99,
        )
        .unwrap_err();
        assert_eq!(fields_of(err), ["product_id", "note"]);
        let err =
            AddLine::parse(&body(json!({"product_id": 5, "product_quantity": 1})), 99).unwrap_err();
        assert_eq!(fields_of(err), ["product_id"]);
    }

    #[test]
    fn a_patch_without_note_keeps_it() {
        let change =
            ChangeLine::parse(&body(json!({"product_quantity": 4, "cart_id": "x"})), 99).unwrap();
        assert_eq!(change.note, None);
    }

    #[test]
    fn bulk_delete_needs_one_to_a_hundred_uuids() {
        assert!(LineIds::parse(&body(json!({"cart_ids": []}))).is_err());
        assert!(LineIds::parse(&body(json!({"cart_ids": ["abc"]}))).is_err());
        assert!(LineIds::parse(&body(json!({}))).is_err());
        let many: Vec<String> = (0..101).map(|_| Uuid::now_v7().to_string()).collect();
        assert!(LineIds::parse(&body(json!({ "cart_ids": many }))).is_err());
        let id = Uuid::now_v7();
        let ids = LineIds::parse(&body(json!({"cart_ids": [id, id]}))).unwrap();
        assert_eq!(ids.cart_ids, [id]);
    }
}
