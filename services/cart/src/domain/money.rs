//! Money from JSON (README "Shared values": a JSON number, at most 2 decimals), read exactly: the number's
//! shortest text is parsed as a decimal, never through binary floating point arithmetic.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

/// A non-negative amount from a JSON number (or a decimal string), rounded to cents.
pub fn from_json(value: &Value) -> Option<Decimal> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    let amount = Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()?;
    (amount >= Decimal::ZERO).then(|| amount.round_dp(2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_decimal_strings_are_read_exactly() {
        assert_eq!(from_json(&json!(19.99)).unwrap().to_string(), "19.99");
        assert_eq!(from_json(&json!(100)).unwrap().to_string(), "100");
        assert_eq!(from_json(&json!("0.10")).unwrap().to_string(), "0.10");
        assert_eq!(from_json(&json!(1e2)).unwrap(), Decimal::from(100));
    }

    #[test]
    fn negatives_and_non_numbers_are_refused() {
        assert!(from_json(&json!(-1)).is_none());
        assert!(from_json(&json!(null)).is_none());
        assert!(from_json(&json!("abc")).is_none());
        assert!(from_json(&json!([1])).is_none());
    }
}
