//! Sales report service settings (api/sales-report.md §5): the common ones, its database, the callers'
//! service tokens, and the report's own limits and default margin rate.

use std::str::FromStr;

use eshop_common::auth::AuthSettings;
use eshop_common::config::{self, CommonSettings, ConfigError};
use rust_decimal::Decimal;

/// `DATABASE_URL` on the local stack.
pub const LOCAL_DATABASE_URL: &str = "postgres://admin:password@localhost:5432/sales";

#[derive(Clone, Debug)]
pub struct Config {
    pub common: CommonSettings,
    pub auth: AuthSettings,
    pub database_url: String,
    pub database_max_connections: u32,
    pub internal_tokens: String,
    pub sales: SalesSettings,
}

/// The report's own settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalesSettings {
    /// `SALES_DEFAULT_MARGIN_RATE` (0.15): the margin share of the price when no cost is known (§3.1).
    pub default_margin_rate: Decimal,
    /// `SALES_MAX_BUCKETS` (1000): more summary buckets → 422.
    pub max_buckets: i64,
    /// `SALES_EXPORT_MAX_ROWS` (100000): more rows in an XLSX or CSV download → 422.
    pub export_max_rows: i64,
    /// `SALES_PDF_MAX_ROWS` (5000): more rows in a PDF download → 422.
    pub pdf_max_rows: i64,
}

impl Default for SalesSettings {
    fn default() -> Self {
        SalesSettings {
            default_margin_rate: Decimal::new(15, 2),
            max_buckets: 1000,
            export_max_rows: 100_000,
            pdf_max_rows: 5000,
        }
    }
}

/// A rate `0 ≤ rate < 1` with at most 4 decimals (the `margin_rate numeric(5,4)` column).
pub fn parse_rate(raw: &str) -> Option<Decimal> {
    let rate = Decimal::from_str(raw.trim()).ok()?.normalize();
    (rate >= Decimal::ZERO && rate < Decimal::ONE && rate.scale() <= 4).then_some(rate)
}

fn positive(name: &str, default: i64) -> Result<i64, ConfigError> {
    let value: i64 = config::parse_or(name, default)?;
    if value < 1 {
        return Err(ConfigError::new(name, "must be a positive integer"));
    }
    Ok(value)
}

impl SalesSettings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let defaults = SalesSettings::default();
        let default_margin_rate = match config::var("SALES_DEFAULT_MARGIN_RATE") {
            None => defaults.default_margin_rate,
            Some(raw) => parse_rate(&raw).ok_or_else(|| {
                ConfigError::new(
                    "SALES_DEFAULT_MARGIN_RATE",
                    "must be a decimal with 0 <= rate < 1 and at most 4 decimals",
                )
            })?,
        };
        Ok(SalesSettings {
            default_margin_rate,
            max_buckets: positive("SALES_MAX_BUCKETS", defaults.max_buckets)?,
            export_max_rows: positive("SALES_EXPORT_MAX_ROWS", defaults.export_max_rows)?,
            pdf_max_rows: positive("SALES_PDF_MAX_ROWS", defaults.pdf_max_rows)?,
        })
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let (database_url, database_max_connections) =
            config::database_from_env(LOCAL_DATABASE_URL)?;
        Ok(Config {
            common: CommonSettings::from_env("sales-report", 2007)?,
            auth: AuthSettings::from_env()?,
            database_url,
            database_max_connections,
            internal_tokens: config::string_or("INTERNAL_TOKENS", "order:local-order-token"),
            sales: SalesSettings::from_env()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_is_a_fraction_below_one_with_at_most_four_decimals() {
        assert_eq!(parse_rate("0.15"), Some(Decimal::new(15, 2)));
        assert_eq!(parse_rate("0"), Some(Decimal::ZERO));
        assert_eq!(parse_rate("0.1234"), Some(Decimal::new(1234, 4)));
        for bad in ["1", "1.5", "-0.1", "0.12345", "abc", ""] {
            assert_eq!(parse_rate(bad), None, "{bad}");
        }
    }
}
