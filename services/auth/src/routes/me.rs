//! The caller's own account: read, update profile (name, phone, address), delete (api/auth.md §4.8–§4.9).
//! Role and groups come from the token: what services enforce right now.

use axum::extract::State;
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{deleted, ok, updated, Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Json;
use eshop_common::openapi::{BearerRefused, NotJson, Null};
use eshop_common::AppError;
use serde::{Deserialize, Deserializer};

use super::{BodyTooLarge, KeysNotLoaded, ProviderFailed, ProviderThrottled};
use crate::domain::profile::{self, Address};
use crate::domain::user::User;
use crate::domain::Checks;
use crate::error::{from_cognito, ApiError, ApiResult, Flow};
use crate::pool::attribute;
use crate::AppState;

async fn current_user(state: &AppState, caller: &AuthUser) -> ApiResult<User> {
    let record = state
        .pool
        .get(&caller.username)
        .await?
        .ok_or_else(|| AppError::not_found("user not found"))?;
    Ok(User::new(&record, caller.role, caller.groups.clone()))
}

/// The caller's account
///
/// api/auth.md §4.8. `AdminGetUser` for the token's `username`; `role` and `groups` come from the token (what
/// services enforce right now).
#[utoipa::path(
    get,
    path = "/v1/auth/me",
    operation_id = "getMe",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success get", body = Envelope<User>),
        BearerRefused,
        (status = 404, description = "the user was removed from the pool", body = ErrorBody),
        ProviderThrottled,
        ProviderFailed,
        KeysNotLoaded,
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
pub async fn show(State(state): State<AppState>, user: AuthUser) -> ApiResult<Reply<User>> {
    Ok(ok(current_user(&state, &user).await?))
}

/// A field that may be absent (leave it), `null` (remove it) or a value (set it).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

// Parts may be missing when read, so that validation can name each; the schema says what is valid.
/// An address being written (api/auth.md §3 `Address`): each part required, trimmed and non-empty, at most 255
/// characters; stored as JSON text of at most 2048 characters.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = AddressInput)]
pub struct AddressBody {
    #[schema(required = true, min_length = 1, max_length = 255)]
    street: String,
    #[schema(required = true, min_length = 1, max_length = 255)]
    city: String,
    #[schema(required = true, min_length = 1, max_length = 255)]
    state: String,
    /// the checkout rule
    #[schema(required = true, pattern = "^[0-9]{3,10}$")]
    zipcode: String,
}

/// At least one field. `email`, `username`, `role`, `custom:role` and `groups` are not fields: they are ignored
/// like any unknown one.
#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = ProfileUpdateRequest)]
pub struct ProfileChange {
    #[serde(default)]
    #[schema(value_type = String, required = false, min_length = 1, max_length = 256)]
    name: Option<String>,
    /// E.164; null removes it
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, required = false, pattern = r"^\+[0-9]{7,15}$")]
    phone_number: Option<Option<String>>,
    /// null removes it
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<AddressBody>, required = false)]
    address: Option<Option<AddressBody>>,
}

/// Update the caller's name, phone number or address
///
/// api/auth.md §4.9. `AdminUpdateUserAttributes` for set values, `AdminDeleteUserAttributes` for nulls; the
/// answer is the User after the change.
#[utoipa::path(
    patch,
    path = "/v1/auth/me",
    operation_id = "updateMe",
    tag = "auth",
    request_body = ProfileChange,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success update", body = Envelope<User>),
        (status = 400, description = "nothing to update, invalid input (causes lists field errors), malformed JSON", body = ErrorBody),
        BearerRefused,
        (status = 404, description = "the user was removed from the pool", body = ErrorBody),
        BodyTooLarge,
        NotJson,
        ProviderThrottled,
        ProviderFailed,
        KeysNotLoaded,
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
pub async fn update(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<ProfileChange>,
) -> ApiResult<Reply<User>> {
    if body.name.is_none() && body.phone_number.is_none() && body.address.is_none() {
        return Err(AppError::bad_request("nothing to update").into());
    }
    let mut checks = Checks::default();
    let mut set = Vec::new();
    let mut remove = Vec::new();
    if let Some(name) = body
        .name
        .as_deref()
        .and_then(|n| checks.check(profile::name("name", n)))
    {
        set.push(attribute("name", &name));
    }
    match body.phone_number {
        Some(Some(raw)) => {
            if let Some(phone) = checks.check(profile::phone_number("phone_number", &raw)) {
                set.push(attribute("phone_number", &phone));
            }
        }
        Some(None) => remove.push("phone_number".to_string()),
        None => {}
    }
    let mut address_causes = Vec::new();
    match body.address {
        Some(Some(raw)) => {
            let raw = Address {
                street: raw.street,
                city: raw.city,
                state: raw.state,
                zipcode: raw.zipcode,
            };
            match Address::parse(&raw) {
                Ok(address) => set.push(attribute("address", &address.to_attribute())),
                Err(causes) => address_causes = causes,
            }
        }
        Some(None) => remove.push("address".to_string()),
        None => {}
    }
    for cause in address_causes {
        checks.check::<()>(Err(cause));
    }
    checks.finish()?;

    let pool = &state.pool;
    if !set.is_empty() {
        pool.client
            .admin_update_user_attributes()
            .user_pool_id(&*pool.pool_id)
            .username(&user.username)
            .set_user_attributes(Some(set))
            .send()
            .await
            .map_err(|e| from_cognito(Flow::Admin, "AdminUpdateUserAttributes", e))?;
    }
    if !remove.is_empty() {
        pool.client
            .admin_delete_user_attributes()
            .user_pool_id(&*pool.pool_id)
            .username(&user.username)
            .set_user_attribute_names(Some(remove))
            .send()
            .await
            .map_err(|e| from_cognito(Flow::Admin, "AdminDeleteUserAttributes", e))?;
    }
    Ok(updated(current_user(&state, &user).await?))
}

/// Delete the caller's account
///
/// api/auth.md §4.9. Signs the user out everywhere, then deletes the account (an account already gone counts
/// as deleted). Orders, payments and sales stay keyed by the `sub`.
#[utoipa::path(
    delete,
    path = "/v1/auth/me",
    operation_id = "deleteMe",
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
pub async fn remove(State(state): State<AppState>, user: AuthUser) -> ApiResult<Reply<()>> {
    let pool = &state.pool;
    pool.sign_out_everywhere(&user.username).await?;
    match pool
        .client
        .admin_delete_user()
        .user_pool_id(&*pool.pool_id)
        .username(&user.username)
        .send()
        .await
        .map_err(|e| from_cognito(Flow::Admin, "AdminDeleteUser", e))
    {
        Ok(_) | Err(ApiError::App(AppError::NotFound(_))) => {}
        Err(err) => return Err(err),
    }
    tracing::info!("account deleted");
    Ok(deleted(()))
}
