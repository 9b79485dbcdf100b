//! Summary time buckets (api/sales-report.md §2.4): the interval names and how many buckets a range
//! spans, counted on local calendar dates in the zone (PostgreSQL makes the buckets themselves).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

/// `interval`: days, ISO weeks (Monday start) or months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Day,
    Week,
    Month,
}

impl Interval {
    pub const ALL: [Interval; 3] = [Interval::Day, Interval::Week, Interval::Month];

    pub fn parse(value: &str) -> Option<Interval> {
        match value {
            "day" => Some(Interval::Day),
            "week" => Some(Interval::Week),
            "month" => Some(Interval::Month),
            _ => None,
        }
    }

    /// The `date_trunc` field name, also the echo in the answer.
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
        }
    }

    /// The `to_char` pattern of a bucket's label in the zone.
    pub fn label_format(self) -> &'static str {
        match self {
            Interval::Day | Interval::Week => "YYYY-MM-DD",
            Interval::Month => "YYYY-MM",
        }
    }
}

fn monday(date: NaiveDate) -> NaiveDate {
    date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// The number of buckets from the one holding `from` to the one holding `to` (0 when `from` > `to`).
pub fn bucket_count(from: DateTime<Utc>, to: DateTime<Utc>, interval: Interval, tz: Tz) -> i64 {
    if from > to {
        return 0;
    }
    let a = from.with_timezone(&tz).date_naive();
    let b = to.with_timezone(&tz).date_naive();
    match interval {
        Interval::Day => (b - a).num_days() + 1,
        Interval::Week => (monday(b) - monday(a)).num_days() / 7 + 1,
        Interval::Month => {
            let months = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
            months(b) - months(a) + 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn days_weeks_and_months_are_counted_on_local_dates() {
        let (a, b) = (t("2025-01-30T12:00:00Z"), t("2025-03-02T00:30:00Z"));
        assert_eq!(bucket_count(a, b, Interval::Day, Tz::UTC), 32);
        assert_eq!(bucket_count(a, b, Interval::Month, Tz::UTC), 3);
        // 2025-01-30 is a Thursday, 2025-03-02 a Sunday: weeks of 01-27 … 02-24.
        assert_eq!(bucket_count(a, b, Interval::Week, Tz::UTC), 5);
        // In Jakarta (UTC+7) the end is already 2025-03-02 07:30 local: same day count.
        let jakarta: Tz = "Asia/Jakarta".parse().unwrap();
        assert_eq!(
            bucket_count(a, t("2025-03-01T17:00:00Z"), Interval::Day, jakarta),
            32
        );
        assert_eq!(bucket_count(b, a, Interval::Day, Tz::UTC), 0);
    }

    #[test]
    fn interval_names_parse_and_echo() {
        for name in ["day", "week", "month"] {
            assert_eq!(Interval::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(
            Interval::ALL.map(Interval::as_str),
            ["day", "week", "month"]
        );
        assert_eq!(Interval::parse("year"), None);
        assert_eq!(Interval::Month.label_format(), "YYYY-MM");
    }
}
