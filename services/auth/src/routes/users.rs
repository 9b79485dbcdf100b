//! Admin reads: the user list with roles, and one user (api/auth.md §4.10–§4.11).

use axum::extract::State;
use eshop_common::auth::{AuthUser, Role};
use eshop_common::envelope::{ok, Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::{Path, Query};
use eshop_common::openapi::BearerRefused;
use eshop_common::AppError;
use serde::{Deserialize, Serialize};

use super::{KeysNotLoaded, ProviderFailed, ProviderThrottled};
use crate::domain::user::{parse_role, User};
use crate::error::{from_cognito, ApiError, ApiResult, Flow};
use crate::pool::{from_list, ROLE_GROUPS};
use crate::AppState;

/// The list query; its parameters in the OpenAPI document (a query has no null, so no `Option` is nullable
/// there). At most one of `email`, `username` and `role`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    #[param(nullable = false, minimum = 1, maximum = 60, default = 60)]
    limit: Option<i64>,
    /// opaque, from the previous page
    #[param(nullable = false)]
    next_token: Option<String>,
    /// prefix, lower-cased; 1 to 254 characters without quotes or backslashes
    #[param(nullable = false)]
    email: Option<String>,
    /// prefix, lower-cased; 1 to 254 characters without quotes or backslashes
    #[param(nullable = false)]
    username: Option<String>,
    /// members of that role group (`customer` is no group: 400)
    #[param(nullable = false, schema_with = role_groups)]
    role: Option<String>,
}

/// The default and largest `limit`.
const MAX_LIMIT: i64 = 60;
// The literals of the `limit` parameter above.
const _: () = assert!(MAX_LIMIT == 60);

/// `role`: a role group's name.
fn role_groups() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(ROLE_GROUPS))
        .build()
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserPage {
    users: Vec<User>,
    /// null on the last page
    #[schema(required = true)]
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

/// List users with their roles (admin); at most one of email, username, role
///
/// api/auth.md §4.10. Without `role`: `ListUsers` and each user's role from the memberships of the role
/// groups; with `role`: `ListUsersInGroup`.
#[utoipa::path(
    get,
    path = "/v1/auth/users",
    operation_id = "listUsers",
    tag = "auth",
    params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success get; no match: users []", body = Envelope<UserPage>),
        (status = 400, description = "limit out of range, two filters, role customer or unknown, bad next_token, an unreadable query", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        ProviderThrottled,
        ProviderFailed,
        KeysNotLoaded,
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %caller.user_id))]
pub async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(query): Query<ListQuery>,
) -> ApiResult<Reply<UserPage>> {
    caller.require_any(&[Role::Admin])?;
    let limit = query.limit.unwrap_or(MAX_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
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

/// One user (admin)
///
/// api/auth.md §4.11. `ListUsers` `sub = "<id>"`, then `AdminListGroupsForUser`: the role from current groups.
#[utoipa::path(
    get,
    path = "/v1/auth/users/{user_id}",
    operation_id = "getUser",
    tag = "auth",
    params(("user_id" = Uuid, Path, description = "the user's `sub` (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success get", body = Envelope<User>),
        (status = 400, description = "user_id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "unknown user (or a path segment that is not UTF-8)", body = ErrorBody),
        ProviderThrottled,
        ProviderFailed,
        KeysNotLoaded,
    )
)]
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
