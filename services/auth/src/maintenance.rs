//! The hourly sweep of stale unconfirmed users (api/auth.md §5): every replica runs it; it is idempotent, so
//! two replicas deleting the same user do no harm.

use std::time::Duration;

use chrono::Utc;

use crate::config::Maintenance;
use crate::error::{from_cognito, ApiError, Flow};
use crate::pool::UserPool;

/// Deletes unconfirmed users created more than `max_age` ago; returns how many were deleted.
pub async fn delete_stale_unconfirmed(
    pool: &UserPool,
    max_age: Duration,
) -> Result<usize, ApiError> {
    let cutoff = Utc::now() - chrono::Duration::from_std(max_age).unwrap_or(chrono::Duration::MAX);
    let stale = pool
        .list("cognito:user_status = \"UNCONFIRMED\"")
        .await?
        .into_iter()
        .filter(|u| u.status == "UNCONFIRMED" && u.created_at < cutoff);
    let mut deleted = 0;
    for user in stale {
        let result = pool
            .client
            .admin_delete_user()
            .user_pool_id(&*pool.pool_id)
            .username(&user.username)
            .send()
            .await;
        match result.map_err(|e| from_cognito(Flow::Admin, "AdminDeleteUser", e)) {
            Ok(_) => deleted += 1,
            // Another replica got there first.
            Err(ApiError::App(eshop_common::AppError::NotFound(_))) => {}
            Err(err) => return Err(err),
        }
    }
    Ok(deleted)
}

/// Runs the sweep at start and then every `settings.every`, logging failures and carrying on.
pub fn spawn(pool: UserPool, settings: Maintenance) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(settings.every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match delete_stale_unconfirmed(&pool, settings.unconfirmed_max_age).await {
                Ok(0) => tracing::debug!("no stale unconfirmed users"),
                Ok(count) => tracing::info!(count, "deleted stale unconfirmed users"),
                Err(err) => {
                    tracing::warn!(status = %err.status(), "stale-user sweep failed; retrying next hour")
                }
            }
        }
    })
}
