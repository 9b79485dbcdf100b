//! The list query of `GET /v1/payments` (contract: api/payment.md §2.2): filters parsed, not validated, so
//! that a query that parses is one the store can run.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use eshop_common::Cause;
use uuid::Uuid;

use super::PaymentStatus;

/// `limit` default and ceiling.
pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 500;

/// A parsed list query; its parameters in the OpenAPI document (a query has no null, so no `Option` is
/// nullable there).
#[derive(Debug, Clone, PartialEq, Eq, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ListQuery {
    #[param(nullable = false)]
    pub status: Option<PaymentStatus>,
    #[param(nullable = false)]
    pub order_id: Option<Uuid>,
    /// admin filter; a non-admin may pass only their own id (else 403)
    #[param(nullable = false)]
    pub user_id: Option<Uuid>,
    /// inclusive; RFC 3339 or YYYY-MM-DD (start of that UTC day)
    #[param(value_type = Option<String>, nullable = false)]
    pub created_from: Option<DateTime<Utc>>,
    /// inclusive; RFC 3339 or YYYY-MM-DD (end of that UTC day)
    #[param(value_type = Option<String>, nullable = false)]
    pub created_to: Option<DateTime<Utc>>,
    #[param(required = false, minimum = 0, default = 0)]
    pub skip: u64,
    #[param(required = false, minimum = 1, maximum = 500, default = 100)]
    pub limit: u32,
}

// The literals of the `limit` parameter above.
const _: () = assert!(DEFAULT_LIMIT == 100 && MAX_LIMIT == 500);

/// Which end of a day a bare `YYYY-MM-DD` stands for.
#[derive(Clone, Copy)]
enum DayEnd {
    Start,
    End,
}

fn parse_time(raw: &str, end: DayEnd) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    let time = match end {
        DayEnd::Start => NaiveTime::MIN,
        DayEnd::End => NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999)?,
    };
    Some(day.and_time(time).and_utc())
}

impl ListQuery {
    /// Parses the raw query; every problem is reported as a cause (→ 400). Unknown parameters are ignored.
    pub fn parse(raw: &HashMap<String, String>) -> Result<ListQuery, Vec<Cause>> {
        let mut causes = Vec::new();
        let mut query = ListQuery {
            limit: DEFAULT_LIMIT,
            ..ListQuery::default()
        };
        let get = |name: &str| raw.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
        if let Some(v) = get("status") {
            match PaymentStatus::parse(v) {
                Some(s) => query.status = Some(s),
                None => causes.push(Cause::new(
                    "status",
                    "must be PENDING, APPROVED or REJECTED",
                )),
            }
        }
        for (name, slot) in [
            ("orderId", &mut query.order_id),
            ("userId", &mut query.user_id),
        ] {
            if let Some(v) = get(name) {
                match Uuid::parse_str(v) {
                    Ok(id) => *slot = Some(id),
                    Err(_) => causes.push(Cause::new(name, "must be a UUID")),
                }
            }
        }
        for (name, end, slot) in [
            ("createdFrom", DayEnd::Start, &mut query.created_from),
            ("createdTo", DayEnd::End, &mut query.created_to),
        ] {
            if let Some(v) = get(name) {
                match parse_time(v, end) {
                    Some(t) => *slot = Some(t),
                    None => causes.push(Cause::new(name, "must be an RFC 3339 time or YYYY-MM-DD")),
                }
            }
        }
        if let (Some(from), Some(to)) = (query.created_from, query.created_to) {
            if from > to {
                causes.push(Cause::new("createdFrom", "must not be after createdTo"));
            }
        }
        if let Some(v) = get("skip") {
            match v.parse::<u64>() {
                Ok(n) => query.skip = n,
                Err(_) => causes.push(Cause::new("skip", "must be an integer >= 0")),
            }
        }
        if let Some(v) = get("limit") {
            match v.parse::<u32>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => query.limit = n,
                _ => causes.push(Cause::new("limit", "must be an integer from 1 to 500")),
            }
        }
        if causes.is_empty() {
            Ok(query)
        } else {
            Err(causes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<ListQuery, Vec<Cause>> {
        let raw = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ListQuery::parse(&raw)
    }

    #[test]
    fn defaults_apply_without_parameters() {
        let q = parse(&[]).unwrap();
        assert_eq!((q.skip, q.limit), (0, DEFAULT_LIMIT));
        assert_eq!(q.status, None);
    }

    #[test]
    fn a_bare_date_covers_the_whole_utc_day() {
        let q = parse(&[("createdFrom", "2026-01-02"), ("createdTo", "2026-01-02")]).unwrap();
        assert_eq!(
            q.created_from.unwrap().to_rfc3339(),
            "2026-01-02T00:00:00+00:00"
        );
        assert_eq!(
            q.created_to.unwrap().to_rfc3339(),
            "2026-01-02T23:59:59.999999+00:00"
        );
        let q = parse(&[("createdFrom", "2026-01-02T10:00:00+02:00")]).unwrap();
        assert_eq!(
            q.created_from.unwrap().to_rfc3339(),
            "2026-01-02T08:00:00+00:00"
        );
    }

    #[test]
    fn out_of_range_or_unparsable_values_are_refused() {
        for pairs in [
            vec![("limit", "0")],
            vec![("limit", "501")],
            vec![("skip", "-1")],
            vec![("status", "PAID")],
            vec![("orderId", "abc")],
            vec![("userId", "abc")],
            vec![("createdFrom", "yesterday")],
            vec![("createdFrom", "2026-01-03"), ("createdTo", "2026-01-02")],
        ] {
            assert!(parse(&pairs).is_err(), "{pairs:?}");
        }
        assert_eq!(parse(&[("limit", "500")]).unwrap().limit, 500);
    }
}
