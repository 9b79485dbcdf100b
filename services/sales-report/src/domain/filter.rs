//! The shared filters of the list, the summary and the downloads (api/sales-report.md §2.1), and the list's
//! paging (§2.3). Query values arrive as text and are parsed here, so every bad value is a 400 naming it.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use eshop_common::Cause;
use serde::Deserialize;
use uuid::Uuid;

use super::buckets::Interval;

/// `limit` when none is given (compat).
pub const DEFAULT_LIMIT: i64 = 10;
/// The largest `limit` accepted.
pub const MAX_LIMIT: i64 = 1000;
/// The largest `skip` accepted.
pub const MAX_SKIP: i64 = i32::MAX as i64;

// The literals of the `skip` and `limit` parameters below.
const _: () = assert!(DEFAULT_LIMIT == 10 && MAX_LIMIT == 1000 && MAX_SKIP == 2_147_483_647);

// Query values arrive as text and are checked by the parsers below, so that every bad value is a 400 naming
// it; the OpenAPI document gives each parameter the type those parsers accept (a query string has no null,
// so no `Option` is nullable there). Empty values count as absent.

/// The shared filters of §2.1 (list, summary and the three downloads), as sent.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterParams {
    /// Inclusive lower bound on the sale time: RFC 3339, or YYYY-MM-DD = start of that day in tz
    #[param(nullable = false)]
    pub from: Option<String>,
    /// Inclusive upper bound: RFC 3339, or YYYY-MM-DD = end of that day in tz
    #[param(nullable = false)]
    pub to: Option<String>,
    /// Only this product
    #[param(value_type = Option<Uuid>, nullable = false)]
    pub product_id: Option<String>,
    /// Only this source warehouse
    #[param(value_type = Option<Uuid>, nullable = false)]
    pub warehouse_id: Option<String>,
    /// IANA zone for date-only bounds and summary buckets (default UTC)
    #[param(nullable = false, default = "UTC")]
    pub tz: Option<String>,
}

/// The list's paging of §2.3 (compat), as sent.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PagingParams {
    /// Row offset (compat)
    #[param(value_type = Option<i64>, nullable = false, minimum = 0, maximum = 2147483647, default = 0)]
    pub skip: Option<String>,
    /// Page size (compat), at most 1000
    #[param(value_type = Option<i64>, nullable = false, minimum = 0, maximum = 1000, default = 10)]
    pub limit: Option<String>,
}

/// The summary's bucket size of §2.4, as sent.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IntervalParams {
    #[param(value_type = Option<String>, nullable = false, schema_with = intervals)]
    pub interval: Option<String>,
}

/// `interval`: one of the interval names, `day` when absent.
fn intervals() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Interval::ALL.map(Interval::as_str)))
        .default(Some(Interval::Day.as_str().into()))
        .description(Some("Bucket size; week = ISO week starting Monday"))
        .build()
}

/// The checked filters. Bounds are inclusive instants; `to` of a date is the last microsecond of that day.
#[derive(Debug, Clone, PartialEq)]
pub struct SalesFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub product_id: Option<Uuid>,
    pub warehouse_id: Option<Uuid>,
    pub tz: Tz,
}

/// `skip` (row offset) and `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub skip: i64,
    pub limit: i64,
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The zone named by `tz`, default UTC.
pub fn parse_tz(value: Option<&str>) -> Result<Tz, Cause> {
    match value {
        None => Ok(Tz::UTC),
        Some(name) => name
            .parse::<Tz>()
            .map_err(|_| Cause::new("tz", "must be an IANA time zone name")),
    }
}

/// The first instant of `date` in `tz`; when local midnight does not exist (a DST gap) the first
/// wall-clock time after it that does.
pub fn start_of_day(date: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
    let midnight: NaiveDateTime = date.and_hms_opt(0, 0, 0)?;
    (0..=180).step_by(15).find_map(|minutes| {
        tz.from_local_datetime(&(midnight + Duration::minutes(minutes)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    })
}

fn parse_bound(field: &str, value: &str, tz: Tz, end: bool) -> Result<DateTime<Utc>, Cause> {
    let bad = || Cause::new(field, "must be an RFC 3339 time or a YYYY-MM-DD date");
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(t.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| bad())?;
    if !end {
        return start_of_day(date, tz).ok_or_else(bad);
    }
    let next = date.succ_opt().ok_or_else(bad)?;
    start_of_day(next, tz)
        .map(|t| t - Duration::microseconds(1))
        .ok_or_else(bad)
}

fn parse_uuid(field: &str, value: Option<&str>) -> Result<Option<Uuid>, Cause> {
    value
        .map(|v| Uuid::parse_str(v).map_err(|_| Cause::new(field, "must be a UUID")))
        .transpose()
}

impl SalesFilter {
    /// Reads the filters of §2.1. Unparsable value, bad UUID, unknown zone or `from` > `to` → causes.
    pub fn parse(params: &FilterParams) -> Result<SalesFilter, Vec<Cause>> {
        let mut causes = Vec::new();
        let tz = parse_tz(present(&params.tz)).unwrap_or_else(|c| {
            causes.push(c);
            Tz::UTC
        });
        let mut bound = |field: &str, value: &Option<String>, end: bool| {
            present(value).and_then(|v| {
                parse_bound(field, v, tz, end)
                    .map_err(|c| causes.push(c))
                    .ok()
            })
        };
        let from = bound("from", &params.from, false);
        let to = bound("to", &params.to, true);
        let product_id =
            parse_uuid("product_id", present(&params.product_id)).unwrap_or_else(|c| {
                causes.push(c);
                None
            });
        let warehouse_id = parse_uuid("warehouse_id", present(&params.warehouse_id))
            .unwrap_or_else(|c| {
                causes.push(c);
                None
            });
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                causes.push(Cause::new("from", "must not be after to"));
            }
        }
        if causes.is_empty() {
            Ok(SalesFilter {
                from,
                to,
                product_id,
                warehouse_id,
                tz,
            })
        } else {
            Err(causes)
        }
    }

    /// The applied filters in words, for the PDF header.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = self.from {
            parts.push(format!(
                "from {}",
                f.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            ));
        }
        if let Some(t) = self.to {
            parts.push(format!(
                "to {}",
                t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            ));
        }
        if let Some(p) = self.product_id {
            parts.push(format!("product {p}"));
        }
        if let Some(w) = self.warehouse_id {
            parts.push(format!("warehouse {w}"));
        }
        parts.push(format!("time zone {}", self.tz.name()));
        parts.join(", ")
    }
}

fn parse_count(field: &str, value: Option<&str>, default: i64, max: i64) -> Result<i64, Cause> {
    let Some(value) = value else {
        return Ok(default);
    };
    match value.parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Ok(n),
        _ => Err(Cause::new(
            field,
            format!("must be an integer from 0 to {max}"),
        )),
    }
}

impl Paging {
    /// `skip` ≥ 0 (default 0) and `limit` 0..=1000 (default 10); anything else → causes (§2.3).
    pub fn parse(params: &PagingParams) -> Result<Paging, Vec<Cause>> {
        let skip = parse_count("skip", present(&params.skip), 0, MAX_SKIP);
        let limit = parse_count("limit", present(&params.limit), DEFAULT_LIMIT, MAX_LIMIT);
        match (skip, limit) {
            (Ok(skip), Ok(limit)) => Ok(Paging { skip, limit }),
            (skip, limit) => Err([skip.err(), limit.err()].into_iter().flatten().collect()),
        }
    }
}

/// `interval`: `day` (default), `week` or `month` (§2.4).
pub fn parse_interval(params: &IntervalParams) -> Result<Interval, Vec<Cause>> {
    match present(&params.interval) {
        None => Ok(Interval::Day),
        Some(v) => Interval::parse(v)
            .ok_or_else(|| vec![Cause::new("interval", "must be day, week or month")]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parameters `T` reads from these pairs, as a query string would give them.
    fn params<T: serde::de::DeserializeOwned>(pairs: &[(&str, &str)]) -> T {
        let map: serde_json::Map<String, serde_json::Value> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), (*v).into()))
            .collect();
        serde_json::from_value(map.into()).unwrap()
    }

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn date_bounds_cover_whole_days_in_the_zone() {
        let f =
            SalesFilter::parse(&params(&[("from", "2025-01-02"), ("to", "2025-01-02")])).unwrap();
        assert_eq!(f.from, Some(t("2025-01-02T00:00:00Z")));
        assert_eq!(f.to, Some(t("2025-01-02T23:59:59.999999Z")));
        let j =
            SalesFilter::parse(&params(&[("from", "2025-01-02"), ("tz", "Asia/Jakarta")])).unwrap();
        assert_eq!(j.from, Some(t("2025-01-01T17:00:00Z")));
    }

    #[test]
    fn rfc3339_bounds_are_taken_as_given() {
        let f = SalesFilter::parse(&params(&[("from", "2025-01-02T10:00:00+02:00")])).unwrap();
        assert_eq!(f.from, Some(t("2025-01-02T08:00:00Z")));
    }

    #[test]
    fn bad_values_are_named() {
        let err = SalesFilter::parse(&params(&[
            ("from", "2025-13-01"),
            ("product_id", "abc"),
            ("warehouse_id", "1"),
            ("tz", "Mars/Base"),
        ]))
        .unwrap_err();
        let fields: Vec<_> = err.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["tz", "from", "product_id", "warehouse_id"]);
        let reversed = SalesFilter::parse(&params(&[("from", "2025-02-01"), ("to", "2025-01-01")]));
        assert_eq!(reversed.unwrap_err()[0].field, "from");
    }

    #[test]
    fn paging_defaults_and_limits() {
        assert_eq!(
            Paging::parse(&params(&[])).unwrap(),
            Paging { skip: 0, limit: 10 }
        );
        assert_eq!(
            Paging::parse(&params(&[("skip", "5"), ("limit", "1000")])).unwrap(),
            Paging {
                skip: 5,
                limit: 1000
            }
        );
        for (k, v) in [
            ("skip", "-1"),
            ("limit", "-1"),
            ("limit", "1001"),
            ("limit", "abc"),
        ] {
            assert_eq!(Paging::parse(&params(&[(k, v)])).unwrap_err()[0].field, k);
        }
    }

    #[test]
    fn a_midnight_in_a_dst_gap_starts_the_day_at_the_first_existing_time() {
        // America/Havana skipped 00:00–01:00 on 2025-03-09.
        let start = start_of_day(
            NaiveDate::from_ymd_opt(2025, 3, 9).unwrap(),
            "America/Havana".parse().unwrap(),
        );
        assert_eq!(start, Some(t("2025-03-09T05:00:00Z")));
    }
}
