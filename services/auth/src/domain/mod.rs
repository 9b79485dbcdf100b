//! Pure rules of the auth service: what a username, email, password, code, phone number and address must look
//! like (api/auth.md §3–§4), and the `User` the API returns. Parse, don't validate: each rule returns the
//! normalised value or a field error.

pub mod identity;
pub mod profile;
pub mod user;

use eshop_common::{AppError, Cause};

/// Collects field errors; `finish` turns any into one 400 with `causes` (api/auth.md §3).
#[derive(Default)]
pub struct Checks {
    causes: Vec<Cause>,
}

impl Checks {
    /// Keeps the value of a passed rule; records the cause of a failed one.
    pub fn check<T>(&mut self, result: Result<T, Cause>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(cause) => {
                self.causes.push(cause);
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.causes.is_empty() {
            Ok(())
        } else {
            Err(AppError::invalid_fields("invalid request", self.causes))
        }
    }
}

/// A required field: absent → a cause naming it.
pub fn required<'a>(field: &str, value: Option<&'a str>) -> Result<&'a str, Cause> {
    value.ok_or_else(|| Cause::new(field, "is required"))
}

/// Length in characters (not bytes) within `min..=max`.
pub(crate) fn length(field: &str, value: &str, min: usize, max: usize) -> Result<(), Cause> {
    let n = value.chars().count();
    if n < min || n > max {
        Err(Cause::new(
            field,
            format!("must be {min} to {max} characters"),
        ))
    } else {
        Ok(())
    }
}
