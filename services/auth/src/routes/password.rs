//! Password reset and change (api/auth.md §4.14). Forgot-password answers the same for every identifier, so
//! it reveals no account.

use std::time::Instant;

use axum::extract::State;
use axum::http::StatusCode;
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{updated, Reply};
use eshop_common::extract::Json;
use eshop_common::AppError;
use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::domain::identity::{self, Identifier};
use crate::domain::{required, Checks};
use crate::error::{from_cognito, ApiError, ApiResult, Flow, RESET_REFUSED};
use crate::throttle::{Budget, ClientIp};
use crate::AppState;

/// 200 `success create` (api/auth.md §4.14), whether or not a code went out.
fn code_sent() -> Reply<()> {
    Reply::new(StatusCode::OK, (), "success create")
}

#[derive(Deserialize)]
pub struct ForgotBody {
    username: Option<String>,
}

/// `POST /v1/auth/forgot-password`: always 200 with `data: null`, also for an unknown user.
#[tracing::instrument(skip_all)]
pub async fn forgot(
    State(state): State<AppState>,
    ip: ClientIp,
    Json(body): Json<ForgotBody>,
) -> ApiResult<Reply<()>> {
    state
        .throttles
        .take_ip(Budget::Public, &ip.0, Instant::now())?;
    let mut checks = Checks::default();
    let raw = required("username", body.username.as_deref());
    let identifier = checks.check(raw.clone().and_then(|u| Identifier::parse("username", u)));
    checks.finish()?;
    let (Ok(raw), Some(identifier)) = (raw, identifier) else {
        unreachable!("checks passed");
    };
    state
        .throttles
        .take_cooldown(&format!("forgot:{}", Identifier::key(raw)), Instant::now())?;
    let username = match state.pool.resolve(&identifier).await {
        Ok(Some(username)) => username,
        // Unknown, or an email several accounts share: the same answer as a sent code.
        Ok(None) | Err(ApiError::App(AppError::Conflict { .. })) => return Ok(code_sent()),
        Err(err) => return Err(err),
    };
    let sent = state
        .pool
        .client
        .forgot_password()
        .client_id(&*state.pool.app_client_id)
        .username(&username)
        .send()
        .await;
    match sent.map_err(|e| from_cognito(Flow::Forgot, "ForgotPassword", e)) {
        Ok(_) => Ok(code_sent()),
        // Unknown user, or no verified address to send to: saying so would enumerate accounts.
        Err(ApiError::App(_)) => Ok(code_sent()),
        Err(err) => Err(err),
    }
}

#[derive(Deserialize)]
pub struct ResetBody {
    username: Option<String>,
    code: Option<String>,
    password: Option<String>,
}

/// `POST /v1/auth/reset-password`: sets the new password with the emailed code, then signs the user out
/// everywhere so refresh tokens issued under the old password stop working.
#[tracing::instrument(skip_all)]
pub async fn reset(
    State(state): State<AppState>,
    ip: ClientIp,
    Json(body): Json<ResetBody>,
) -> ApiResult<Reply<()>> {
    state
        .throttles
        .take_ip(Budget::Public, &ip.0, Instant::now())?;
    let mut checks = Checks::default();
    let identifier = checks.check(
        required("username", body.username.as_deref())
            .and_then(|u| Identifier::parse("username", u)),
    );
    let code = checks
        .check(required("code", body.code.as_deref()).and_then(|c| identity::code("code", c)));
    let password = checks.check(
        required("password", body.password.as_deref())
            .and_then(|p| identity::new_password("password", p)),
    );
    checks.finish()?;
    let (Some(identifier), Some(code), Some(password)) = (identifier, code, password) else {
        unreachable!("checks passed");
    };
    let refused = || ApiError::App(AppError::unprocessable(RESET_REFUSED));
    let username = match state.pool.resolve(&identifier).await {
        Ok(Some(username)) => username,
        Ok(None) | Err(ApiError::App(AppError::Conflict { .. })) => return Err(refused()),
        Err(err) => return Err(err),
    };
    // An unknown username gets the same answer as a wrong code (the emulator would answer it otherwise).
    if state.pool.get(&username).await?.is_none() {
        return Err(refused());
    }
    state
        .pool
        .client
        .confirm_forgot_password()
        .client_id(&*state.pool.app_client_id)
        .username(&username)
        .confirmation_code(code)
        .password(password)
        .send()
        .await
        .map_err(|e| from_cognito(Flow::Reset, "ConfirmForgotPassword", e))?;
    state.pool.sign_out_everywhere(&username).await?;
    tracing::info!(%username, "password reset");
    Ok(updated(()))
}

#[derive(Deserialize)]
pub struct ChangeBody {
    current_password: Option<String>,
    new_password: Option<String>,
}

/// `POST /v1/auth/change-password` with the caller's own token. A wrong current password is 422, not 401, so
/// the client does not sign out.
#[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
pub async fn change(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<ChangeBody>,
) -> ApiResult<Reply<()>> {
    let mut checks = Checks::default();
    let current = checks.check(
        required("current_password", body.current_password.as_deref())
            .and_then(|p| identity::presented_password("current_password", p)),
    );
    let new = checks.check(
        required("new_password", body.new_password.as_deref())
            .and_then(|p| identity::new_password("new_password", p)),
    );
    checks.finish()?;
    let (Some(current), Some(new)) = (current, new) else {
        unreachable!("checks passed");
    };
    state
        .pool
        .client
        .change_password()
        .access_token(user.token.expose_secret())
        .previous_password(current)
        .proposed_password(new)
        .send()
        .await
        .map_err(|e| from_cognito(Flow::ChangePassword, "ChangePassword", e))?;
    Ok(updated(()))
}
