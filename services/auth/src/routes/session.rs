//! Login, refresh and logout (api/auth.md §4.5–§4.7). Login is rate-limited per client address and per
//! identifier before Cognito is called.

use std::time::Instant;

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, AuthenticationResultType};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use eshop_common::auth::{AuthUser, Role, TokenError};
use eshop_common::envelope::{deleted, updated, Reply};
use eshop_common::extract::Json;
use eshop_common::AppError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::identity::{self, Identifier};
use crate::domain::{required, Checks};
use crate::error::{from_cognito, ApiError, ApiResult, Flow};
use crate::throttle::{Budget, ClientIp};
use crate::AppState;

const NO_STORE: [(header::HeaderName, &str); 1] = [(header::CACHE_CONTROL, "no-store")];

#[derive(Deserialize)]
pub struct LoginBody {
    username: Option<String>,
    password: Option<String>,
}

#[derive(Serialize)]
pub struct Session {
    access_token: String,
    id_token: String,
    refresh_token: String,
    expires_in: i32,
    token_type: &'static str,
    user_id: Uuid,
    username: String,
    role: Role,
}

/// `POST /v1/auth/login`.
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
            token_type: "Bearer",
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

#[derive(Deserialize)]
pub struct RefreshBody {
    refresh_token: Option<String>,
}

#[derive(Serialize)]
pub struct Refreshed {
    access_token: String,
    id_token: String,
    expires_in: i32,
    token_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
}

/// `POST /v1/auth/refresh`.
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
            if t.is_empty() || t.len() > 8 * 1024 {
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
            token_type: "Bearer",
            refresh_token: result.refresh_token().map(String::from),
        }),
    ))
}

/// `POST /v1/auth/logout`: revokes every refresh token of the caller (all devices). Access tokens stay valid
/// until they expire (api/auth.md §2.3).
#[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
pub async fn logout(State(state): State<AppState>, user: AuthUser) -> ApiResult<Reply<()>> {
    state.pool.sign_out_everywhere(&user.username).await?;
    Ok(deleted(()))
}
