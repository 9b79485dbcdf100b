//! The auth service's `/v1/auth` routes (api/auth.md §3), one module per resource, and their OpenAPI
//! description ([`ApiDoc`], generated from the handlers' `#[utoipa::path]` and the types).

mod admin;
mod introspect;
mod me;
mod password;
mod session;
mod signup;
mod users;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::Router;
use uuid::Uuid;

use crate::error::ApiError;
use crate::AppState;
use eshop_common::error::ErrorBody;
use eshop_common::AppError;

/// Bodies are JSON of at most 16 KiB (api/auth.md §3; [`BodyTooLarge`] in [`ApiDoc`]).
const BODY_LIMIT: usize = 16 * 1024;

/// 413 over [`BODY_LIMIT`]. This set and the three below are the error rows auth's handlers share, listed
/// among their own rows as `eshop_common::openapi`'s sets are.
#[derive(utoipa::IntoResponses)]
#[response(status = 413, description = "body larger than 16 KiB")]
#[expect(dead_code, reason = "a documented body, never built")]
pub struct BodyTooLarge(ErrorBody);

/// 429 relayed from Cognito.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 429,
    description = "the identity provider throttled the request"
)]
#[expect(dead_code, reason = "a documented body, never built")]
pub struct ProviderThrottled(ErrorBody);

/// 502 from Cognito.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 502,
    description = "identity provider error (the message carries the request id)"
)]
#[expect(dead_code, reason = "a documented body, never built")]
pub struct ProviderFailed(ErrorBody);

/// 503 before the token keys are loaded.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 503,
    description = "token keys not loaded yet (the message carries the request id)"
)]
#[expect(dead_code, reason = "a documented body, never built")]
pub struct KeysNotLoaded(ErrorBody);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/auth/signup", post(signup::signup))
        .route("/v1/auth/confirm", post(signup::confirm))
        .route("/v1/auth/resend-code", post(signup::resend_code))
        .route("/v1/auth/login", post(session::login))
        .route("/v1/auth/refresh", post(session::refresh))
        .route("/v1/auth/logout", post(session::logout))
        .route("/v1/auth/forgot-password", post(password::forgot))
        .route("/v1/auth/reset-password", post(password::reset))
        .route("/v1/auth/change-password", post(password::change))
        .route(
            "/v1/auth/me",
            get(me::show).patch(me::update).delete(me::remove),
        )
        .route("/v1/auth/users", get(users::list))
        .route("/v1/auth/users/{user_id}", get(users::show))
        .route("/v1/auth/users/{user_id}/role", put(admin::set_role))
        .route("/v1/auth/users/{user_id}/enabled", put(admin::set_enabled))
        // Static segments win over the token (a JWT always has dots): api/auth.md §3.
        .route("/v1/auth/{token}", get(introspect::introspect))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// The service's own operations; `eshop_common::openapi::document` adds the common routes, the error
/// envelope and the security schemes.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Eshop auth service",
        description = "Contract: shared spec api/auth.md. Success bodies use the envelope {code, data, message}; errors {code, error: {message, causes}}. Bodies are JSON of at most 16 KiB; unknown fields are ignored."
    ),
    servers((url = "http://localhost:2003")),
    paths(
        introspect::introspect,
        signup::signup,
        signup::confirm,
        signup::resend_code,
        session::login,
        session::refresh,
        session::logout,
        password::forgot,
        password::reset,
        password::change,
        me::show,
        me::update,
        me::remove,
        users::list,
        users::show,
        admin::set_role,
        admin::set_enabled
    )
)]
pub struct ApiDoc;

/// A `{user_id}` path segment: a UUID, else 400 (api/auth.md §4.11).
fn user_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::App(AppError::bad_request("user_id must be a UUID")))
}
