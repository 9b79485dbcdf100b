//! Sign-up, confirmation and code resend (api/auth.md §4.2–§4.4).

use std::time::Instant;

use aws_sdk_cognitoidentityprovider::types::CodeDeliveryDetailsType;
use axum::extract::State;
use axum::http::StatusCode;
use eshop_common::envelope::{created, updated, Reply};
use eshop_common::extract::Json;
use eshop_common::AppError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::identity::{self, Identifier};
use crate::domain::{profile, required, Checks};
use crate::error::{from_cognito, ApiResult, Flow};
use crate::pool::attribute;
use crate::throttle::{Budget, ClientIp};
use crate::AppState;

#[derive(Deserialize)]
pub struct SignUpBody {
    username: Option<String>,
    email: Option<String>,
    password: Option<String>,
    name: Option<String>,
}

/// Where the code went: the masked destination and `EMAIL` or `SMS`.
#[derive(Serialize)]
pub struct CodeDelivery {
    destination: String,
    medium: String,
}

impl CodeDelivery {
    fn from_details(details: Option<&CodeDeliveryDetailsType>) -> Option<CodeDelivery> {
        details.map(|d| CodeDelivery {
            destination: d.destination().unwrap_or_default().to_string(),
            medium: d
                .delivery_medium()
                .map(|m| m.as_str().to_string())
                .unwrap_or_default(),
        })
    }
}

#[derive(Serialize)]
pub struct SignedUp {
    user_id: String,
    username: String,
    email: String,
    confirmed: bool,
    code_delivery: Option<CodeDelivery>,
}

/// `POST /v1/auth/signup`. A `role` in the body has no effect: `custom:role` is always `customer` (display
/// only), and roles come from groups.
#[tracing::instrument(skip_all)]
pub async fn signup(
    State(state): State<AppState>,
    ip: ClientIp,
    Json(body): Json<SignUpBody>,
) -> ApiResult<Reply<SignedUp>> {
    state
        .throttles
        .take_ip(Budget::Public, &ip.0, Instant::now())?;
    let mut checks = Checks::default();
    let username = match body.username.as_deref() {
        Some(raw) => checks.check(identity::username("username", raw)),
        None => Some(Uuid::now_v7().to_string()),
    };
    let email = checks
        .check(required("email", body.email.as_deref()).and_then(|e| identity::email("email", e)));
    let password = checks.check(
        required("password", body.password.as_deref())
            .and_then(|p| identity::new_password("password", p)),
    );
    let name = body
        .name
        .as_deref()
        .and_then(|n| checks.check(profile::name("name", n)));
    checks.finish()?;
    let (Some(username), Some(email), Some(password)) = (username, email, password) else {
        unreachable!("checks passed");
    };

    if !state.pool.verified_owners(&email).await?.is_empty() {
        return Err(AppError::conflict("email already registered").into());
    }
    let mut attributes = vec![
        attribute("email", &email),
        attribute("custom:role", "customer"),
    ];
    if let Some(name) = &name {
        attributes.push(attribute("name", name));
    }
    let out = state
        .pool
        .client
        .sign_up()
        .client_id(&*state.pool.app_client_id)
        .username(&username)
        .password(password)
        .set_user_attributes(Some(attributes))
        .send()
        .await
        .map_err(|e| from_cognito(Flow::SignUp, "SignUp", e))?;
    tracing::info!(%username, "user signed up");
    Ok(created(SignedUp {
        user_id: out.user_sub().to_string(),
        username,
        email,
        confirmed: out.user_confirmed(),
        code_delivery: CodeDelivery::from_details(out.code_delivery_details()),
    }))
}

#[derive(Deserialize)]
pub struct ConfirmBody {
    username: Option<String>,
    code: Option<String>,
}

#[derive(Serialize)]
pub struct Confirmed {
    username: String,
    confirmed: bool,
}

/// `POST /v1/auth/confirm`.
#[tracing::instrument(skip_all)]
pub async fn confirm(
    State(state): State<AppState>,
    ip: ClientIp,
    Json(body): Json<ConfirmBody>,
) -> ApiResult<Reply<Confirmed>> {
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
    checks.finish()?;
    let (Some(identifier), Some(code)) = (identifier, code) else {
        unreachable!("checks passed");
    };
    let username = state
        .pool
        .resolve(&identifier)
        .await?
        .ok_or_else(|| AppError::not_found("unknown user"))?;
    state
        .pool
        .client
        .confirm_sign_up()
        .client_id(&*state.pool.app_client_id)
        .username(&username)
        .confirmation_code(code)
        .send()
        .await
        .map_err(|e| from_cognito(Flow::Confirm, "ConfirmSignUp", e))?;
    mark_email_verified(&state, &username).await?;
    tracing::info!(%username, "user confirmed");
    Ok(updated(Confirmed {
        username,
        confirmed: true,
    }))
}

/// The code went to the email (AutoVerifiedAttributes = [email]), so confirming proves the address. Cognito
/// marks it verified itself; the emulator does not, so this write happens only there.
async fn mark_email_verified(state: &AppState, username: &str) -> ApiResult<()> {
    let Some(user) = state.pool.get(username).await? else {
        return Ok(());
    };
    if user.email_verified() || user.attribute("email").is_none() {
        return Ok(());
    }
    state
        .pool
        .client
        .admin_update_user_attributes()
        .user_pool_id(&*state.pool.pool_id)
        .username(username)
        .user_attributes(attribute("email_verified", "true"))
        .send()
        .await
        .map_err(|e| from_cognito(Flow::Admin, "AdminUpdateUserAttributes", e))?;
    Ok(())
}

#[derive(Deserialize)]
pub struct ResendBody {
    username: Option<String>,
}

#[derive(Serialize)]
pub struct Resent {
    code_delivery: Option<CodeDelivery>,
}

/// `POST /v1/auth/resend-code`: one request per username per `RESEND_COOLDOWN_SECS`.
#[tracing::instrument(skip_all)]
pub async fn resend_code(
    State(state): State<AppState>,
    ip: ClientIp,
    Json(body): Json<ResendBody>,
) -> ApiResult<Reply<Resent>> {
    state
        .throttles
        .take_ip(Budget::Public, &ip.0, Instant::now())?;
    let mut checks = Checks::default();
    let identifier = checks.check(
        required("username", body.username.as_deref())
            .and_then(|u| Identifier::parse("username", u)),
    );
    checks.finish()?;
    let Some(identifier) = identifier else {
        unreachable!("checks passed");
    };
    let username = state
        .pool
        .resolve(&identifier)
        .await?
        .ok_or_else(|| AppError::not_found("unknown user"))?;
    state
        .throttles
        .take_cooldown(&format!("resend:{username}"), Instant::now())?;
    let out = state
        .pool
        .client
        .resend_confirmation_code()
        .client_id(&*state.pool.app_client_id)
        .username(&username)
        .send()
        .await
        .map_err(|e| from_cognito(Flow::Resend, "ResendConfirmationCode", e))?;
    Ok(Reply::new(
        StatusCode::OK,
        Resent {
            code_delivery: CodeDelivery::from_details(out.code_delivery_details()),
        },
        "success create",
    ))
}
