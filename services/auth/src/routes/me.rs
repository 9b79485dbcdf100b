//! The caller's own account: read, update profile (name, phone, address), delete (api/auth.md §4.8–§4.9).
//! Role and groups come from the token: what services enforce right now.

use axum::extract::State;
use eshop_common::auth::AuthUser;
use eshop_common::envelope::{deleted, ok, updated, Reply};
use eshop_common::extract::Json;
use eshop_common::AppError;
use serde::{Deserialize, Deserializer};

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

/// `GET /v1/auth/me`.
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

/// The address as sent: parts may be missing, so validation can name each.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddressBody {
    street: String,
    city: String,
    state: String,
    zipcode: String,
}

/// `email`, `username`, `role`, `custom:role` and `groups` are not fields: they are ignored like any unknown one.
#[derive(Deserialize)]
pub struct ProfileChange {
    #[serde(default)]
    name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    phone_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    address: Option<Option<AddressBody>>,
}

/// `PATCH /v1/auth/me`.
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

/// `DELETE /v1/auth/me`: signs the user out everywhere, then deletes the account. Orders, payments and sales
/// stay keyed by the `sub`.
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
