//! Admin writes: a user's role and whether the account is enabled (api/auth.md §4.12–§4.13). Each step is
//! idempotent and skipped when already done, so a retry after a partial failure converges and a repeated
//! request writes nothing.

use axum::extract::State;
use eshop_common::auth::{AuthUser, Role};
use eshop_common::envelope::{updated, Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Json, Path};
use eshop_common::openapi::{BearerRefused, NotJson};
use eshop_common::AppError;
use serde::Deserialize;

use super::{BodyTooLarge, KeysNotLoaded, ProviderFailed, ProviderThrottled};
use crate::domain::user::{parse_role, User, UserRecord};
use crate::error::{from_cognito, ApiResult, Flow};
use crate::pool::{attribute, ROLE_GROUPS};
use crate::AppState;

/// The target of an admin write: exists (404) and is not the caller (409).
async fn target(
    state: &AppState,
    caller: &AuthUser,
    raw_id: &str,
    about_self: &str,
) -> ApiResult<UserRecord> {
    let id = super::user_id(raw_id)?;
    let record = state
        .pool
        .find_by_sub(id)
        .await?
        .ok_or_else(|| AppError::not_found("user not found"))?;
    if id == caller.user_id {
        return Err(AppError::conflict(about_self).into());
    }
    Ok(record)
}

async fn read_back(state: &AppState, username: &str) -> ApiResult<User> {
    let record = state
        .pool
        .get(username)
        .await?
        .ok_or_else(|| AppError::not_found("user not found"))?;
    let groups = state.pool.groups_of(username).await?;
    Ok(User::from_groups(&record, groups))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = SetRoleRequest)]
pub struct RoleBody {
    #[schema(value_type = Role, required = true)]
    role: Option<String>,
}

/// Set a user's role (admin; not one's own)
///
/// api/auth.md §4.12. Moves the user to the role's group (none for `customer`), other groups untouched, and
/// sets the display attribute `custom:role`; a demotion revokes the user's refresh tokens. The same role again
/// answers 200 without writes; after a partial failure (502) a retry converges.
#[utoipa::path(
    put,
    path = "/v1/auth/users/{user_id}/role",
    operation_id = "setUserRole",
    tag = "auth",
    params(("user_id" = Uuid, Path, description = "the user's `sub` (a non-UUID answers 400)")),
    request_body = RoleBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success update: the User read back", body = Envelope<User>),
        (status = 400, description = "not a role, user_id not a UUID, malformed JSON", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "unknown user (or a path segment that is not UTF-8)", body = ErrorBody),
        (status = 409, description = "admins cannot change their own role", body = ErrorBody),
        BodyTooLarge,
        NotJson,
        ProviderThrottled,
        ProviderFailed,
        KeysNotLoaded,
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id))]
pub async fn set_role(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<String>,
    Json(body): Json<RoleBody>,
) -> ApiResult<Reply<User>> {
    caller.require_any(&[Role::Admin])?;
    let role = body.role.as_deref().and_then(parse_role).ok_or_else(|| {
        AppError::bad_request("role must be customer, warehouse_staff, warehouse_manager or admin")
    })?;
    let record = target(&state, &caller, &id, "admins cannot change their own role").await?;
    let pool = &state.pool;
    let username = record.username.as_str();
    let groups = pool.groups_of(username).await?;
    // The display attribute still names the old role after a partial failure, so a retry still signs out.
    let previous = Role::from_groups(&groups).max(
        record
            .attribute("custom:role")
            .and_then(parse_role)
            .unwrap_or(Role::Customer),
    );
    let wanted = (role != Role::Customer).then(|| role.as_str());
    for group in ROLE_GROUPS {
        if Some(group) != wanted && groups.iter().any(|g| g == group) {
            pool.client
                .admin_remove_user_from_group()
                .user_pool_id(&*pool.pool_id)
                .username(username)
                .group_name(group)
                .send()
                .await
                .map_err(|e| from_cognito(Flow::Admin, "AdminRemoveUserFromGroup", e))?;
        }
    }
    if let Some(group) = wanted.filter(|w| !groups.iter().any(|g| g == w)) {
        pool.client
            .admin_add_user_to_group()
            .user_pool_id(&*pool.pool_id)
            .username(username)
            .group_name(group)
            .send()
            .await
            .map_err(|e| from_cognito(Flow::Admin, "AdminAddUserToGroup", e))?;
    }
    // contract: api/auth.md §4.12 — display only, for the old admin frontend's cosmetic check.
    if record.attribute("custom:role") != Some(role.as_str()) {
        pool.client
            .admin_update_user_attributes()
            .user_pool_id(&*pool.pool_id)
            .username(username)
            .user_attributes(attribute("custom:role", role.as_str()))
            .send()
            .await
            .map_err(|e| from_cognito(Flow::Admin, "AdminUpdateUserAttributes", e))?;
    }
    if role < previous {
        pool.sign_out_everywhere(username).await?;
    }
    tracing::info!(%username, role = %role, "role set");
    Ok(updated(read_back(&state, username).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = SetEnabledRequest)]
pub struct EnabledBody {
    #[schema(value_type = bool, required = true)]
    enabled: Option<bool>,
}

/// Enable or disable a user (admin; not oneself)
///
/// api/auth.md §4.13. Disabling also revokes the user's refresh tokens (login then answers 401 as for a wrong
/// password). The same value again answers 200 without writes.
#[utoipa::path(
    put,
    path = "/v1/auth/users/{user_id}/enabled",
    operation_id = "setUserEnabled",
    tag = "auth",
    params(("user_id" = Uuid, Path, description = "the user's `sub` (a non-UUID answers 400)")),
    request_body = EnabledBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success update: the User read back", body = Envelope<User>),
        (status = 400, description = "enabled not a boolean, user_id not a UUID, malformed JSON", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "unknown user (or a path segment that is not UTF-8)", body = ErrorBody),
        (status = 409, description = "admins cannot disable or enable themselves", body = ErrorBody),
        BodyTooLarge,
        NotJson,
        ProviderThrottled,
        ProviderFailed,
        KeysNotLoaded,
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id))]
pub async fn set_enabled(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<String>,
    Json(body): Json<EnabledBody>,
) -> ApiResult<Reply<User>> {
    caller.require_any(&[Role::Admin])?;
    let enabled = body
        .enabled
        .ok_or_else(|| AppError::bad_request("enabled must be true or false"))?;
    let record = target(
        &state,
        &caller,
        &id,
        "admins cannot disable or enable themselves",
    )
    .await?;
    let pool = &state.pool;
    let username = record.username.as_str();
    if record.enabled != enabled {
        if enabled {
            pool.client
                .admin_enable_user()
                .user_pool_id(&*pool.pool_id)
                .username(username)
                .send()
                .await
                .map_err(|e| from_cognito(Flow::Admin, "AdminEnableUser", e))?;
        } else {
            pool.client
                .admin_disable_user()
                .user_pool_id(&*pool.pool_id)
                .username(username)
                .send()
                .await
                .map_err(|e| from_cognito(Flow::Admin, "AdminDisableUser", e))?;
            pool.sign_out_everywhere(username).await?;
        }
        tracing::info!(%username, enabled, "account state set");
    }
    Ok(updated(read_back(&state, username).await?))
}
