//! Turning what Cognito returns about a user (`UserType` from lists, `AdminGetUser`'s output) into one record.

use aws_sdk_cognitoidentityprovider::operation::admin_get_user::AdminGetUserOutput;
use aws_sdk_cognitoidentityprovider::primitives::DateTime as AwsDateTime;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, UserType};
use chrono::{DateTime, Utc};

use crate::domain::user::UserRecord;

fn time(value: Option<&AwsDateTime>) -> DateTime<Utc> {
    value
        .and_then(|t| DateTime::from_timestamp(t.secs(), t.subsec_nanos()))
        .unwrap_or_default()
}

fn attributes(list: &[AttributeType]) -> std::collections::HashMap<String, String> {
    list.iter()
        .filter_map(|a| Some((a.name().to_string(), a.value()?.to_string())))
        .collect()
}

pub fn from_list(user: &UserType) -> UserRecord {
    UserRecord {
        username: user.username().unwrap_or_default().to_string(),
        attributes: attributes(user.attributes()),
        status: user
            .user_status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        enabled: user.enabled(),
        created_at: time(user.user_create_date()),
        updated_at: time(user.user_last_modified_date()),
    }
}

pub fn from_get(user: &AdminGetUserOutput) -> UserRecord {
    UserRecord {
        username: user.username().to_string(),
        attributes: attributes(user.user_attributes()),
        status: user
            .user_status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        enabled: user.enabled(),
        created_at: time(user.user_create_date()),
        updated_at: time(user.user_last_modified_date()),
    }
}
