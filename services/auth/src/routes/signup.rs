//! Sign-up, confirmation and code resend (api/auth.md §4.2–§4.4).

use std::time::Instant;

use aws_sdk_cognitoidentityprovider::types::CodeDeliveryDetailsType;
use axum::extract::State;
use axum::http::StatusCode;
use eshop_common::envelope::{created, updated, Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::NotJson;
use eshop_common::AppError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{BodyTooLarge, ProviderFailed};
use crate::domain::identity::{self, Identifier};
use crate::domain::{profile, required, Checks};
use crate::error::{from_cognito, ApiResult, Flow};
use crate::pool::attribute;
use crate::throttle::{Budget, ClientIp};
use crate::AppState;

// Every field is read as optional so that each missing one is named in `causes`; the schema says what is valid.
/// A role or `custom:role` in the body has no effect; unknown fields are ignored.
#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = SignUpRequest)]
pub struct SignUpBody {
    /// stored lower-cased; default a UUIDv7
    #[schema(value_type = String, required = false, min_length = 3, max_length = 128, pattern = r"^[^\s@]+$")]
    username: Option<String>,
    /// stored lower-cased; one `@`, a dot in the domain
    #[schema(value_type = String, required = true, max_length = 254, format = Email)]
    email: Option<String>,
    /// the pool's policy (upper case, lower case, a digit) is checked by Cognito: 422
    #[schema(value_type = String, required = true, min_length = 8, max_length = 256)]
    password: Option<String>,
    #[schema(value_type = String, required = false, min_length = 1, max_length = 256)]
    name: Option<String>,
}

/// Where the code went: the masked destination and `EMAIL` or `SMS`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CodeDelivery {
    destination: String,
    #[schema(schema_with = delivery_media)]
    medium: String,
}

/// `medium`: the delivery media Cognito names.
fn delivery_media() -> utoipa::openapi::Object {
    use aws_sdk_cognitoidentityprovider::types::DeliveryMediumType;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(DeliveryMediumType::values().iter().copied()))
        .build()
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

#[derive(Serialize, utoipa::ToSchema)]
pub struct SignedUp {
    /// the UserSub
    #[schema(format = Uuid)]
    user_id: String,
    username: String,
    email: String,
    confirmed: bool,
    #[schema(required = true)]
    code_delivery: Option<CodeDelivery>,
}

/// Sign up (IP rate-limited)
///
/// api/auth.md §4.2. A `role` in the body has no effect: `custom:role` is always `customer` (display only),
/// and roles come from groups.
#[utoipa::path(
    post,
    path = "/v1/auth/signup",
    operation_id = "signup",
    tag = "auth",
    request_body = SignUpBody,
    responses(
        (status = 201, description = "success create", body = Envelope<SignedUp>),
        (status = 400, description = "invalid input (causes lists field errors), malformed JSON", body = ErrorBody),
        (status = 409, description = "username taken or email already registered", body = ErrorBody),
        BodyTooLarge,
        NotJson,
        (status = 422, description = "the password does not meet the pool's policy", body = ErrorBody),
        (status = 429, description = "rate limited (Retry-After when known)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds"))),
        ProviderFailed,
    )
)]
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

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = ConfirmRequest)]
pub struct ConfirmBody {
    /// username or email
    #[schema(value_type = String, required = true, min_length = 1, max_length = 254)]
    username: Option<String>,
    #[schema(value_type = String, required = true, pattern = "^[0-9]{1,16}$")]
    code: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Confirmed {
    username: String,
    /// always true
    confirmed: bool,
}

/// Confirm a sign-up with the emailed code
///
/// api/auth.md §4.3. Identifier resolution, then `ConfirmSignUp`.
#[utoipa::path(
    post,
    path = "/v1/auth/confirm",
    operation_id = "confirm",
    tag = "auth",
    request_body = ConfirmBody,
    responses(
        (status = 200, description = "success update", body = Envelope<Confirmed>),
        (status = 400, description = "invalid input (causes lists field errors), malformed JSON", body = ErrorBody),
        (status = 404, description = "unknown user", body = ErrorBody),
        (status = 409, description = "already confirmed, the email is used by another account, or several accounts use this email", body = ErrorBody),
        BodyTooLarge,
        NotJson,
        (status = 422, description = "wrong or expired code", body = ErrorBody),
        (status = 429, description = "rate limited (Retry-After when known)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds"))),
        ProviderFailed,
    )
)]
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

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = ResendCodeRequest)]
pub struct ResendBody {
    /// username or email
    #[schema(value_type = String, required = true, min_length = 1, max_length = 254)]
    username: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Resent {
    #[schema(required = true)]
    code_delivery: Option<CodeDelivery>,
}

/// Resend the confirmation code (per-username cool-down)
///
/// api/auth.md §4.4. One request per username per `RESEND_COOLDOWN_SECS` (429 with Retry-After).
#[utoipa::path(
    post,
    path = "/v1/auth/resend-code",
    operation_id = "resendCode",
    tag = "auth",
    request_body = ResendBody,
    responses(
        (status = 200, description = "success create", body = Envelope<Resent>),
        (status = 400, description = "invalid input (causes lists field errors), malformed JSON", body = ErrorBody),
        (status = 404, description = "unknown user", body = ErrorBody),
        (status = 409, description = "already confirmed, or several accounts use this email", body = ErrorBody),
        BodyTooLarge,
        NotJson,
        (status = 429, description = "rate limited or cooling down (Retry-After when known)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds"))),
        ProviderFailed,
    )
)]
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
