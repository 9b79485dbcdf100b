//! The user pool, auth's only store (api/auth.md §5): lookups shared by several routes — identifier
//! resolution, a user by name or id, group memberships, global sign-out. Every failure goes through
//! [`from_cognito`], the one error mapping.

mod record;

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::AttributeType;
use aws_sdk_cognitoidentityprovider::Client;
use uuid::Uuid;

use crate::domain::identity::Identifier;
use crate::domain::user::UserRecord;
use crate::error::{from_cognito, ApiError, ApiResult, Flow};
use eshop_common::AppError;

pub use record::from_list;

/// The role groups, highest first (api/auth.md §5).
pub const ROLE_GROUPS: [&str; 3] = ["admin", "warehouse_manager", "warehouse_staff"];

/// The Cognito client with the pool and app client it works on.
#[derive(Clone)]
pub struct UserPool {
    pub client: Client,
    pub pool_id: Arc<str>,
    pub app_client_id: Arc<str>,
}

fn is_user_not_found<E: aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata, R>(
    err: &aws_sdk_cognitoidentityprovider::error::SdkError<E, R>,
) -> bool {
    err.as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|c| c == "UserNotFoundException")
}

/// A name/value attribute for the SDK.
pub fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("name is set")
}

impl UserPool {
    /// Users matching a `ListUsers` filter, all pages.
    pub async fn list(&self, filter: &str) -> ApiResult<Vec<UserRecord>> {
        let mut users = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .client
                .list_users()
                .user_pool_id(&*self.pool_id)
                .filter(filter)
                .set_pagination_token(token)
                .send()
                .await
                .map_err(|e| from_cognito(Flow::Admin, "ListUsers", e))?;
            users.extend(page.users().iter().map(from_list));
            token = page
                .pagination_token()
                .filter(|t| !t.is_empty())
                .map(String::from);
            if token.is_none() {
                return Ok(users);
            }
        }
    }

    /// Accounts whose verified email is `email` (already validated, so safe inside the filter). An unverified
    /// claim on an address counts for nothing (api/auth.md §3).
    pub async fn verified_owners(&self, email: &str) -> ApiResult<Vec<UserRecord>> {
        let users = self.list(&format!("email = \"{email}\"")).await?;
        Ok(users
            .into_iter()
            .filter(UserRecord::email_verified)
            .collect())
    }

    /// api/auth.md §3 "Identifier resolution": the username an identifier names, `None` for nobody, 409 when
    /// several verified accounts share the email.
    pub async fn resolve(&self, identifier: &Identifier) -> ApiResult<Option<String>> {
        match identifier {
            Identifier::Username(name) => Ok(Some(name.clone())),
            Identifier::Nobody => Ok(None),
            Identifier::Email(email) => {
                let mut owners = self.verified_owners(email).await?;
                match owners.len() {
                    0 => Ok(None),
                    1 => Ok(owners.pop().map(|u| u.username)),
                    _ => Err(ApiError::App(AppError::conflict(
                        "several accounts use this email; use the username",
                    ))),
                }
            }
        }
    }

    /// `AdminGetUser`; `None` when the pool has no such user.
    pub async fn get(&self, username: &str) -> ApiResult<Option<UserRecord>> {
        match self
            .client
            .admin_get_user()
            .user_pool_id(&*self.pool_id)
            .username(username)
            .send()
            .await
        {
            Ok(out) => Ok(Some(record::from_get(&out))),
            Err(e) if is_user_not_found(&e) => Ok(None),
            Err(e) => Err(from_cognito(Flow::Admin, "AdminGetUser", e)),
        }
    }

    /// The user whose `sub` is `id`.
    pub async fn find_by_sub(&self, id: Uuid) -> ApiResult<Option<UserRecord>> {
        Ok(self
            .list(&format!("sub = \"{id}\""))
            .await?
            .into_iter()
            .next())
    }

    /// The groups `username` belongs to, all pages.
    pub async fn groups_of(&self, username: &str) -> ApiResult<Vec<String>> {
        let mut groups = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .client
                .admin_list_groups_for_user()
                .user_pool_id(&*self.pool_id)
                .username(username)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| from_cognito(Flow::Admin, "AdminListGroupsForUser", e))?;
            groups.extend(
                page.groups()
                    .iter()
                    .filter_map(|g| g.group_name().map(String::from)),
            );
            token = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(String::from);
            if token.is_none() {
                return Ok(groups);
            }
        }
    }

    /// Usernames → role groups, from the members of the three role groups (all pages).
    pub async fn role_memberships(&self) -> ApiResult<HashMap<String, Vec<String>>> {
        let mut memberships: HashMap<String, Vec<String>> = HashMap::new();
        for group in ROLE_GROUPS {
            let mut token = None;
            loop {
                let page = self
                    .client
                    .list_users_in_group()
                    .user_pool_id(&*self.pool_id)
                    .group_name(group)
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|e| from_cognito(Flow::Admin, "ListUsersInGroup", e))?;
                for user in page.users() {
                    if let Some(name) = user.username() {
                        memberships
                            .entry(name.to_string())
                            .or_default()
                            .push(group.to_string());
                    }
                }
                token = page
                    .next_token()
                    .filter(|t| !t.is_empty())
                    .map(String::from);
                if token.is_none() {
                    break;
                }
            }
        }
        Ok(memberships)
    }

    /// `AdminUserGlobalSignOut`: revokes every refresh token of the user. A user already gone is signed out.
    pub async fn sign_out_everywhere(&self, username: &str) -> ApiResult<()> {
        match self
            .client
            .admin_user_global_sign_out()
            .user_pool_id(&*self.pool_id)
            .username(username)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_user_not_found(&e) => Ok(()),
            Err(e) => Err(from_cognito(Flow::Admin, "AdminUserGlobalSignOut", e)),
        }
    }
}
