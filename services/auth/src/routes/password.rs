//! Password reset and change (api/auth.md §4.14). Forgot-password answers the same for every identifier, so
//! it reveals no account.

use std::time::Instant;

use axum::extract::State;
use axum::http::StatusCode;
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{updated, Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::{BearerRefused, NotJson, Null};
use eshop_common::AppError;
use secrecy::ExposeSecret;
use serde::Deserialize;

use super::{BodyTooLarge, KeysNotLoaded, ProviderFailed};
use crate::domain::identity::{self, Identifier};
use crate::domain::{required, Checks};
use crate::error::{from_cognito, ApiError, ApiResult, Flow, RESET_REFUSED};
use crate::throttle::{Budget, ClientIp};
use crate::AppState;

/// 200 `success create` (api/auth.md §4.14), whether or not a code went out.
fn code_sent() -> Reply<()> {
    Reply::new(StatusCode::OK, (), "success create")
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = ForgotPasswordRequest)]
pub struct ForgotBody {
    /// username or email
    #[schema(value_type = String, required = true, min_length = 1, max_length = 254)]
    username: Option<String>,
}

/// Send a password reset code (always 200)
///
/// api/auth.md §4.14. Always 200 with `data: null`, also for an unknown user (no account enumeration);
/// per-identifier cool-down `RESEND_COOLDOWN_SECS`.
#[utoipa::path(
    post,
    path = "/v1/auth/forgot-password",
    operation_id = "forgotPassword",
    tag = "auth",
    request_body = ForgotBody,
    responses(
        (status = 200, description = "success create, whether or not a code went out", body = Envelope<Null>),
        (status = 400, description = "invalid input (causes lists field errors), malformed JSON", body = ErrorBody),
        BodyTooLarge,
        NotJson,
        (status = 429, description = "rate limited or cooling down (Retry-After when known)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds"))),
        ProviderFailed,
    )
)]
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

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = ResetPasswordRequest)]
pub struct ResetBody {
    /// username or email
    #[schema(value_type = String, required = true, min_length = 1, max_length = 254)]
    username: Option<String>,
    #[schema(value_type = String, required = true, pattern = "^[0-9]{1,16}$")]
    code: Option<String>,
    /// the new password; the pool's policy is checked by Cognito: 422
    #[schema(value_type = String, required = true, min_length = 8, max_length = 256)]
    password: Option<String>,
}

/// Set a new password with the reset code
///
/// api/auth.md §4.14. Sets the new password with the emailed code, then signs the user out everywhere so
/// refresh tokens issued under the old password stop working.
#[utoipa::path(
    post,
    path = "/v1/auth/reset-password",
    operation_id = "resetPassword",
    tag = "auth",
    request_body = ResetBody,
    responses(
        (status = 200, description = "success update", body = Envelope<Null>),
        (status = 400, description = "invalid input (causes lists field errors), malformed JSON", body = ErrorBody),
        BodyTooLarge,
        NotJson,
        (status = 422, description = "wrong or expired code or unknown user (one text), or the password does not meet the policy", body = ErrorBody),
        (status = 429, description = "rate limited (Retry-After when known)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds"))),
        ProviderFailed,
    )
)]
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

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = ChangePasswordRequest)]
pub struct ChangeBody {
    #[schema(value_type = String, required = true, min_length = 1, max_length = 256)]
    current_password: Option<String>,
    /// the pool's policy is checked by Cognito: 422
    #[schema(value_type = String, required = true, min_length = 8, max_length = 256)]
    new_password: Option<String>,
}

/// Change the caller's password
///
/// api/auth.md §4.14. `ChangePassword` with the caller's own token. A wrong current password is 422, not 401,
/// so the client does not sign out.
#[utoipa::path(
    post,
    path = "/v1/auth/change-password",
    operation_id = "changePassword",
    tag = "auth",
    request_body = ChangeBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success update", body = Envelope<Null>),
        (status = 400, description = "invalid input (causes lists field errors), malformed JSON", body = ErrorBody),
        BearerRefused,
        (status = 404, description = "the account no longer exists (deleted while the access token is still valid)", body = ErrorBody),
        BodyTooLarge,
        NotJson,
        (status = 422, description = "current password is incorrect (also a revoked access token), or the new one does not meet the policy", body = ErrorBody),
        (status = 429, description = "too many attempts (the identity provider's limit)", body = ErrorBody),
        ProviderFailed,
        KeysNotLoaded,
    )
)]
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
