//! Token-check settings and the values derived from them (auth.md §2.1).

use std::time::Duration;

use crate::config::{self, ConfigError};

/// Where tokens come from and how strictly they are checked.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    pub issuer: String,
    pub pool_id: String,
    pub client_ids: Vec<String>,
    pub jwks_url: String,
    pub leeway: Duration,
    pub min_refresh: Duration,
    /// Background refresh period; zero turns it off.
    pub refresh: Duration,
    pub fetch_timeout: Duration,
}

impl AuthSettings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let issuer = match config::var("COGNITO_ISSUER") {
            Some(issuer) => issuer.trim_end_matches('/').to_string(),
            None => {
                let region = config::var("COGNITO_REGION")
                    .or_else(|| config::var("AWS_COGNITO_REGION"))
                    .or_else(|| config::var("AWS_REGION"));
                match (region, config::var("COGNITO_USER_POOL_ID")) {
                    (Some(region), Some(pool)) => {
                        format!("https://cognito-idp.{region}.amazonaws.com/{pool}")
                    }
                    _ => {
                        return Err(ConfigError::new(
                            "COGNITO_ISSUER",
                            "is required (or COGNITO_REGION and COGNITO_USER_POOL_ID)",
                        ))
                    }
                }
            }
        };
        let pool_id = config::var("COGNITO_USER_POOL_ID")
            .unwrap_or_else(|| issuer.rsplit('/').next().unwrap_or_default().to_string());
        let mut client_ids = config::list_or("COGNITO_CLIENT_IDS", "");
        if client_ids.is_empty() {
            client_ids = config::list_or("COGNITO_CLIENT_ID", "");
        }
        if client_ids.is_empty() {
            return Err(ConfigError::new(
                "COGNITO_CLIENT_IDS",
                "is required but not set",
            ));
        }
        let endpoint = config::var("COGNITO_ENDPOINT").or_else(|| config::var("AWS_ENDPOINT_URL"));
        let jwks_url = jwks_url(
            config::var("COGNITO_JWKS_URL"),
            endpoint.as_deref(),
            &issuer,
            &pool_id,
        );
        Ok(AuthSettings {
            issuer,
            pool_id,
            client_ids,
            jwks_url,
            leeway: config::secs_or("JWT_LEEWAY_SECS", 60)?,
            min_refresh: config::secs_or("JWKS_MIN_REFRESH_SECS", 60)?,
            refresh: config::secs_or("JWKS_REFRESH_SECS", 3600)?,
            fetch_timeout: config::millis_or("JWKS_FETCH_TIMEOUT_MS", 5000)?,
        })
    }

    /// Settings for tests and tools: the given issuer, client and JWKS URL, default timings.
    pub fn new(issuer: &str, client_ids: &[&str], jwks_url: &str) -> Self {
        AuthSettings {
            issuer: issuer.to_string(),
            pool_id: issuer.rsplit('/').next().unwrap_or_default().to_string(),
            client_ids: client_ids.iter().map(|s| s.to_string()).collect(),
            jwks_url: jwks_url.to_string(),
            leeway: Duration::from_secs(60),
            min_refresh: Duration::from_secs(60),
            refresh: Duration::from_secs(3600),
            fetch_timeout: Duration::from_secs(5),
        }
    }
}

/// auth.md §2.1: `COGNITO_JWKS_URL`; else `{endpoint}/{pool}/.well-known/jwks.json`; else the issuer form.
pub fn jwks_url(
    explicit: Option<String>,
    endpoint: Option<&str>,
    issuer: &str,
    pool_id: &str,
) -> String {
    if let Some(url) = explicit {
        return url;
    }
    match endpoint {
        Some(endpoint) => format!(
            "{}/{pool_id}/.well-known/jwks.json",
            endpoint.trim_end_matches('/')
        ),
        None => format!("{issuer}/.well-known/jwks.json"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc";

    #[test]
    fn endpoint_form_is_used_when_an_endpoint_is_set() {
        let url = jwks_url(None, Some("http://localhost:5000/"), ISS, "us-east-1_abc");
        assert_eq!(
            url,
            "http://localhost:5000/us-east-1_abc/.well-known/jwks.json"
        );
    }

    #[test]
    fn issuer_form_is_used_without_an_endpoint() {
        assert_eq!(
            jwks_url(None, None, ISS, "us-east-1_abc"),
            format!("{ISS}/.well-known/jwks.json")
        );
    }

    #[test]
    fn an_explicit_jwks_url_wins() {
        let url = jwks_url(
            Some("http://x/jwks".into()),
            Some("http://localhost:5000"),
            ISS,
            "p",
        );
        assert_eq!(url, "http://x/jwks");
    }
}
