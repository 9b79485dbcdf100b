//! The HTTP client for service-to-service calls (auth.md §2.7, design §6): a timeout on every call, the
//! caller's own `X-Service-Token` on internal routes, the user's bearer token when acting for a user, and
//! `x-request-id` plus `traceparent` propagated from the current request.

use std::time::Duration;

use reqwest::{Method, RequestBuilder};
use secrecy::{ExposeSecret, SecretString};

use crate::auth::{AuthUser, SERVICE_TOKEN_HEADER};
use crate::config::{self, ConfigError};
use crate::context::RequestContext;
use crate::telemetry::{outgoing_traceparent, REQUEST_ID, TRACEPARENT};

/// A caller's client. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct ServiceClient {
    http: reqwest::Client,
    service_token: SecretString,
}

impl ServiceClient {
    pub fn new(service_token: SecretString, timeout: Duration) -> Self {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(2)))
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        ServiceClient {
            http,
            service_token,
        }
    }

    /// `SERVICE_TOKEN` (default `local-<service>-token`) and `HTTP_CLIENT_TIMEOUT_MS`.
    pub fn from_env(service: &str) -> Result<Self, ConfigError> {
        let token = config::string_or("SERVICE_TOKEN", &format!("local-{service}-token"));
        if token.len() < 32 && config::var("SERVICE_TOKEN").is_some() {
            tracing::warn!("SERVICE_TOKEN is shorter than 32 characters");
        }
        Ok(Self::new(
            SecretString::from(token),
            config::millis_or("HTTP_CLIENT_TIMEOUT_MS", 3000)?,
        ))
    }

    /// The underlying client, for calls that need neither credential (e.g. a JWKS or presigned URL).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// A call to another service's `/internal/...` route with this service's credential.
    pub fn internal(&self, method: Method, url: &str) -> RequestBuilder {
        propagate(self.http.request(method, url))
            .header(SERVICE_TOKEN_HEADER, self.service_token.expose_secret())
    }

    /// A call to a public route on behalf of `user`, forwarding the user's token unchanged.
    pub fn for_user(&self, method: Method, url: &str, user: &AuthUser) -> RequestBuilder {
        propagate(self.http.request(method, url))
            .header(reqwest::header::AUTHORIZATION, user.bearer())
    }
}

fn propagate(builder: RequestBuilder) -> RequestBuilder {
    let ctx = RequestContext::current().unwrap_or_else(RequestContext::fresh);
    builder
        .header(REQUEST_ID.as_str(), ctx.request_id.as_str())
        .header(TRACEPARENT.as_str(), outgoing_traceparent(&ctx))
}
