//! The Redis read cache (api/cart.md §6.3): one hash per user at `{prefix}{user_id}` with `_v` = the cart
//! version and one field per line (the line as JSON). Key absent = not cached; only `_v` = a cached empty
//! cart. Writes go through one atomic script that replaces the whole hash only when the key is absent or
//! holds an older `_v`.
//!
//! Redis is a plain cache: after any lost connection every key under the prefix is deleted (`SCAN` +
//! `UNLINK`) before Redis is read again, and until that is done callers are told the cache is unavailable
//! (they read MySQL). A Redis that comes back with old data, or a key whose `DEL` failed, is never served.

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::domain::line::sort_lines;
use crate::domain::CartLine;

/// The version field of a user's hash.
pub const VERSION_FIELD: &str = "_v";

/// Bound on one Redis command (and on connecting).
const OP_TIMEOUT: Duration = Duration::from_secs(2);
/// Bound on the purge after a reconnect.
const PURGE_TIMEOUT: Duration = Duration::from_secs(20);
/// After a failed connect, callers go straight to MySQL for this long instead of waiting on Redis.
const RECONNECT_BACKOFF: Duration = Duration::from_millis(500);

/// replace(v, lines): KEYS[1] the user's key; ARGV[1] v, ARGV[2] TTL seconds, then field/value pairs.
const REPLACE_SCRIPT: &str = r#"
local current = redis.call('HGET', KEYS[1], '_v')
if current and tonumber(current) and tonumber(current) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '_v', ARGV[1])
for i = 3, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
"#;

/// What the cache holds for a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Cached: the version and the lines in cart order (none = a cached empty cart).
    Hit { version: u64, lines: Vec<CartLine> },
    /// Not cached (or unreadable, which counts as not cached).
    Miss,
    /// Redis cannot answer now, or is not purged yet after a lost connection.
    Unavailable,
}

struct Link {
    /// Bumped at every (re)connect, so a stale failure cannot drop a newer connection.
    generation: u64,
    /// Present only once connected **and** purged.
    conn: Option<MultiplexedConnection>,
    /// No connect is tried before this instant (set after a failed one).
    retry_at: Option<Instant>,
}

pub struct Cache {
    client: redis::Client,
    prefix: String,
    ttl_secs: u64,
    link: Mutex<Link>,
}

#[derive(Debug, thiserror::Error)]
#[error("redis: {0}")]
pub struct CacheError(String);

impl Cache {
    pub fn new(client: redis::Client, prefix: &str, ttl: Duration) -> Cache {
        Cache {
            client,
            prefix: prefix.to_string(),
            ttl_secs: ttl.as_secs().max(1),
            link: Mutex::new(Link {
                generation: 0,
                conn: None,
                retry_at: None,
            }),
        }
    }

    /// `{prefix}{user_id}`.
    pub fn key(&self, user: Uuid) -> String {
        format!("{}{}", self.prefix, user)
    }

    /// A usable connection: the current one, or a new one once every key under the prefix is purged.
    async fn connection(&self) -> Option<(u64, MultiplexedConnection)> {
        let mut link = self.link.lock().await;
        if let Some(conn) = &link.conn {
            return Some((link.generation, conn.clone()));
        }
        if link.retry_at.is_some_and(|at| Instant::now() < at) {
            return None;
        }
        // Until this attempt succeeds, other callers read MySQL.
        link.retry_at = Some(Instant::now() + RECONNECT_BACKOFF);
        let connect = self.client.get_multiplexed_async_connection();
        let mut conn = match tokio::time::timeout(OP_TIMEOUT, connect).await {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "redis: cannot connect; reading MySQL");
                return None;
            }
            Err(_) => {
                tracing::warn!("redis: connect timed out; reading MySQL");
                return None;
            }
        };
        match tokio::time::timeout(PURGE_TIMEOUT, self.purge(&mut conn)).await {
            Ok(Ok(removed)) => {
                metrics::counter!("cart_cache_purges_total").increment(1);
                tracing::info!(removed, "redis: connected; cached carts purged");
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "redis: purge failed; reading MySQL");
                return None;
            }
            Err(_) => {
                tracing::warn!("redis: purge timed out; reading MySQL");
                return None;
            }
        }
        link.generation += 1;
        link.conn = Some(conn.clone());
        link.retry_at = None;
        Some((link.generation, conn))
    }

    /// Forgets the connection of `generation` after a failure on it: the next use reconnects and purges.
    async fn lost(&self, generation: u64) {
        let mut link = self.link.lock().await;
        if link.generation == generation && link.conn.is_some() {
            tracing::warn!("redis: connection lost; cached carts will be purged on reconnect");
            link.conn = None;
        }
    }

    /// Runs `op` on a usable connection within [`OP_TIMEOUT`]; a failure drops the connection.
    async fn run<T, F, Fut>(&self, op: F) -> Result<T, CacheError>
    where
        F: FnOnce(MultiplexedConnection) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let Some((generation, conn)) = self.connection().await else {
            return Err(CacheError("unavailable".into()));
        };
        let outcome = match tokio::time::timeout(OP_TIMEOUT, op(conn)).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(e)) => e.to_string(),
            Err(_) => "timed out".to_string(),
        };
        self.lost(generation).await;
        Err(CacheError(outcome))
    }

    /// Deletes every key under the prefix; the number removed.
    async fn purge(&self, conn: &mut MultiplexedConnection) -> redis::RedisResult<u64> {
        let pattern = format!("{}*", glob_escape(&self.prefix));
        let mut cursor: u64 = 0;
        let mut removed = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(conn)
                .await?;
            if !keys.is_empty() {
                let n: u64 = redis::cmd("UNLINK").arg(&keys).query_async(conn).await?;
                removed += n;
            }
            if next == 0 {
                return Ok(removed);
            }
            cursor = next;
        }
    }

    /// HGETALL, renewing the TTL on a hit (§6.3 read path). One round trip, no MULTI/EXEC: the EXPIRE only
    /// renews a TTL, so nothing is gained by making the pair atomic (on a key deleted in between it does
    /// nothing).
    pub async fn get(&self, user: Uuid) -> Lookup {
        let key = self.key(user);
        let ttl = self.ttl_secs;
        let fields = self
            .run(|mut conn| async move {
                let (fields, _): (HashMap<String, String>, i64) = redis::pipe()
                    .cmd("HGETALL")
                    .arg(&key)
                    .cmd("EXPIRE")
                    .arg(&key)
                    .arg(ttl)
                    .query_async(&mut conn)
                    .await?;
                Ok(fields)
            })
            .await;
        match fields {
            Err(e) => {
                tracing::warn!(error = %e, "cart cache unavailable; reading MySQL");
                Lookup::Unavailable
            }
            Ok(fields) => decode(fields).unwrap_or(Lookup::Miss),
        }
    }

    /// The atomic replace(v, lines): true when written, false when the cache holds `_v` ≥ `version`.
    pub async fn replace(
        &self,
        user: Uuid,
        version: u64,
        lines: &[CartLine],
    ) -> Result<bool, CacheError> {
        let key = self.key(user);
        let mut script = redis::cmd("EVAL");
        script
            .arg(REPLACE_SCRIPT)
            .arg(1)
            .arg(&key)
            .arg(version)
            .arg(self.ttl_secs);
        for line in lines {
            let json = serde_json::to_string(line).map_err(|e| CacheError(e.to_string()))?;
            script.arg(line.id.to_string()).arg(json);
        }
        let written: i64 = self
            .run(|mut conn| async move { script.query_async(&mut conn).await })
            .await?;
        Ok(written == 1)
    }

    /// §6.3 after a committed write: replace, one retry, then `DEL` (one retry). The request succeeds
    /// whatever happens here (MySQL is the truth); a key that could not be deleted is dropped by the
    /// purge that follows the lost connection.
    pub async fn store(&self, user: Uuid, version: u64, lines: &[CartLine]) {
        for _ in 0..2 {
            if self.replace(user, version, lines).await.is_ok() {
                return;
            }
        }
        for _ in 0..2 {
            let key = self.key(user);
            let deleted = self
                .run(|mut conn| async move {
                    redis::cmd("DEL")
                        .arg(&key)
                        .query_async::<i64>(&mut conn)
                        .await
                })
                .await;
            if deleted.is_ok() {
                return;
            }
        }
        // Every failure above already dropped the connection: the purge on reconnect removes the key.
        tracing::warn!(%user, "cart cache could not be updated nor cleared");
    }

    /// `PING` on the cache's connection (readiness).
    pub async fn ping(&self) -> bool {
        self.run(
            |mut conn| async move { redis::cmd("PING").query_async::<String>(&mut conn).await },
        )
        .await
        .is_ok()
    }
}

/// The hash as a [`Lookup`]; `None` when it cannot be read as a cart (then treated as not cached).
fn decode(mut fields: HashMap<String, String>) -> Option<Lookup> {
    if fields.is_empty() {
        return Some(Lookup::Miss);
    }
    let version: u64 = fields.remove(VERSION_FIELD)?.parse().ok()?;
    let mut lines = Vec::with_capacity(fields.len());
    for json in fields.values() {
        lines.push(serde_json::from_str::<CartLine>(json).ok()?);
    }
    sort_lines(&mut lines);
    Some(Lookup::Hit { version, lines })
}

/// Escapes the glob characters of a `SCAN MATCH` pattern.
fn glob_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_with_only_the_version_is_a_cached_empty_cart() {
        let fields = HashMap::from([("_v".to_string(), "7".to_string())]);
        assert_eq!(
            decode(fields),
            Some(Lookup::Hit {
                version: 7,
                lines: vec![]
            })
        );
        assert_eq!(decode(HashMap::new()), Some(Lookup::Miss));
    }

    #[test]
    fn a_hash_without_a_version_or_with_a_broken_line_is_not_served() {
        let no_version = HashMap::from([("x".to_string(), "{}".to_string())]);
        assert_eq!(decode(no_version), None);
        let broken = HashMap::from([
            ("_v".to_string(), "1".to_string()),
            ("x".to_string(), "{".to_string()),
        ]);
        assert_eq!(decode(broken), None);
    }

    #[test]
    fn glob_characters_in_the_prefix_are_escaped() {
        assert_eq!(glob_escape("cart:v2:"), "cart:v2:");
        assert_eq!(glob_escape("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\");
    }
}
