//! Per-caller service credentials for `/internal/...` (auth.md §2.6): the caller sends its own
//! `X-Service-Token`; the receiver maps it to a caller through `INTERNAL_TOKENS` and checks its compiled-in
//! allow-list of (caller, route) and (caller, event type) pairs.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, MatchedPath};
use axum::http::request::Parts;
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

use crate::config::{self, ConfigError};
use crate::error::AppError;

/// The header a service credential travels in.
pub const SERVICE_TOKEN_HEADER: &str = "x-service-token";

/// A receiver's view of who may call it: secrets by caller, and the allow-list.
pub struct InternalAuth {
    secrets: Vec<(String, SecretString)>,
    routes: &'static [(&'static str, &'static str)],
    events: &'static [(&'static str, &'static str)],
}

impl InternalAuth {
    /// `routes`: (caller, matched route) pairs; `events`: (caller, event type) pairs this service handles.
    pub fn new(
        tokens: &str,
        routes: &'static [(&'static str, &'static str)],
        events: &'static [(&'static str, &'static str)],
    ) -> Result<Self, ConfigError> {
        let mut secrets = Vec::new();
        for pair in tokens.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (caller, secret) = pair
                .split_once(':')
                .filter(|(c, s)| !c.trim().is_empty() && !s.trim().is_empty())
                .ok_or_else(|| {
                    ConfigError::new(
                        "INTERNAL_TOKENS",
                        "must be comma-separated caller:secret pairs",
                    )
                })?;
            if secret.trim().len() < 32 {
                tracing::warn!(
                    caller = caller.trim(),
                    "INTERNAL_TOKENS: a secret is shorter than 32 characters"
                );
            }
            secrets.push((
                caller.trim().to_string(),
                SecretString::from(secret.trim().to_string()),
            ));
        }
        Ok(InternalAuth {
            secrets,
            routes,
            events,
        })
    }

    /// Reads `INTERNAL_TOKENS` (default: the local tokens of the allowed callers).
    pub fn from_env(
        local_default: &str,
        routes: &'static [(&'static str, &'static str)],
        events: &'static [(&'static str, &'static str)],
    ) -> Result<Self, ConfigError> {
        Self::new(
            &config::string_or("INTERNAL_TOKENS", local_default),
            routes,
            events,
        )
    }

    /// The caller whose secret equals `presented`, compared in constant time against every secret.
    pub fn caller_for(&self, presented: &str) -> Option<&str> {
        let mut found = None;
        for (caller, secret) in &self.secrets {
            let secret = secret.expose_secret().as_bytes();
            if secret.len() == presented.len() && bool::from(secret.ct_eq(presented.as_bytes())) {
                found = Some(caller.as_str());
            }
        }
        found
    }

    fn route_allowed(&self, caller: &str, route: &str) -> bool {
        self.routes.iter().any(|(c, r)| *c == caller && *r == route)
    }
}

/// A service that proved who it is. Extracting it checks the token and the (caller, route) pair.
#[derive(Debug, Clone)]
pub struct ServiceCaller {
    pub name: String,
}

impl ServiceCaller {
    /// The `/internal/events` checks: `source` must be the caller, and a handled type must be allowed for it.
    pub fn check_event(
        &self,
        auth: &InternalAuth,
        source: &str,
        event_type: &str,
    ) -> Result<(), AppError> {
        if source != self.name {
            return Err(AppError::Forbidden("caller not allowed".into()));
        }
        let handled = auth.events.iter().any(|(_, t)| *t == event_type);
        if handled
            && !auth
                .events
                .iter()
                .any(|(c, t)| *c == self.name && *t == event_type)
        {
            return Err(AppError::Forbidden("caller not allowed".into()));
        }
        Ok(())
    }
}

impl<S> FromRequestParts<S> for ServiceCaller
where
    Arc<InternalAuth>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = Arc::<InternalAuth>::from_ref(state);
        let presented = parts
            .headers
            .get(SERVICE_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let caller = auth
            .caller_for(presented)
            .ok_or(AppError::InvalidServiceCredential)?
            .to_string();
        let route = parts
            .extensions
            .get::<MatchedPath>()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default();
        if !auth.route_allowed(&caller, &route) {
            return Err(AppError::Forbidden("caller not allowed".into()));
        }
        Ok(ServiceCaller { name: caller })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTES: &[(&str, &str)] = &[("order", "/internal/events")];
    const EVENTS: &[(&str, &str)] = &[("order", "sale.created")];

    #[test]
    fn both_secrets_of_a_rotating_caller_are_accepted() {
        let auth =
            InternalAuth::new("order:old-secret,order:new-secret,cart:c", ROUTES, EVENTS).unwrap();
        assert_eq!(auth.caller_for("old-secret"), Some("order"));
        assert_eq!(auth.caller_for("new-secret"), Some("order"));
        assert_eq!(auth.caller_for("c"), Some("cart"));
        assert_eq!(auth.caller_for("nope"), None);
        assert_eq!(auth.caller_for(""), None);
    }

    #[test]
    fn malformed_internal_tokens_are_refused() {
        for bad in ["order", "order:", ":secret", "order:x,broken"] {
            let err = InternalAuth::new(bad, ROUTES, EVENTS).err().expect(bad);
            assert_eq!(err.var, "INTERNAL_TOKENS");
        }
    }

    #[test]
    fn an_envelope_from_another_source_or_type_is_forbidden() {
        let auth = InternalAuth::new("order:s,cart:c", ROUTES, EVENTS).unwrap();
        let order = ServiceCaller {
            name: "order".into(),
        };
        let cart = ServiceCaller {
            name: "cart".into(),
        };
        assert!(order.check_event(&auth, "order", "sale.created").is_ok());
        assert!(order.check_event(&auth, "payment", "sale.created").is_err());
        assert!(cart.check_event(&auth, "cart", "sale.created").is_err());
        assert!(cart
            .check_event(&auth, "cart", "something.unhandled")
            .is_ok());
    }
}
