//! Admin reads: the user list with roles, and one user (api/auth.md §4.10–§4.11).

use axum::extract::State;
use eshop_common::auth::{AuthUser, Role};
use eshop_common::envelope::{ok, Reply};
use eshop_common::extract::{Path, Query};
use eshop_common::AppError;
use serde::{Deserialize, Serialize};

use crate::domain::user::{parse_role, User};
use crate::error::{from_cognito, ApiError, ApiResult, Flow};
use crate::pool::from_list;
use crate::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    limit: Option<i64>,
    next_token: Option<String>,
    email: Option<String>,
    username: Option<String>,
    role: Option<String>,
}

#[derive(Serialize)]
pub struct UserPage {
    users: Vec<User>,
    next_token: Option<String>,
}

/// The one filter of a list request.
enum Filter {
    None,
    /// A `ListUsers` filter expression.
    Attribute(String),
    /// Members of a role group.
    Group(&'static str),
}

fn bad(message: &str) -> ApiError {
    ApiError::App(AppError::bad_request(message))
}

/// A prefix for a `ListUsers` filter: quotes and backslashes would break out of the expression.
fn prefix(field: &str, raw: &str, lower: bool) -> Result<String, ApiError> {
    let value = raw.trim();
    if value.is_empty() || value.chars().count() > 254 || value.contains(['"', '\\']) {
        return Err(bad(&format!(
            "{field} must be 1 to 254 characters without quotes"
        )));
    }
    let value = if lower {
        value.to_lowercase()
    } else {
        value.to_string()
    };
    Ok(format!("{field} ^= \"{value}\""))
}

fn filter(query: &ListQuery) -> Result<Filter, ApiError> {
    let given = [&query.email, &query.username, &query.role]
        .iter()
        .filter(|f| f.is_some())
        .count();
    if given > 1 {
        return Err(bad("use at most one of email, username and role"));
    }
    if let Some(email) = &query.email {
        return Ok(Filter::Attribute(prefix("email", email, true)?));
    }
    if let Some(username) = &query.username {
        return Ok(Filter::Attribute(prefix("username", username, true)?));
    }
    match query.role.as_deref().map(parse_role) {
        None => Ok(Filter::None),
        Some(Some(role)) if role != Role::Customer => Ok(Filter::Group(role.as_str())),
        Some(_) => Err(bad(
            "role must be admin, warehouse_manager or warehouse_staff",
        )),
    }
}

/// `GET /v1/auth/users` (admin).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id))]
pub async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(query): Query<ListQuery>,
) -> ApiResult<Reply<UserPage>> {
    caller.require_any(&[Role::Admin])?;
    let limit = query.limit.unwrap_or(60);
    if !(1..=60).contains(&limit) {
        return Err(bad("limit must be between 1 and 60"));
    }
    let limit = limit as i32;
    let token = query.next_token.clone().filter(|t| !t.is_empty());
    let pool = &state.pool;
    let (records, next_token) = match filter(&query)? {
        Filter::Group(group) => {
            let page = pool
                .client
                .list_users_in_group()
                .user_pool_id(&*pool.pool_id)
                .group_name(group)
                .limit(limit)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| from_cognito(Flow::ListUsers, "ListUsersInGroup", e))?;
            let users = page.users().iter().map(from_list).collect::<Vec<_>>();
            (users, page.next_token().map(String::from))
        }
        other => {
            let expression = match other {
                Filter::Attribute(expression) => Some(expression),
                _ => None,
            };
            let page = pool
                .client
                .list_users()
                .user_pool_id(&*pool.pool_id)
                .limit(limit)
                .set_filter(expression)
                .set_pagination_token(token)
                .send()
                .await
                .map_err(|e| from_cognito(Flow::ListUsers, "ListUsers", e))?;
            let users = page.users().iter().map(from_list).collect::<Vec<_>>();
            (users, page.pagination_token().map(String::from))
        }
    };
    let mut memberships = pool.role_memberships().await?;
    let users = records
        .iter()
        .map(|r| User::from_groups(r, memberships.remove(&r.username).unwrap_or_default()))
        .collect();
    Ok(ok(UserPage {
        users,
        next_token: next_token.filter(|t| !t.is_empty()),
    }))
}

/// `GET /v1/auth/users/{user_id}` (admin).
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id))]
pub async fn show(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Reply<User>> {
    caller.require_any(&[Role::Admin])?;
    let id = super::user_id(&id)?;
    let record = state
        .pool
        .find_by_sub(id)
        .await?
        .ok_or_else(|| AppError::not_found("user not found"))?;
    let groups = state.pool.groups_of(&record.username).await?;
    Ok(ok(User::from_groups(&record, groups)))
}
