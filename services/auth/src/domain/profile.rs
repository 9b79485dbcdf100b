//! Profile attributes a person may change themselves: name, phone number and address (api/auth.md §3, §4.9).

use eshop_common::Cause;
use serde::{Deserialize, Serialize};

use super::length;

/// A display name: 1–256 characters after trimming.
pub fn name(field: &str, raw: &str) -> Result<String, Cause> {
    let value = raw.trim();
    length(field, value, 1, 256)?;
    Ok(value.to_string())
}

/// A phone number in E.164: `+` then 7–15 digits.
pub fn phone_number(field: &str, raw: &str) -> Result<String, Cause> {
    let value = raw.trim();
    let digits = value.strip_prefix('+').unwrap_or("");
    if (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_string())
    } else {
        Err(Cause::new(field, "must be + followed by 7 to 15 digits"))
    }
}

// Also the `Address` of a `User` in the OpenAPI document: as read back, so without the write rules (a stored value
// that is not JSON comes back as the street with the other parts empty).
/// A postal address, with the names cart and order use (api/auth.md §3 `Address`). As read back: a stored value
/// that is not such JSON comes back as the street, the other parts empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub state: String,
    pub zipcode: String,
}

/// The longest stored `address` attribute (compact JSON).
const ADDRESS_JSON_MAX: usize = 2048;

impl Address {
    /// Checks an address being written: each part required, trimmed, non-empty, ≤ 255 characters; the zip code
    /// follows the checkout rule `^[0-9]{3,10}$`. Causes are named `address.<part>`.
    pub fn parse(raw: &Address) -> Result<Address, Vec<Cause>> {
        let mut causes = Vec::new();
        let mut part = |name: &str, value: &str| {
            let value = value.trim();
            let field = format!("address.{name}");
            if let Err(cause) = length(&field, value, 1, 255) {
                causes.push(cause);
            }
            value.to_string()
        };
        let address = Address {
            street: part("street", &raw.street),
            city: part("city", &raw.city),
            state: part("state", &raw.state),
            zipcode: part("zipcode", &raw.zipcode),
        };
        let zip = &address.zipcode;
        let zip_ok = (3..=10).contains(&zip.len()) && zip.bytes().all(|b| b.is_ascii_digit());
        // An empty zip code already has its cause.
        if !zip.is_empty() && !zip_ok {
            causes.push(Cause::new("address.zipcode", "must be 3 to 10 digits"));
        }
        if causes.is_empty() && address.to_attribute().len() > ADDRESS_JSON_MAX {
            causes.push(Cause::new("address", "is too long"));
        }
        if causes.is_empty() {
            Ok(address)
        } else {
            Err(causes)
        }
    }

    /// The `address` attribute's value: the address as compact JSON.
    pub fn to_attribute(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a stored attribute; a value that is not such JSON becomes the street (api/auth.md §3).
    pub fn from_attribute(raw: &str) -> Address {
        serde_json::from_str(raw).unwrap_or_else(|_| Address {
            street: raw.to_string(),
            city: String::new(),
            state: String::new(),
            zipcode: String::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(zip: &str) -> Address {
        Address {
            street: " 1 Main St ".into(),
            city: "Springfield".into(),
            state: "IL".into(),
            zipcode: zip.into(),
        }
    }

    #[test]
    fn phone_numbers_are_e164() {
        assert_eq!(
            phone_number("p", "+4915112345678").unwrap(),
            "+4915112345678"
        );
        for bad in [
            "0812",
            "+123456",
            "+1234567890123456",
            "4915112345678",
            "+49 151",
            "+49a5112345",
        ] {
            assert!(phone_number("p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn zip_codes_follow_the_checkout_rule() {
        assert_eq!(
            Address::parse(&address("12345")).unwrap().street,
            "1 Main St"
        );
        assert!(Address::parse(&address("12")).is_err());
        let causes = Address::parse(&address("12a45")).unwrap_err();
        assert_eq!(causes[0].field, "address.zipcode");
    }

    #[test]
    fn every_address_part_is_required() {
        let mut empty = address("12345");
        empty.city = "  ".into();
        assert_eq!(Address::parse(&empty).unwrap_err()[0].field, "address.city");
    }

    #[test]
    fn a_stored_address_that_is_not_json_becomes_the_street() {
        let parsed = Address::from_attribute("1 Main St, Springfield");
        assert_eq!(parsed.street, "1 Main St, Springfield");
        assert_eq!(parsed.zipcode, "");
        let a = address("12345");
        assert_eq!(Address::from_attribute(&a.to_attribute()), a);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("n", " Ann ").unwrap(), "Ann");
        assert!(name("n", "   ").is_err());
        assert!(name("n", &"x".repeat(257)).is_err());
    }
}
