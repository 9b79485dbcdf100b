//! Login, refresh and logout (api/auth.md §4.5–§4.7). Login is rate-limited per client address and per
//! identifier before Cognito is called.

use std::time::Instant;

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, AuthenticationResultType};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use eshop_common::auth::{AuthUser, Role, TokenError};
use eshop_common::envelope::{deleted, updated, Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::{BearerRefused, NotJson, Null};
use eshop_common::AppError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{BodyTooLarge, KeysNotLoaded, ProviderFailed, ProviderThrottled};
use crate::domain::identity::{self, Identifier};
use crate::domain::{required, Checks};
use crate::error::{from_cognito, ApiError, ApiResult, Flow};
use crate::throttle::{Budget, ClientIp};
use crate::AppState;

const NO_STORE: [(header::HeaderName, &str); 1] = [(header::CACHE_CONTROL, "no-store")];

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = LoginRequest)]
pub struct LoginBody {
    /// username or email
    #[schema(value_type = String, required = true, min_length = 1, max_length = 254)]
    username: Option<String>,
    #[schema(value_type = String, required = true, min_length = 1, max_length = 256)]
    password: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Session {
    access_token: String,
    id_token: String,
    refresh_token: String,
    /// seconds
    expires_in: i32,
    #[schema(schema_with = bearer)]
    token_type: &'static str,
    user_id: Uuid,
    username: String,
    /// what every service derives from this very access token
    role: Role,
}

/// `token_type`, always [`BEARER`].
const BEARER: &str = "Bearer";

fn bearer() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some([BEARER]))
        .build()
}

/// Log in with username or email and password (rate-limited per identifier and IP)
///
/// api/auth.md §4.5. Rate limits first (per client address, then failures per identifier), then identifier
/// resolution and `InitiateAuth` `USER_PASSWORD_AUTH`; the role comes from the returned access token.
#[utoipa::path(
    post,
    path = "/v1/auth/login",
    operation_id = "login",
    tag = "auth",
    request_body = LoginBody,
    responses(
        (status = 200, description = "success login", body = Envelope<Session>,
            headers(("Cache-Control" = String, description = "no-store"))),
        (status = 400, description = "invalid input (causes lists field errors), malformed JSON", body = ErrorBody),
        (status = 401, description = "incorrect username or password (also unknown user or email, disabled user)", body = ErrorBody,
            headers(("WWW-Authenticate" = String))),
        (status = 403, description = "account not confirmed", body = ErrorBody),
        (status = 409, description = "several accounts use this email; use the username", body = ErrorBody),
        BodyTooLarge,
        NotJson,
        (status = 422, description = "sign-in needs a step this API does not support (e.g. NEW_PASSWORD_REQUIRED, MFA)", body = ErrorBody),
        (status = 429, description = "too many requests from the address, or too many failed logins for the identifier (Retry-After when known)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds"))),
        ProviderFailed,
        KeysNotLoaded,
    )
)]
#[tracing::instrument(skip_all)]
pub async fn login(
    State(state): State<AppState>,
    ip: ClientIp,
    Json(body): Json<LoginBody>,
) -> ApiResult<impl IntoResponse> {
    let now = Instant::now();
    state.throttles.take_ip(Budget::Login, &ip.0, now)?;
    let mut checks = Checks::default();
    let raw = required("username", body.username.as_deref());
    let identifier = checks.check(raw.clone().and_then(|u| Identifier::parse("username", u)));
    let password = checks.check(
        required("password", body.password.as_deref())
            .and_then(|p| identity::presented_password("password", p)),
    );
    checks.finish()?;
    let (Ok(raw), Some(identifier), Some(password)) = (raw, identifier, password) else {
        unreachable!("checks passed");
    };
    // contract: api/auth.md §4.5 — counted per identifier as sent; blocked attempts are not counted.
    let key = Identifier::key(raw);
    state.throttles.check_login(&key, now)?;
    let outcome = sign_in(&state, &identifier, password).await;
    match &outcome {
        Ok(_) => state.throttles.clear_login_failures(&key),
        Err(err) if err.status().as_u16() == 401 => {
            state.throttles.record_login_failure(&key, Instant::now())
        }
        Err(_) => {}
    }
    Ok((NO_STORE, outcome?))
}

async fn sign_in(
    state: &AppState,
    identifier: &Identifier,
    password: String,
) -> ApiResult<Reply<Session>> {
    let username = state
        .pool
        .resolve(identifier)
        .await?
        .ok_or_else(ApiError::login_refused)?;
    let out = state
        .pool
        .client
        .initiate_auth()
        .client_id(&*state.pool.app_client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", &username)
        .auth_parameters("PASSWORD", password)
        .send()
        .await
        .map_err(|e| from_cognito(Flow::Login, "InitiateAuth", e))?;
    if let Some(challenge) = out.challenge_name() {
        return Err(AppError::unprocessable(format!(
            "sign-in needs step {}, which this API does not support",
            challenge.as_str()
        ))
        .into());
    }
    let result = tokens(out.authentication_result())?;
    let access_token = result.access_token().unwrap_or_default().to_string();
    // contract: api/auth.md §4.5 — the role is what every service will derive from this very token.
    let claims = state
        .verifier
        .verify(&access_token)
        .await
        .map_err(AppError::from)?;
    let user_id = claims
        .sub
        .as_deref()
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| AppError::from(TokenError::Invalid("sub")))?;
    tracing::info!(%username, "user logged in");
    Ok(Reply::new(
        axum::http::StatusCode::OK,
        Session {
            id_token: result.id_token().unwrap_or_default().to_string(),
            refresh_token: result.refresh_token().unwrap_or_default().to_string(),
            expires_in: result.expires_in(),
            token_type: BEARER,
            user_id,
            username: claims.username.unwrap_or(username),
            role: Role::from_groups(&claims.groups),
            access_token,
        },
        "success login",
    ))
}

/// The tokens of a finished authentication; a reply without them is the identity provider's fault.
fn tokens(result: Option<&AuthenticationResultType>) -> ApiResult<&AuthenticationResultType> {
    result
        .filter(|r| r.access_token().is_some())
        .ok_or_else(|| {
            tracing::error!("InitiateAuth returned no tokens");
            ApiError::IdentityProvider
        })
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = RefreshRequest)]
pub struct RefreshBody {
    /// bytes, not characters
    #[schema(value_type = String, required = true, min_length = 1, max_length = 8192)]
    refresh_token: Option<String>,
}

/// The longest `refresh_token` accepted, in bytes.
const REFRESH_TOKEN_MAX_BYTES: usize = 8 * 1024;
// The literal of `refresh_token` above.
const _: () = assert!(REFRESH_TOKEN_MAX_BYTES == 8192);

#[derive(Serialize, utoipa::ToSchema)]
pub struct Refreshed {
    access_token: String,
    id_token: String,
    /// seconds
    expires_in: i32,
    #[schema(schema_with = bearer)]
    token_type: &'static str,
    /// only when a new one was issued
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, required = false)]
    refresh_token: Option<String>,
}

/// New access and ID tokens from a refresh token
///
/// api/auth.md §4.6. `InitiateAuth` `REFRESH_TOKEN_AUTH`; the new access token carries the current groups.
#[utoipa::path(
    post,
    path = "/v1/auth/refresh",
    operation_id = "refresh",
    tag = "auth",
    request_body = RefreshBody,
    responses(
        (status = 200, description = "success update", body = Envelope<Refreshed>,
            headers(("Cache-Control" = String, description = "no-store"))),
        (status = 400, description = "invalid input (causes lists field errors), malformed JSON", body = ErrorBody),
        (status = 401, description = "invalid or revoked refresh token", body = ErrorBody,
            headers(("WWW-Authenticate" = String))),
        BodyTooLarge,
        NotJson,
        (status = 429, description = "rate limited (Retry-After when known)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds"))),
        ProviderFailed,
    )
)]
#[tracing::instrument(skip_all)]
pub async fn refresh(
    State(state): State<AppState>,
    ip: ClientIp,
    Json(body): Json<RefreshBody>,
) -> ApiResult<impl IntoResponse> {
    state
        .throttles
        .take_ip(Budget::Public, &ip.0, Instant::now())?;
    let mut checks = Checks::default();
    let token = checks.check(
        required("refresh_token", body.refresh_token.as_deref()).and_then(|t| {
            if t.is_empty() || t.len() > REFRESH_TOKEN_MAX_BYTES {
                Err(eshop_common::Cause::new(
                    "refresh_token",
                    "must be 1 to 8192 bytes",
                ))
            } else {
                Ok(t.to_string())
            }
        }),
    );
    checks.finish()?;
    let Some(token) = token else {
        unreachable!("checks passed");
    };
    let out = state
        .pool
        .client
        .initiate_auth()
        .client_id(&*state.pool.app_client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", token)
        .send()
        .await
        .map_err(|e| from_cognito(Flow::Refresh, "InitiateAuth", e))?;
    let result = tokens(out.authentication_result())?;
    Ok((
        NO_STORE,
        updated(Refreshed {
            access_token: result.access_token().unwrap_or_default().to_string(),
            id_token: result.id_token().unwrap_or_default().to_string(),
            expires_in: result.expires_in(),
            token_type: BEARER,
            refresh_token: result.refresh_token().map(String::from),
        }),
    ))
}

/// Revoke every refresh token of the caller
///
/// api/auth.md §4.7: `AdminUserGlobalSignOut`, all devices; repeating it answers 200. Access tokens stay valid
/// until they expire (§2.3).
#[utoipa::path(
    post,
    path = "/v1/auth/logout",
    operation_id = "logout",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success delete", body = Envelope<Null>),
        BearerRefused,
        ProviderThrottled,
        ProviderFailed,
        KeysNotLoaded,
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
pub async fn logout(State(state): State<AppState>, user: AuthUser) -> ApiResult<Reply<()>> {
    state.pool.sign_out_everywhere(&user.username).await?;
    Ok(deleted(()))
}
