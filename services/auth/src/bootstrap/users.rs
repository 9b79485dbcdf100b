//! Idempotent seed users: the bootstrap admin and the demo customer (contract: api/auth.md §5).

use anyhow::Context;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType, UserStatusType};
use aws_sdk_cognitoidentityprovider::Client;

use super::pool::sdk_error;

/// Makes sure `username` exists, confirmed, with a permanent `password`, a verified `email`, `custom:role` =
/// `group` (or `customer` without a group) and membership of `group`. Username and email are lower-cased
/// (contract: api/auth.md §3, the emulator ignores `CaseSensitive = false`). An existing confirmed user keeps
/// its password, so a password changed through the shop survives a rerun. The password is never logged.
#[tracing::instrument(skip(client, password), fields(username = %username.trim().to_lowercase()))]
pub async fn seed_user(
    client: &Client,
    pool_id: &str,
    username: &str,
    email: &str,
    password: &str,
    group: Option<&str>,
) -> anyhow::Result<()> {
    let username = username.trim().to_lowercase();
    let email = email.trim().to_lowercase();
    // contract: api/auth.md §4.2 — custom:role is a display value; the group grants the role.
    let role = group.unwrap_or("customer");
    let wanted = [
        ("email", email.as_str()),
        ("email_verified", "true"),
        ("custom:role", role),
    ];

    let set_password = match client
        .admin_get_user()
        .user_pool_id(pool_id)
        .username(&username)
        .send()
        .await
    {
        Ok(user) => {
            let stale: Vec<AttributeType> = wanted
                .iter()
                .filter(|(name, value)| {
                    user.user_attributes()
                        .iter()
                        .find(|a| a.name() == *name)
                        .and_then(|a| a.value())
                        != Some(*value)
                })
                .map(|(name, value)| attribute(name, value))
                .collect::<anyhow::Result<_>>()?;
            if !stale.is_empty() {
                client
                    .admin_update_user_attributes()
                    .user_pool_id(pool_id)
                    .username(&username)
                    .set_user_attributes(Some(stale))
                    .send()
                    .await
                    .map_err(|e| sdk_error("AdminUpdateUserAttributes", e))?;
            }
            user.user_status() != Some(&UserStatusType::Confirmed)
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_user_not_found_exception()) =>
        {
            let attributes = wanted
                .iter()
                .map(|(n, v)| attribute(n, v))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let created = client
                .admin_create_user()
                .user_pool_id(pool_id)
                .username(&username)
                .message_action(MessageActionType::Suppress)
                .set_user_attributes(Some(attributes))
                .send()
                .await;
            match created {
                Ok(_) => tracing::info!("user created"),
                // A concurrent bootstrap created it; the password step below converges either way.
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_username_exists_exception()) => {}
                Err(e) => return Err(sdk_error("AdminCreateUser", e)),
            }
            true
        }
        Err(e) => return Err(sdk_error("AdminGetUser", e)),
    };

    if set_password {
        client
            .admin_set_user_password()
            .user_pool_id(pool_id)
            .username(&username)
            .password(password)
            .permanent(true)
            .send()
            .await
            .map_err(|e| {
                if e.as_service_error().is_some_and(|s| s.is_invalid_password_exception()) {
                    // contract: api/auth.md §5 — the pool's policy; say which rule, never the password.
                    anyhow::anyhow!(
                        "the password of {username} does not meet the pool policy: at least 8 characters with \
                         upper case, lower case and a digit"
                    )
                } else {
                    sdk_error("AdminSetUserPassword", e)
                }
            })?;
    }
    if let Some(group) = group {
        // Adding a member twice is a no-op in Cognito.
        client
            .admin_add_user_to_group()
            .user_pool_id(pool_id)
            .username(&username)
            .group_name(group)
            .send()
            .await
            .map_err(|e| sdk_error("AdminAddUserToGroup", e))
            .with_context(|| format!("add {username} to {group}"))?;
    }
    Ok(())
}

fn attribute(name: &str, value: &str) -> anyhow::Result<AttributeType> {
    Ok(AttributeType::builder().name(name).value(value).build()?)
}
