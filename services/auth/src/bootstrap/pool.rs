//! Find-or-create of the user pool, its app client and the role groups (contract: api/auth.md §5).

use anyhow::{anyhow, Context};
use aws_sdk_cognitoidentityprovider::error::DisplayErrorContext;
use aws_sdk_cognitoidentityprovider::types::{
    AliasAttributeType, AttributeDataType, ExplicitAuthFlowsType, PasswordPolicyType,
    SchemaAttributeType, StringAttributeConstraintsType, TimeUnitsType, TokenValidityUnitsType,
    UserAttributeUpdateSettingsType, UserPoolPolicyType, UsernameConfigurationType,
    VerifiedAttributeType,
};
use aws_sdk_cognitoidentityprovider::Client;

/// The web app client every frontend uses (contract: api/auth.md §5).
pub const APP_CLIENT_NAME: &str = "eshop-web";

/// Role groups and their precedence (contract: api/auth.md §5).
pub const ROLE_GROUPS: [(&str, i32); 3] = [
    ("admin", 0),
    ("warehouse_manager", 1),
    ("warehouse_staff", 2),
];

// contract: api/auth.md §5 — writable: email, name, phone_number, address, custom:role.
const WRITE_ATTRIBUTES: [&str; 5] = ["email", "name", "phone_number", "address", "custom:role"];
const READ_ATTRIBUTES: [&str; 7] = [
    "email",
    "email_verified",
    "name",
    "phone_number",
    "phone_number_verified",
    "address",
    "custom:role",
];

/// Formats an SDK error with its service code and message (the SDK's `Display` alone says only "service error").
pub(super) fn sdk_error(operation: &str, err: impl std::error::Error) -> anyhow::Error {
    anyhow!("{operation}: {}", DisplayErrorContext(err))
}

/// Returns the id of the pool named `name`, creating it when no pool has that name.
pub async fn ensure_user_pool(client: &Client, name: &str) -> anyhow::Result<String> {
    if let Some(id) = find_user_pool(client, name).await? {
        tracing::info!(pool_id = %id, "user pool exists");
        return Ok(id);
    }
    let out = client
        .create_user_pool()
        .pool_name(name)
        .alias_attributes(AliasAttributeType::Email)
        .username_configuration(
            UsernameConfigurationType::builder()
                .case_sensitive(false)
                .build()?,
        )
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .user_attribute_update_settings(
            UserAttributeUpdateSettingsType::builder()
                .attributes_require_verification_before_update(VerifiedAttributeType::Email)
                .build(),
        )
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(
                    PasswordPolicyType::builder()
                        .minimum_length(8)
                        .require_uppercase(true)
                        .require_lowercase(true)
                        .require_numbers(true)
                        .require_symbols(false)
                        .build(),
                )
                .build(),
        )
        .set_schema(Some(schema()))
        .send()
        .await
        .map_err(|e| sdk_error("CreateUserPool", e))?;
    let id = out
        .user_pool()
        .and_then(|p| p.id())
        .context("CreateUserPool returned no pool id")?
        .to_owned();
    tracing::info!(pool_id = %id, "user pool created");
    Ok(id)
}

/// Standard `email` (required), `name`, `phone_number`, `address`; custom `role` (String, mutable, 1–32).
fn schema() -> Vec<SchemaAttributeType> {
    let standard = |name: &str, required: bool| {
        SchemaAttributeType::builder()
            .name(name)
            .attribute_data_type(AttributeDataType::String)
            .mutable(true)
            .required(required)
            .build()
    };
    let role = SchemaAttributeType::builder()
        .name("role")
        .attribute_data_type(AttributeDataType::String)
        .developer_only_attribute(false)
        .mutable(true)
        .required(false)
        .string_attribute_constraints(
            StringAttributeConstraintsType::builder()
                .min_length("1")
                .max_length("32")
                .build(),
        )
        .build();
    vec![
        standard("email", true),
        standard("name", false),
        standard("phone_number", false),
        standard("address", false),
        role,
    ]
}

async fn find_user_pool(client: &Client, name: &str) -> anyhow::Result<Option<String>> {
    let mut next_token = None;
    let mut found = Vec::new();
    loop {
        let page = client
            .list_user_pools()
            .max_results(60)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| sdk_error("ListUserPools", e))?;
        found.extend(
            page.user_pools()
                .iter()
                .filter(|p| p.name() == Some(name))
                .filter_map(|p| p.id().map(str::to_owned)),
        );
        next_token = page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if next_token.is_none() {
            break;
        }
    }
    if found.len() > 1 {
        tracing::warn!(
            count = found.len(),
            "several user pools share the name; using the first"
        );
    }
    Ok(found.into_iter().next())
}

/// Returns the id of the app client `eshop-web`, creating it when missing; an existing one is updated to the
/// contract's settings, keeping its id.
pub async fn ensure_app_client(client: &Client, pool_id: &str) -> anyhow::Result<String> {
    // contract: api/auth.md §5 — no secret; password, refresh and SRP flows; 15 min access/ID, 30 days refresh.
    macro_rules! client_settings {
        ($builder:expr) => {
            $builder
                .user_pool_id(pool_id)
                .client_name(APP_CLIENT_NAME)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
                .access_token_validity(15)
                .id_token_validity(15)
                .refresh_token_validity(30)
                .token_validity_units(
                    TokenValidityUnitsType::builder()
                        .access_token(TimeUnitsType::Minutes)
                        .id_token(TimeUnitsType::Minutes)
                        .refresh_token(TimeUnitsType::Days)
                        .build(),
                )
                .set_read_attributes(Some(READ_ATTRIBUTES.map(String::from).to_vec()))
                .set_write_attributes(Some(WRITE_ATTRIBUTES.map(String::from).to_vec()))
        };
    }
    if let Some(id) = find_app_client(client, pool_id).await? {
        client_settings!(client.update_user_pool_client().client_id(&id))
            .send()
            .await
            .map_err(|e| sdk_error("UpdateUserPoolClient", e))?;
        tracing::info!(client_id = %id, "app client exists");
        return Ok(id);
    }
    let out = client_settings!(client.create_user_pool_client().generate_secret(false))
        .send()
        .await
        .map_err(|e| sdk_error("CreateUserPoolClient", e))?;
    let id = out
        .user_pool_client()
        .and_then(|c| c.client_id())
        .context("CreateUserPoolClient returned no client id")?
        .to_owned();
    tracing::info!(client_id = %id, "app client created");
    Ok(id)
}

async fn find_app_client(client: &Client, pool_id: &str) -> anyhow::Result<Option<String>> {
    let mut next_token = None;
    loop {
        let page = client
            .list_user_pool_clients()
            .user_pool_id(pool_id)
            .max_results(60)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| sdk_error("ListUserPoolClients", e))?;
        let hit = page
            .user_pool_clients()
            .iter()
            .find(|c| c.client_name() == Some(APP_CLIENT_NAME));
        if let Some(id) = hit.and_then(|c| c.client_id()) {
            return Ok(Some(id.to_owned()));
        }
        next_token = page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if next_token.is_none() {
            return Ok(None);
        }
    }
}

/// Creates the groups `admin` (0), `warehouse_manager` (1), `warehouse_staff` (2), or fixes the precedence of
/// an existing one.
pub async fn ensure_groups(client: &Client, pool_id: &str) -> anyhow::Result<()> {
    for (name, precedence) in ROLE_GROUPS {
        match client
            .get_group()
            .user_pool_id(pool_id)
            .group_name(name)
            .send()
            .await
        {
            Ok(out) => {
                if out.group().and_then(|g| g.precedence()) != Some(precedence) {
                    client
                        .update_group()
                        .user_pool_id(pool_id)
                        .group_name(name)
                        .precedence(precedence)
                        .send()
                        .await
                        .map_err(|e| sdk_error("UpdateGroup", e))?;
                }
            }
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_not_found_exception()) =>
            {
                let created = client
                    .create_group()
                    .user_pool_id(pool_id)
                    .group_name(name)
                    .precedence(precedence)
                    .send()
                    .await;
                match created {
                    Ok(_) => tracing::info!(group = name, "group created"),
                    // Another bootstrap won the race: the group exists, which is all we need.
                    Err(e)
                        if e.as_service_error()
                            .is_some_and(|s| s.is_group_exists_exception()) => {}
                    Err(e) => return Err(sdk_error("CreateGroup", e)),
                }
            }
            Err(e) => return Err(sdk_error("GetGroup", e)),
        }
    }
    Ok(())
}
