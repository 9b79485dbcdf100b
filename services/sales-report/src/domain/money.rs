//! Money on the wire (spec README "Shared values"): a JSON number with at most two decimals, held as an
//! exact `Decimal` and never as a float.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

/// The largest amount a `numeric(12,2)` column holds.
pub fn max_money() -> Decimal {
    Decimal::new(999_999_999_999, 2)
}

/// Why a value is not an amount of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("must be a number")]
    NotANumber,
    #[error("must have at most 2 decimals")]
    TooPrecise,
    #[error("must not be negative")]
    Negative,
    #[error("must be at most 9999999999.99")]
    TooLarge,
}

/// A JSON number as money: ≥ 0, at most 2 decimals, ≤ 9999999999.99. Strings (`"80"`) are refused.
pub fn parse_money(value: &Value) -> Result<Decimal, MoneyError> {
    let Value::Number(number) = value else {
        return Err(MoneyError::NotANumber);
    };
    // serde_json prints the shortest text that reads back as the same number, so `100.5` stays `100.5`.
    let text = number.to_string();
    let amount = Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|_| MoneyError::TooLarge)?
        .normalize();
    if amount.scale() > 2 {
        return Err(MoneyError::TooPrecise);
    }
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(MoneyError::Negative);
    }
    if amount > max_money() {
        return Err(MoneyError::TooLarge);
    }
    Ok(amount.abs().round_dp(2))
}

/// Two decimal places as text (`1234.50`), the CSV and PDF form.
pub fn two_places(amount: Decimal) -> String {
    let mut rounded = amount.round_dp(2);
    rounded.rescale(2);
    rounded.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_with_up_to_two_decimals_are_money() {
        assert_eq!(parse_money(&json!(100.5)).unwrap(), Decimal::new(10050, 2));
        assert_eq!(parse_money(&json!(80)).unwrap(), Decimal::new(80, 0));
        assert_eq!(parse_money(&json!(0)).unwrap(), Decimal::ZERO);
        assert_eq!(
            parse_money(&json!(9999999999.99)).unwrap(),
            Decimal::new(999_999_999_999, 2)
        );
    }

    #[test]
    fn strings_negatives_three_decimals_and_huge_values_are_refused() {
        assert_eq!(parse_money(&json!("80")), Err(MoneyError::NotANumber));
        assert_eq!(parse_money(&json!(null)), Err(MoneyError::NotANumber));
        assert_eq!(parse_money(&json!(-1)), Err(MoneyError::Negative));
        assert_eq!(parse_money(&json!(1.234)), Err(MoneyError::TooPrecise));
        assert_eq!(parse_money(&json!(1e30)), Err(MoneyError::TooLarge));
        assert_eq!(
            parse_money(&json!(10000000000.0)),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn two_places_pads_and_keeps_the_sign() {
        assert_eq!(two_places(Decimal::new(12345, 1)), "1234.50");
        assert_eq!(two_places(Decimal::new(-2010, 2)), "-20.10");
        assert_eq!(two_places(Decimal::ZERO), "0.00");
    }
}
