//! The read path of api/cart.md §6.3: the cache first; not cached → the recovery snapshot from MySQL, put
//! back into the cache; Redis unreachable → MySQL alone, not cached.

use uuid::Uuid;

use crate::cache::Lookup;
use crate::domain::CartLine;
use crate::error::ApiResult;
use crate::store::lines::{self, Snapshot};
use crate::AppState;

/// The user's lines in cart order.
pub async fn cart_lines(state: &AppState, user: Uuid) -> ApiResult<Vec<CartLine>> {
    match state.cache.get(user).await {
        Lookup::Hit { lines, .. } => {
            metrics::counter!("cart_cache_hits_total").increment(1);
            Ok(lines)
        }
        Lookup::Miss => {
            metrics::counter!("cart_cache_misses_total").increment(1);
            let snapshot = lines::snapshot(&state.pool, user).await?;
            // A refused replace means a newer version is already cached: our snapshot is still correct
            // for this answer.
            let _ = state
                .cache
                .replace(user, snapshot.version, &snapshot.lines)
                .await;
            Ok(snapshot.lines)
        }
        Lookup::Unavailable => Ok(lines::snapshot(&state.pool, user).await?.lines),
    }
}

/// After a committed write (§6.3): the new snapshot replaces the cached one.
pub async fn cache_after_write(state: &AppState, user: Uuid, snapshot: &Snapshot) {
    state
        .cache
        .store(user, snapshot.version, &snapshot.lines)
        .await;
}
