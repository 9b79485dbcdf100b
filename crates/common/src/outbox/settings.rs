//! Relay settings from the environment (design §4.2, README "Environment common to the services").

use std::time::Duration;

/// A relay setting that is present but unusable; the message names the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// Not a whole number, or out of its range.
    #[error("{name} must be a whole number{rule}, got {value:?}")]
    Invalid {
        /// The environment variable.
        name: &'static str,
        /// What was found.
        value: String,
        /// The range rule it broke (empty when it did not parse).
        rule: String,
    },
}

/// How the outbox relay behaves (design §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxSettings {
    /// Time between two claims (`OUTBOX_POLL_INTERVAL_MS`, 500).
    pub poll_interval: Duration,
    /// Ceiling of the exponential retry delay (`OUTBOX_MAX_BACKOFF_SECONDS`, 300).
    pub max_backoff: Duration,
    /// The failure that parks a row (`OUTBOX_MAX_ATTEMPTS`, 20).
    pub max_attempts: u32,
    /// How long a claim keeps a row from other relays (`OUTBOX_LEASE_SECONDS`, 30).
    pub lease: Duration,
    /// Age after which delivered rows are deleted (`OUTBOX_RETENTION_HOURS`, 168).
    pub retention: Duration,
    /// Timeout of one delivery (`HTTP_CLIENT_TIMEOUT_MS`, 3000).
    pub http_timeout: Duration,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            poll_interval: Duration::from_millis(500),
            max_backoff: Duration::from_secs(300),
            max_attempts: 20,
            lease: Duration::from_secs(30),
            retention: Duration::from_secs(168 * 3600),
            http_timeout: Duration::from_millis(3000),
        }
    }
}

impl OutboxSettings {
    /// Reads the settings from the process environment; unset or empty variables take their defaults.
    pub fn from_env() -> Result<OutboxSettings, SettingsError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`OutboxSettings::from_env`], reading variables through `lookup` (for tests and layered config).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<OutboxSettings, SettingsError> {
        let read =
            |name: &'static str, default: u64, min: u64, max: u64| -> Result<u64, SettingsError> {
                let Some(raw) = lookup(name).filter(|v| !v.trim().is_empty()) else {
                    return Ok(default);
                };
                let invalid = |rule: String| SettingsError::Invalid {
                    name,
                    value: raw.clone(),
                    rule,
                };
                let value: u64 = raw.trim().parse().map_err(|_| invalid(String::new()))?;
                if !(min..=max).contains(&value) {
                    return Err(invalid(format!(" from {min} to {max}")));
                }
                Ok(value)
            };
        let any = u64::from(u32::MAX);
        let settings = OutboxSettings {
            poll_interval: Duration::from_millis(read("OUTBOX_POLL_INTERVAL_MS", 500, 1, any)?),
            max_backoff: Duration::from_secs(read("OUTBOX_MAX_BACKOFF_SECONDS", 300, 0, any)?),
            max_attempts: read("OUTBOX_MAX_ATTEMPTS", 20, 1, 1000)? as u32,
            lease: Duration::from_secs(read("OUTBOX_LEASE_SECONDS", 30, 1, any)?),
            retention: Duration::from_secs(read("OUTBOX_RETENTION_HOURS", 168, 0, any)? * 3600),
            http_timeout: Duration::from_millis(read("HTTP_CLIENT_TIMEOUT_MS", 3000, 1, any)?),
        };
        // design §4.2 step 2: a row is sent only while its lease outlasts the timeout, so a lease shorter
        // than the timeout would never send anything.
        if settings.lease <= settings.http_timeout {
            return Err(SettingsError::Invalid {
                name: "OUTBOX_LEASE_SECONDS",
                value: settings.lease.as_secs().to_string(),
                rule: " of seconds longer than HTTP_CLIENT_TIMEOUT_MS".into(),
            });
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn unset_variables_take_the_documented_defaults() {
        assert_eq!(
            OutboxSettings::from_lookup(env(&[])).unwrap(),
            OutboxSettings::default()
        );
    }

    #[test]
    fn variables_override_the_defaults() {
        let s = OutboxSettings::from_lookup(env(&[
            ("OUTBOX_POLL_INTERVAL_MS", "100"),
            ("OUTBOX_MAX_BACKOFF_SECONDS", "0"),
            ("OUTBOX_MAX_ATTEMPTS", "3"),
            ("OUTBOX_LEASE_SECONDS", "10"),
            ("OUTBOX_RETENTION_HOURS", "1"),
            ("HTTP_CLIENT_TIMEOUT_MS", "250"),
        ]))
        .unwrap();
        assert_eq!(s.poll_interval, Duration::from_millis(100));
        assert_eq!(s.max_backoff, Duration::ZERO);
        assert_eq!(s.max_attempts, 3);
        assert_eq!(s.lease, Duration::from_secs(10));
        assert_eq!(s.retention, Duration::from_secs(3600));
        assert_eq!(s.http_timeout, Duration::from_millis(250));
    }

    #[test]
    fn an_invalid_number_names_its_variable() {
        let err = OutboxSettings::from_lookup(env(&[("OUTBOX_MAX_ATTEMPTS", "many")])).unwrap_err();
        assert!(err.to_string().contains("OUTBOX_MAX_ATTEMPTS"), "{err}");
        let err =
            OutboxSettings::from_lookup(env(&[("OUTBOX_POLL_INTERVAL_MS", "0")])).unwrap_err();
        assert!(err.to_string().contains("OUTBOX_POLL_INTERVAL_MS"), "{err}");
        let err =
            OutboxSettings::from_lookup(env(&[("HTTP_CLIENT_TIMEOUT_MS", "60000")])).unwrap_err();
        assert!(err.to_string().contains("OUTBOX_LEASE_SECONDS"), "{err}");
    }
}
