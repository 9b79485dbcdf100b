//! Field rules of product and category writes (contract: api/product.md §2.5, §2.6, §2.8). Each parser takes
//! the raw text of a form part or JSON value and answers the value or the message for `causes`.

use std::str::FromStr;

use rust_decimal::Decimal;
use uuid::Uuid;

/// Largest price: `NUMERIC(12,2)`.
fn price_max() -> Decimal {
    Decimal::new(999_999_999_999, 2)
}
/// Largest initial stock.
pub const QUANTITY_MAX: i64 = 1_000_000;
/// Longest product name, description and category name (characters, after trimming).
pub const PRODUCT_NAME_MAX_CHARS: usize = 200;
pub const DESCRIPTION_MAX_CHARS: usize = 10_000;
pub const CATEGORY_NAME_MAX_CHARS: usize = 100;
/// Deepest category level; roots are at depth 1.
pub const MAX_DEPTH: u32 = 5;

/// Trimmed text of `1..=max` characters, without NUL.
pub fn text(raw: &str, max: usize) -> Result<String, String> {
    let value = raw.trim();
    let len = value.chars().count();
    if len == 0 {
        return Err("must not be empty".into());
    }
    if value.contains('\0') {
        // Nothing downstream can keep it (PostgreSQL text, the carts' and sales' copies).
        return Err("must not contain NUL characters".into());
    }
    if len > max {
        return Err(format!("must be at most {max} characters"));
    }
    Ok(value.to_string())
}

pub fn product_name(raw: &str) -> Result<String, String> {
    text(raw, PRODUCT_NAME_MAX_CHARS)
}

pub fn description(raw: &str) -> Result<String, String> {
    text(raw, DESCRIPTION_MAX_CHARS)
}

pub fn category_name(raw: &str) -> Result<String, String> {
    text(raw, CATEGORY_NAME_MAX_CHARS)
}

/// A decimal written as digits with at most two decimals, above 0 and within `NUMERIC(12,2)`.
/// `NaN`, exponents, signs and `12.345` are refused.
pub fn price(raw: &str) -> Result<Decimal, String> {
    let value = raw.trim();
    let (whole, cents) = value.split_once('.').unwrap_or((value, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let well_formed = !whole.is_empty()
        && digits(whole)
        && digits(cents)
        && (cents.len() <= 2)
        && !(value.ends_with('.'));
    if !well_formed {
        return Err("must be a decimal number with at most 2 decimals".into());
    }
    if whole.len() > 13 {
        return Err("must be at most 9999999999.99".into());
    }
    let price = Decimal::from_str(value).map_err(|_| "must be a decimal number".to_string())?;
    if price <= Decimal::ZERO {
        return Err("must be greater than 0".into());
    }
    if price > price_max() {
        return Err("must be at most 9999999999.99".into());
    }
    Ok(price.round_dp(2))
}

/// An integer string `0..=1 000 000` (the initial stock).
pub fn quantity(raw: &str) -> Result<i64, String> {
    let value = raw.trim();
    if value.is_empty() || value.len() > 7 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("must be an integer from 0 to {QUANTITY_MAX}"));
    }
    let quantity: i64 = value
        .parse()
        .map_err(|_| format!("must be an integer from 0 to {QUANTITY_MAX}"))?;
    if quantity > QUANTITY_MAX {
        return Err(format!("must be an integer from 0 to {QUANTITY_MAX}"));
    }
    Ok(quantity)
}

/// A UUID in any case; stored lowercase.
pub fn uuid(raw: &str) -> Result<Uuid, String> {
    Uuid::parse_str(raw.trim()).map_err(|_| "must be a UUID".to_string())
}

/// `SKU-<unix-nanos>-<8 lowercase hex>` (contract: api/product.md §2.1).
pub fn new_sku() -> String {
    let nanos = chrono::Utc::now()
        .timestamp_nanos_opt()
        .unwrap_or_default()
        .max(0);
    let hex = Uuid::new_v4().simple().to_string();
    format!("SKU-{nanos}-{}", &hex[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_follow_the_contract() {
        assert_eq!(price("12.34").unwrap().to_string(), "12.34");
        assert_eq!(price(" 19.9 ").unwrap().to_string(), "19.9");
        assert_eq!(price("7").unwrap().to_string(), "7");
        assert_eq!(price("9999999999.99").unwrap().to_string(), "9999999999.99");
        for bad in [
            "NaN",
            "12.345",
            "0",
            "0.00",
            "-1",
            "+1",
            "1e3",
            "1e400",
            "",
            "1.",
            ".5",
            "abc",
            "10000000000.00",
            "inf",
        ] {
            assert!(price(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quantities_follow_the_contract() {
        assert_eq!(quantity("0"), Ok(0));
        assert_eq!(quantity("1000000"), Ok(1_000_000));
        for bad in ["NaN", "-1", "1000001", "1.5", "", "99999999999999999999"] {
            assert!(quantity(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(product_name("  Civic "), Ok("Civic".into()));
        assert!(product_name("   ").is_err());
        assert!(product_name(&"x".repeat(201)).is_err());
        assert!(product_name("Nul\0car").is_err());
        assert!(category_name("a\0").is_err());
        assert!(category_name(&"é".repeat(100)).is_ok());
        assert!(category_name(&"é".repeat(101)).is_err());
    }

    #[test]
    fn skus_have_the_contract_form() {
        let sku = new_sku();
        let parts: Vec<&str> = sku.split('-').collect();
        assert_eq!(parts.len(), 3, "{sku}");
        assert_eq!(parts[0], "SKU");
        assert!(parts[1].bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(parts[2].len(), 8);
    }
}
