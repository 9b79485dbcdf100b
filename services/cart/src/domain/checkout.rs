//! Checkout input and the derived idempotency key (api/cart.md §3.7 steps 1–2).
//!
//! The key is the lowercase hex SHA-256 of the compact JSON array
//! `[client_key, user_id, [[line_id, quantity, note], …], [street, city, state, zipcode, address_note]]`:
//! `client_key` is the `Idempotency-Key` header or `""`, ids are lowercase hyphenated, the lines are sorted by
//! line id and the address fields are the trimmed values forwarded to the order service. A JSON array
//! makes the encoding unambiguous (no separator can be forged inside a note).

use eshop_common::AppError;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::input::{Body, Fields, NOTE_MAX_CHARS};

/// Longest address field (street, city, state), in characters.
pub const ADDRESS_FIELD_MAX: usize = 255;
/// Longest client `Idempotency-Key`.
pub const CLIENT_KEY_MAX: usize = 128;

// The shipping address, trimmed; forwarded whole, `note` included (old: dropped). Also the body's schema in
// the OpenAPI document.
/// The shipping address (each field trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Address {
    /// not empty
    #[schema(max_length = 255)]
    pub street: String,
    /// not empty
    #[schema(max_length = 255)]
    pub city: String,
    /// not empty
    #[schema(max_length = 255)]
    pub state: String,
    /// the order service's rule
    #[schema(pattern = "^[0-9]{3,10}$")]
    pub zipcode: String,
    /// forwarded to the order
    #[schema(required = false, default = "", max_length = 255)]
    pub note: String,
}

// The literals of `Address` above.
const _: () = assert!(ADDRESS_FIELD_MAX == 255 && NOTE_MAX_CHARS == 255);

// Also the body's schema in the OpenAPI document (`Checkout`).
/// `POST /v1/carts/checkout` (a valid one once parsed).
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
#[schema(as = Checkout)]
pub struct CheckoutRequest {
    /// 1..CART_MAX_LINES distinct line ids (duplicates removed, the first kept)
    #[schema(min_items = 1)]
    pub cart_ids: Vec<Uuid>,
    pub address: Address,
}

impl CheckoutRequest {
    pub fn parse(body: &Body, max_lines: u32) -> Result<CheckoutRequest, AppError> {
        let mut f = Fields::default();
        let cart_ids = f.uuid_list(body, "cart_ids", max_lines as usize);
        let empty = Body::new();
        let address = match body.get("address") {
            Some(serde_json::Value::Object(map)) => map,
            None | Some(serde_json::Value::Null) => {
                f.fail("address", "is required");
                &empty
            }
            Some(_) => {
                f.fail("address", "must be an object");
                &empty
            }
        };
        let street = f.required_text(address, "street", "address.street", ADDRESS_FIELD_MAX);
        let city = f.required_text(address, "city", "address.city", ADDRESS_FIELD_MAX);
        let state = f.required_text(address, "state", "address.state", ADDRESS_FIELD_MAX);
        let zipcode = f.required_text(address, "zipcode", "address.zipcode", ADDRESS_FIELD_MAX);
        if !zipcode.is_empty() && !zipcode_is_valid(&zipcode) {
            f.fail("address.zipcode", "must be 3 to 10 digits");
        }
        let note = f.optional_text_as(address, "note", "address.note", NOTE_MAX_CHARS);
        f.finish(|| CheckoutRequest {
            cart_ids,
            address: Address {
                street,
                city,
                state,
                zipcode,
                note: note.unwrap_or_default(),
            },
        })
    }
}

/// The order service's rule: `^[0-9]{3,10}$`.
pub fn zipcode_is_valid(zip: &str) -> bool {
    (3..=10).contains(&zip.len()) && zip.bytes().all(|b| b.is_ascii_digit())
}

/// The `Idempotency-Key` header: absent is fine; present must be 1–128 of `A-Z a-z 0-9 . _ : -`.
pub fn client_key(header: Option<&[u8]>) -> Result<String, AppError> {
    let Some(raw) = header else {
        return Ok(String::new());
    };
    let valid = (1..=CLIENT_KEY_MAX).contains(&raw.len())
        && raw
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
    if !valid {
        return Err(AppError::invalid_fields(
            "invalid Idempotency-Key",
            vec![eshop_common::Cause::new(
                "Idempotency-Key",
                "must be 1 to 128 characters of A-Z a-z 0-9 . _ : -",
            )],
        ));
    }
    Ok(String::from_utf8_lossy(raw).into_owned())
}

/// One line as the key sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedLine<'a> {
    pub id: Uuid,
    pub quantity: u32,
    pub note: &'a str,
}

/// §3.7 step 2: the same click retried gives the same key; any change of lines, quantities, notes or
/// address gives another.
pub fn idempotency_key(
    client_key: &str,
    user_id: Uuid,
    lines: &[KeyedLine<'_>],
    address: &Address,
) -> String {
    let mut sorted: Vec<&KeyedLine<'_>> = lines.iter().collect();
    sorted.sort_by_key(|l| l.id);
    let lines: Vec<serde_json::Value> = sorted
        .iter()
        .map(|l| json!([l.id.to_string(), l.quantity, l.note]))
        .collect();
    let canonical = json!([
        client_key,
        user_id.to_string(),
        lines,
        [
            address.street,
            address.city,
            address.state,
            address.zipcode,
            address.note
        ]
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn address() -> Address {
        Address {
            street: "1 Main St".into(),
            city: "Springfield".into(),
            state: "IL".into(),
            zipcode: "62701".into(),
            note: "ring twice".into(),
        }
    }

    fn parse(v: serde_json::Value) -> Result<CheckoutRequest, AppError> {
        CheckoutRequest::parse(v.as_object().unwrap(), 50)
    }

    #[test]
    fn a_checkout_reads_ids_and_a_trimmed_address_with_its_note() {
        let id = Uuid::now_v7();
        let req = parse(
            json!({"cart_ids": [id, id], "address": {"street": " 1 Main St ",
            "city": "Springfield", "state": "IL", "zipcode": "62701", "note": "ring twice"}}),
        )
        .unwrap();
        assert_eq!(req.cart_ids, [id]);
        assert_eq!(req.address, address());
    }

    #[test]
    fn empty_ids_and_bad_or_missing_zipcodes_are_refused() {
        let addr = json!({"street": "s", "city": "c", "state": "st", "zipcode": "12345"});
        assert!(parse(json!({"cart_ids": [], "address": addr})).is_err());
        for zip in [json!("12a45"), json!("12"), json!(null), json!(12345)] {
            let mut a = addr.clone();
            a["zipcode"] = zip.clone();
            assert!(
                parse(json!({"cart_ids": [Uuid::now_v7()], "address": a})).is_err(),
                "{zip}"
            );
        }
        assert!(parse(json!({"cart_ids": [Uuid::now_v7()]})).is_err());
    }

    #[test]
    fn the_client_key_header_is_checked() {
        assert_eq!(client_key(None).unwrap(), "");
        assert_eq!(client_key(Some(b"abc-1.2_3:4")).unwrap(), "abc-1.2_3:4");
        assert!(client_key(Some(b"")).is_err());
        assert!(client_key(Some(b"has space")).is_err());
        assert!(client_key(Some("x".repeat(129).as_bytes())).is_err());
    }

    #[test]
    fn the_key_ignores_line_order_and_changes_with_any_input() {
        let user = Uuid::now_v7();
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let lines = [
            KeyedLine {
                id: a,
                quantity: 1,
                note: "",
            },
            KeyedLine {
                id: b,
                quantity: 2,
                note: "x",
            },
        ];
        let reversed = [lines[1].clone(), lines[0].clone()];
        let key = idempotency_key("k", user, &lines, &address());
        assert_eq!(key.len(), 64);
        assert_eq!(key, idempotency_key("k", user, &reversed, &address()));
        assert_ne!(key, idempotency_key("", user, &lines, &address()));
        assert_ne!(
            key,
            idempotency_key("k", Uuid::now_v7(), &lines, &address())
        );
        let mut more = lines.clone();
        more[0].quantity = 3;
        assert_ne!(key, idempotency_key("k", user, &more, &address()));
        let mut other = address();
        other.note = String::new();
        assert_ne!(key, idempotency_key("k", user, &lines, &other));
    }
}
