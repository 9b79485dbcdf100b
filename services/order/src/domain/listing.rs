//! O1/O2 query parameters (api/order.md §3.2): status list, inclusive date bounds in two forms, owner,
//! paging.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use eshop_common::Cause;
use uuid::Uuid;

use super::status::OrderStatus;

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 500;

/// A parsed list query. `created_before` is an exclusive bound built from the inclusive `created_to`. Also
/// the O1/O2 query parameters in the OpenAPI document (a query has no null, so no `Option` is nullable
/// there); O2 documents `user_id` itself, O1 ignores it.
#[derive(Debug, Clone, PartialEq, Eq, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    /// one status or a comma list, each one of the eight values (none: every status)
    #[param(rename = "status", value_type = Option<String>, nullable = false)]
    pub statuses: Vec<OrderStatus>,
    /// YYYY-MM-DD (start of that UTC day) or RFC 3339, inclusive
    #[param(value_type = Option<String>, nullable = false)]
    pub created_from: Option<DateTime<Utc>>,
    /// YYYY-MM-DD (the whole UTC day) or RFC 3339, inclusive
    #[param(rename = "created_to", value_type = Option<String>, nullable = false)]
    pub created_before: Option<DateTime<Utc>>,
    #[param(ignore)]
    pub user_id: Option<Uuid>,
    #[param(required = false, minimum = 0, default = 0)]
    pub skip: i64,
    #[param(required = false, minimum = 1, maximum = 500, default = 100)]
    pub limit: i64,
}

// The literals of the `limit` parameter above.
const _: () = assert!(DEFAULT_LIMIT == 100 && MAX_LIMIT == 500);

impl ListFilter {
    /// Parses the query; `user_id` is read only when `with_user` (O2).
    pub fn parse(query: &HashMap<String, String>, with_user: bool) -> Result<Self, Vec<Cause>> {
        let mut causes = Vec::new();
        let get = |k: &str| query.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let mut statuses = Vec::new();
        if let Some(list) = get("status") {
            for s in list.split(',').map(str::trim) {
                match s.parse::<OrderStatus>() {
                    Ok(st) if !statuses.contains(&st) => statuses.push(st),
                    Ok(_) => {}
                    Err(()) => causes.push(Cause::new("status", format!("unknown status {s:?}"))),
                }
            }
        }
        let created_from = get("created_from").and_then(|v| {
            let bound = parse_bound(v, false);
            if bound.is_none() {
                causes.push(Cause::new("created_from", "must be YYYY-MM-DD or RFC 3339"));
            }
            bound
        });
        let created_before = get("created_to").and_then(|v| {
            let bound = parse_bound(v, true);
            if bound.is_none() {
                causes.push(Cause::new("created_to", "must be YYYY-MM-DD or RFC 3339"));
            }
            bound
        });
        if let (Some(from), Some(before)) = (created_from, created_before) {
            if from >= before {
                causes.push(Cause::new("created_from", "must not be after created_to"));
            }
        }
        let user_id = if with_user {
            get("user_id").and_then(|v| {
                let id = Uuid::parse_str(v).ok();
                if id.is_none() {
                    causes.push(Cause::new("user_id", "must be a UUID"));
                }
                id
            })
        } else {
            None
        };
        let skip = number(get("skip"), 0, 0, i64::MAX, "skip", &mut causes);
        let limit = number(
            get("limit"),
            DEFAULT_LIMIT,
            1,
            MAX_LIMIT,
            "limit",
            &mut causes,
        );
        if causes.is_empty() {
            Ok(ListFilter {
                statuses,
                created_from,
                created_before,
                user_id,
                skip,
                limit,
            })
        } else {
            Err(causes)
        }
    }

    /// Warehouse roles see only orders to ship: the status filter intersected with them.
    pub fn restrict_to_ship(&mut self) {
        self.statuses = if self.statuses.is_empty() {
            OrderStatus::TO_SHIP.to_vec()
        } else {
            self.statuses
                .iter()
                .copied()
                .filter(|s| s.is_to_ship())
                .collect()
        };
    }

    /// A restriction that matches nothing (an empty intersection).
    pub fn matches_nothing(&self, restricted: bool) -> bool {
        restricted && self.statuses.is_empty()
    }
}

/// A day is a whole UTC day: `created_to` = a day means before the next day starts. An instant is
/// inclusive, so its exclusive bound is one microsecond later (the database's precision).
fn parse_bound(value: &str, upper: bool) -> Option<DateTime<Utc>> {
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        let start = day.and_hms_opt(0, 0, 0)?.and_utc();
        return Some(if upper {
            start + Duration::days(1)
        } else {
            start
        });
    }
    let at = DateTime::parse_from_rfc3339(value)
        .ok()?
        .with_timezone(&Utc);
    Some(if upper {
        at + Duration::microseconds(1)
    } else {
        at
    })
}

fn number(
    raw: Option<&str>,
    default: i64,
    min: i64,
    max: i64,
    field: &str,
    causes: &mut Vec<Cause>,
) -> i64 {
    match raw {
        None => default,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => n,
            _ => {
                causes.push(Cause::new(
                    field,
                    format!("must be a whole number from {min}"),
                ));
                default
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_and_both_date_forms_parse() {
        let f = ListFilter::parse(&q(&[]), true).unwrap();
        assert_eq!((f.skip, f.limit), (0, 100));
        let f = ListFilter::parse(
            &q(&[
                ("status", "PENDING,EXPIRED"),
                ("created_from", "2024-01-01"),
                ("created_to", "2024-01-01"),
            ]),
            true,
        )
        .unwrap();
        assert_eq!(f.statuses, [OrderStatus::Pending, OrderStatus::Expired]);
        assert_eq!(
            f.created_before.unwrap() - f.created_from.unwrap(),
            Duration::days(1)
        );
        let f = ListFilter::parse(&q(&[("created_to", "2024-01-01T10:00:00Z")]), true).unwrap();
        assert_eq!(f.created_before.unwrap().timestamp_subsec_micros(), 1);
    }

    #[test]
    fn bad_values_are_named() {
        for (k, v) in [
            ("status", "LOST"),
            ("limit", "0"),
            ("limit", "501"),
            ("skip", "-1"),
            ("created_from", "yesterday"),
            ("user_id", "x"),
        ] {
            let err = ListFilter::parse(&q(&[(k, v)]), true).unwrap_err();
            assert_eq!(err[0].field, k, "{k}={v}");
        }
        let err = ListFilter::parse(
            &q(&[("created_from", "2024-02-02"), ("created_to", "2024-02-01")]),
            true,
        )
        .unwrap_err();
        assert_eq!(err[0].field, "created_from");
    }

    #[test]
    fn warehouse_roles_only_see_orders_to_ship() {
        let mut f = ListFilter::parse(&q(&[("status", "PENDING,ON_DELIVERY")]), true).unwrap();
        f.restrict_to_ship();
        assert_eq!(f.statuses, [OrderStatus::OnDelivery]);
        let mut f = ListFilter::parse(&q(&[("status", "PENDING")]), true).unwrap();
        f.restrict_to_ship();
        assert!(f.matches_nothing(true));
    }
}
