//! The `User` object of api/auth.md §3, built from a pool record's attributes and the user's groups.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use eshop_common::auth::Role;
use serde::Serialize;
use uuid::Uuid;

use super::profile::Address;

/// A user as the pool holds it, independent of which Cognito call returned it.
#[derive(Clone, Debug)]
pub struct UserRecord {
    pub username: String,
    pub attributes: HashMap<String, String>,
    pub status: String,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl UserRecord {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// The user id: the `sub` attribute.
    pub fn sub(&self) -> Option<Uuid> {
        self.attribute("sub").and_then(|s| Uuid::parse_str(s).ok())
    }

    pub fn email_verified(&self) -> bool {
        self.attribute("email_verified") == Some("true")
    }
}

/// api/auth.md §3 `User`
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct User {
    /// the `sub`
    pub user_id: Uuid,
    pub username: String,
    pub email: String,
    pub email_verified: bool,
    #[schema(required = true)]
    pub name: Option<String>,
    #[schema(required = true)]
    pub phone_number: Option<String>,
    #[schema(required = true)]
    pub address: Option<Address>,
    /// from the token for `/me` (what services enforce now), from current memberships for admins
    pub role: Role,
    /// every group of the user, role groups included
    pub groups: Vec<String>,
    /// Cognito user status, e.g. UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD
    pub status: String,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    /// The user of `record`, with `role` and `groups` from wherever the caller trusts them (the token for `me`,
    /// current memberships for admins).
    pub fn new(record: &UserRecord, role: Role, groups: Vec<String>) -> User {
        User {
            user_id: record.sub().unwrap_or_default(),
            username: record.username.clone(),
            email: record.attribute("email").unwrap_or_default().to_string(),
            email_verified: record.email_verified(),
            name: record.attribute("name").map(String::from),
            phone_number: record.attribute("phone_number").map(String::from),
            address: record.attribute("address").map(Address::from_attribute),
            role,
            groups,
            status: record.status.clone(),
            enabled: record.enabled,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }

    /// The user with role and groups from their memberships.
    pub fn from_groups(record: &UserRecord, groups: Vec<String>) -> User {
        User::new(record, Role::from_groups(&groups), groups)
    }
}

/// Parses a role name as the admin API accepts it (api/auth.md §4.12).
pub fn parse_role(raw: &str) -> Option<Role> {
    match raw {
        "customer" => Some(Role::Customer),
        other => Role::from_group(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_reads_its_attributes_and_takes_the_role_from_groups() {
        let record = UserRecord {
            username: "ann".into(),
            attributes: [
                ("sub", "0190a5a8-9c1e-7cc0-8a4e-1c2d3e4f5a6b"),
                ("email", "ann@x.io"),
                ("email_verified", "true"),
                ("custom:role", "admin"),
                ("address", "not json"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            status: "CONFIRMED".into(),
            enabled: true,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let user = User::from_groups(&record, vec!["warehouse_staff".into()]);
        assert_eq!(user.role, Role::WarehouseStaff);
        assert!(user.email_verified);
        assert_eq!(user.address.unwrap().street, "not json");
        assert_eq!(user.phone_number, None);
        let customer = User::from_groups(&record, vec![]);
        assert_eq!(customer.role, Role::Customer, "custom:role grants nothing");
    }

    #[test]
    fn every_role_parses_from_its_name() {
        for role in Role::ALL {
            assert_eq!(parse_role(role.as_str()), Some(role));
        }
    }

    #[test]
    fn roles_parse_from_their_names_only() {
        assert_eq!(parse_role("customer"), Some(Role::Customer));
        assert_eq!(
            parse_role("warehouse_manager"),
            Some(Role::WarehouseManager)
        );
        assert_eq!(parse_role("root"), None);
        assert_eq!(parse_role("Admin"), None);
    }
}
