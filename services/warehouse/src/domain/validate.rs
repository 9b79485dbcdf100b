//! Input checks that collect every problem as a field cause, answered as one 400 (design §2).

use eshop_common::{AppError, Cause};

/// The largest quantity, delta or threshold a request may name (§2.3, §2.4).
pub const MAX_UNITS: i64 = 1_000_000;

/// `limit` of a paged list when none is sent, and its ceiling (§2.1 "Lists").
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// A collector of field problems.
#[derive(Debug, Default)]
pub struct Checks {
    causes: Vec<Cause>,
}

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.causes.push(Cause::new(field, message));
    }

    /// A required string, trimmed, 1..=`max` characters.
    pub fn text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        match value {
            None => {
                self.fail(field, "is required");
                None
            }
            Some(v) => self.present_text(field, v, max),
        }
    }

    /// A string that was sent: trimmed, 1..=`max` characters, no NUL (PostgreSQL text cannot hold one, so it
    /// is bad input here rather than a failed insert later).
    pub fn present_text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let v = value.trim();
        let len = v.chars().count();
        if len == 0 || len > max {
            self.fail(field, format!("must be 1 to {max} characters"));
            return None;
        }
        if v.contains('\0') {
            self.fail(field, "must not contain NUL characters");
            return None;
        }
        Some(v.to_string())
    }

    /// A required integer in `min..=max`.
    pub fn int(&mut self, field: &str, value: Option<i64>, min: i64, max: i64) -> Option<i32> {
        match value {
            None => {
                self.fail(field, "is required");
                None
            }
            Some(v) if v < min || v > max => {
                self.fail(field, format!("must be from {min} to {max}"));
                None
            }
            Some(v) => i32::try_from(v).ok(),
        }
    }

    /// A required value of any other type.
    pub fn required<T: Copy>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.fail(field, "is required");
        }
        value
    }

    pub fn is_ok(&self) -> bool {
        self.causes.is_empty()
    }

    /// `Ok` when nothing failed, else 400 with every cause.
    pub fn finish(self) -> Result<(), AppError> {
        if self.causes.is_empty() {
            Ok(())
        } else {
            Err(AppError::invalid_fields("invalid input", self.causes))
        }
    }
}

/// `skip` ≥ 0 (default 0) and `limit` 1–500 (default 50) of a paged list (§2.1 "Lists").
pub fn paging(skip: Option<i64>, limit: Option<i64>) -> Result<(i64, i64), AppError> {
    let mut checks = Checks::new();
    let skip = skip.unwrap_or(0);
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if skip < 0 {
        checks.fail("skip", "must be 0 or more");
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        checks.fail("limit", format!("must be from 1 to {MAX_LIMIT}"));
    }
    checks.finish()?;
    Ok((skip, limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded() {
        let mut c = Checks::new();
        assert_eq!(c.text("name", Some("  A  "), 5), Some("A".into()));
        assert_eq!(c.text("name", Some("   "), 5), None);
        assert_eq!(c.text("name", None, 5), None);
        assert_eq!(c.text("name", Some("abcdef"), 5), None);
        assert!(!c.is_ok());
        let AppError::BadRequest { causes, .. } = c.finish().unwrap_err() else {
            panic!()
        };
        assert_eq!(causes.len(), 3);
    }

    #[test]
    fn texts_with_a_nul_character_are_refused() {
        let mut c = Checks::new();
        assert_eq!(c.text("name", Some("Gudang\0 A"), 50), None);
        assert_eq!(c.present_text("q", "\0", 100), None);
        let AppError::BadRequest { causes, .. } = c.finish().unwrap_err() else {
            panic!()
        };
        assert_eq!(causes[0].message, "must not contain NUL characters");
        assert_eq!(causes[1].field, "q");
    }

    #[test]
    fn integers_are_range_checked() {
        let mut c = Checks::new();
        assert_eq!(c.int("q", Some(5), 1, 10), Some(5));
        assert_eq!(c.int("q", Some(0), 1, 10), None);
        assert_eq!(c.int("q", Some(1 << 40), 1, 10), None);
        assert!(c.finish().is_err());
    }

    #[test]
    fn paging_defaults_and_limits() {
        assert_eq!(paging(None, None).unwrap(), (0, 50));
        assert!(paging(Some(-1), None).is_err());
        assert!(paging(None, Some(501)).is_err());
        assert!(paging(None, Some(0)).is_err());
        assert_eq!(paging(Some(3), Some(500)).unwrap(), (3, 500));
    }
}
