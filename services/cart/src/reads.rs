//! The read path of api/cart.md §6.3: the cache first; not cached → the recovery snapshot from MySQL, put
//! back into the cache; Redis unreachable → MySQL alone, not cached.

use uuid::Uuid;

use crate::cache::{Cached, Lookup};
use crate::domain::CartLine;
use crate::error::ApiResult;
use crate::store::lines::{self, Snapshot};
use crate::AppState;

/// The user's cart: as cached (`Ok`, parsed by the caller), or else its lines in cart order from MySQL.
pub async fn read_cart(state: &AppState, user: Uuid) -> ApiResult<Result<Cached, Vec<CartLine>>> {
    let recache = match state.cache.get(user).await {
        Lookup::Hit(cached) => {
            metrics::counter!("cart_cache_hits_total").increment(1);
            return Ok(Ok(cached));
        }
        Lookup::Miss => {
            metrics::counter!("cart_cache_misses_total").increment(1);
            true
        }
        Lookup::Unavailable => false,
    };
    Ok(Err(from_mysql(state, user, recache).await?))
}

/// The user's lines in cart order.
pub async fn cart_lines(state: &AppState, user: Uuid) -> ApiResult<Vec<CartLine>> {
    match read_cart(state, user).await? {
        Ok(cached) => cached_lines(state, user, &cached).await,
        Err(lines) => Ok(lines),
    }
}

/// A cached cart's lines; one that cannot be read is served from MySQL, as if it were not cached.
pub async fn cached_lines(
    state: &AppState,
    user: Uuid,
    cached: &Cached,
) -> ApiResult<Vec<CartLine>> {
    match cached.lines() {
        Some(lines) => Ok(lines),
        None => {
            tracing::warn!(%user, "unreadable cached cart; reading MySQL");
            from_mysql(state, user, true).await
        }
    }
}

/// The recovery snapshot's lines; put into the cache when `recache`.
async fn from_mysql(state: &AppState, user: Uuid, recache: bool) -> ApiResult<Vec<CartLine>> {
    let snapshot = lines::snapshot(&state.pool, user).await?;
    if recache {
        // A refused replace means a newer version is already cached: our snapshot is still correct for
        // this answer.
        let _ = state
            .cache
            .replace(user, snapshot.version, &snapshot.lines)
            .await;
    }
    Ok(snapshot.lines)
}

/// After a committed write (§6.3): the new snapshot replaces the cached one.
pub async fn cache_after_write(state: &AppState, user: Uuid, snapshot: &Snapshot) {
    state
        .cache
        .store(user, snapshot.version, &snapshot.lines)
        .await;
}
