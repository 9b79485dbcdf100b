//! Settings from the environment (twelve-factor, design §6): every value has a documented local default,
//! and a missing or invalid required value stops the binary with a message naming the variable.

use std::str::FromStr;
use std::time::Duration;

/// A setting that is missing or cannot be parsed. Its `Display` names the variable, never its value
/// (the value may be a secret).
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {var} {reason}")]
pub struct ConfigError {
    pub var: String,
    pub reason: String,
}

impl ConfigError {
    pub fn new(var: &str, reason: impl Into<String>) -> Self {
        ConfigError {
            var: var.to_string(),
            reason: reason.into(),
        }
    }
}

/// The raw value of `name`, treating an empty string as unset. A `NAME_FILE` variable, when set, names a
/// file holding the value (Kubernetes secrets mounted as files). `COGNITO_*` settings not in the
/// environment are also looked up in the file `COGNITO_ENV_FILE` names (the `KEY=value` lines `auth
/// bootstrap --env-file` writes), for containers that cannot source it (docker-compose.yml).
pub fn var(name: &str) -> Option<String> {
    if let Ok(path) = std::env::var(format!("{name}_FILE")) {
        if let Ok(text) = std::fs::read_to_string(path) {
            let text = text.trim().to_string();
            if !text.is_empty() {
                return Some(text);
            }
        }
    }
    let value = std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if value.is_none() && name.starts_with("COGNITO_") && name != "COGNITO_ENV_FILE" {
        let path = std::env::var("COGNITO_ENV_FILE").ok()?;
        let text = std::fs::read_to_string(path).ok()?;
        return env_file_value(&text, name);
    }
    value
}

/// The value of `name` in `KEY=value` lines (blank lines, `#` comments, `export ` and quotes allowed).
fn env_file_value(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (key, value) = line.split_once('=')?;
        if key.trim() != name || line.starts_with('#') {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        Some(value.to_string()).filter(|v| !v.is_empty())
    })
}

/// `name` parsed as `T`, or `default` when unset.
pub fn parse_or<T: FromStr>(name: &str, default: T) -> Result<T, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse()
            .map_err(|_| ConfigError::new(name, "has an invalid value")),
    }
}

/// `name` as a string, or `default` when unset.
pub fn string_or(name: &str, default: &str) -> String {
    var(name).unwrap_or_else(|| default.to_string())
}

/// `name`, which must be set.
pub fn required(name: &str) -> Result<String, ConfigError> {
    var(name).ok_or_else(|| ConfigError::new(name, "is required but not set"))
}

/// `name` as `true`/`false` (also `1`/`0`, `yes`/`no`), or `default`.
pub fn bool_or(name: &str, default: bool) -> Result<bool, ConfigError> {
    match var(name).map(|v| v.to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) if matches!(v.as_str(), "true" | "1" | "yes" | "on") => Ok(true),
        Some(v) if matches!(v.as_str(), "false" | "0" | "no" | "off") => Ok(false),
        Some(_) => Err(ConfigError::new(name, "must be true or false")),
    }
}

/// A comma-separated list; empty items are dropped.
pub fn list_or(name: &str, default: &str) -> Vec<String> {
    string_or(name, default)
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

pub fn millis_or(name: &str, default: u64) -> Result<Duration, ConfigError> {
    parse_or(name, default).map(Duration::from_millis)
}

pub fn secs_or(name: &str, default: u64) -> Result<Duration, ConfigError> {
    parse_or(name, default).map(Duration::from_secs)
}

/// How logs are written: readable locally, JSON in production.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Settings every service reads (spec README, "Environment common to the services").
#[derive(Clone, Debug)]
pub struct CommonSettings {
    /// The service's name: `product`, `cart`, ... (also the `source` of its events).
    pub service: &'static str,
    pub http_port: u16,
    pub cors_origins: Vec<String>,
    pub request_timeout: Duration,
    pub client_timeout: Duration,
    pub log_level: String,
    pub log_format: LogFormat,
    pub otlp_endpoint: Option<String>,
    /// Largest JSON body accepted; services with uploads raise it on their own routes.
    pub body_limit: usize,
}

impl CommonSettings {
    pub fn from_env(service: &'static str, default_port: u16) -> Result<Self, ConfigError> {
        let log_format = match string_or("LOG_FORMAT", "pretty")
            .to_ascii_lowercase()
            .as_str()
        {
            "json" => LogFormat::Json,
            "pretty" | "text" => LogFormat::Pretty,
            _ => return Err(ConfigError::new("LOG_FORMAT", "must be pretty or json")),
        };
        Ok(CommonSettings {
            service,
            http_port: parse_or("HTTP_PORT", default_port)?,
            cors_origins: list_or(
                "CORS_ALLOWED_ORIGINS",
                "http://localhost:3000,http://localhost:3001",
            ),
            request_timeout: secs_or("HTTP_REQUEST_TIMEOUT_SECS", 30)?,
            client_timeout: millis_or("HTTP_CLIENT_TIMEOUT_MS", 3000)?,
            log_level: string_or("LOG_LEVEL", "info"),
            log_format,
            otlp_endpoint: var("OTEL_EXPORTER_OTLP_ENDPOINT"),
            body_limit: parse_or("HTTP_BODY_LIMIT_BYTES", 64 * 1024)?,
        })
    }
}

/// `DATABASE_URL` with the local default for `database`, and `DATABASE_MAX_CONNECTIONS`.
pub fn database_from_env(local_default: &str) -> Result<(String, u32), ConfigError> {
    Ok((
        string_or("DATABASE_URL", local_default),
        parse_or("DATABASE_MAX_CONNECTIONS", 10u32)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_file_lines_give_their_values() {
        let text = "# written by auth bootstrap\nexport COGNITO_ISSUER='https://i/p'\nCOGNITO_CLIENT_IDS=\"a,b\"\nCOGNITO_USER_POOL_ID=us-east-1_X\nCOGNITO_JWKS_URL=\n";
        assert_eq!(
            env_file_value(text, "COGNITO_ISSUER").as_deref(),
            Some("https://i/p")
        );
        assert_eq!(
            env_file_value(text, "COGNITO_CLIENT_IDS").as_deref(),
            Some("a,b")
        );
        assert_eq!(
            env_file_value(text, "COGNITO_USER_POOL_ID").as_deref(),
            Some("us-east-1_X")
        );
        assert_eq!(env_file_value(text, "COGNITO_JWKS_URL"), None);
        assert_eq!(env_file_value(text, "COGNITO_ISS"), None);
    }

    #[test]
    fn missing_required_value_names_the_variable() {
        let err = required("ESHOP_TEST_SURELY_UNSET").unwrap_err();
        assert_eq!(
            err.to_string(),
            "configuration error: ESHOP_TEST_SURELY_UNSET is required but not set"
        );
    }

    #[test]
    fn invalid_number_names_the_variable_but_not_the_value() {
        std::env::set_var("ESHOP_TEST_BAD_PORT", "secret-ish");
        let err = parse_or::<u16>("ESHOP_TEST_BAD_PORT", 1).unwrap_err();
        assert!(err.to_string().contains("ESHOP_TEST_BAD_PORT"));
        assert!(!err.to_string().contains("secret-ish"));
    }
}
