//! The Redis read cache (api/cart.md §6.3): one hash per user at `{prefix}{user_id}` with `_v` = the cart
//! version and one field per line (the line as JSON). Key absent = not cached; only `_v` = a cached empty
//! cart. Writes go through one atomic script that replaces the whole hash only when the key is absent or
//! holds an older `_v`.
//!
//! Redis is a plain cache: after any lost connection every key under the prefix is deleted (`SCAN` +
//! `UNLINK`) before Redis is read again, and until that is done callers are told the cache is unavailable
//! (they read MySQL). A Redis that comes back with old data, or a key whose `DEL` failed, is never served.

use std::future::Future;
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use redis::Value;
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
    /// Cached (no line = a cached empty cart).
    Hit(Cached),
    /// Not cached (or without a readable version, which counts as not cached).
    Miss,
    /// Redis cannot answer now, or is not purged yet after a lost connection.
    Unavailable,
}

/// A cached cart as Redis returned it: the version and each line's JSON, parsed only by a reader that needs
/// the lines as values (the list edits the JSON into its reply, `domain::cached`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cached {
    pub version: u64,
    lines: Vec<Vec<u8>>,
}

impl Cached {
    /// The lines in cart order; `None` when one cannot be read (the cart then counts as not cached).
    pub fn lines(&self) -> Option<Vec<CartLine>> {
        let mut lines = Vec::with_capacity(self.lines.len());
        for json in &self.lines {
            lines.push(serde_json::from_slice(json).ok()?);
        }
        sort_lines(&mut lines);
        Some(lines)
    }

    /// The lines' JSON as cached, in the order Redis sent them.
    pub fn raw_lines(&self) -> &[Vec<u8>] {
        &self.lines
    }
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
                let (fields, _): (Value, i64) = redis::pipe()
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

/// `HGETALL`'s reply as a [`Lookup`]; `None` when it cannot be read as a cart (then treated as not cached).
/// The lines' JSON is kept as Redis sent it.
fn decode(reply: Value) -> Option<Lookup> {
    let items = match reply {
        Value::Array(items) => items,
        Value::Map(pairs) => pairs.into_iter().flat_map(|(k, v)| [k, v]).collect(),
        _ => return None,
    };
    if items.is_empty() {
        return Some(Lookup::Miss);
    }
    let mut version = None;
    let mut lines = Vec::with_capacity(items.len() / 2);
    let mut items = items.into_iter();
    while let Some(field) = items.next() {
        let (Value::BulkString(field), Some(Value::BulkString(value))) = (field, items.next())
        else {
            return None;
        };
        if field == VERSION_FIELD.as_bytes() {
            version = Some(std::str::from_utf8(&value).ok()?.parse().ok()?);
        } else {
            lines.push(value);
        }
    }
    Some(Lookup::Hit(Cached {
        version: version?,
        lines,
    }))
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

    /// An `HGETALL` reply of these field/value pairs.
    fn reply(pairs: &[(&str, &str)]) -> Value {
        Value::Array(
            pairs
                .iter()
                .flat_map(|(f, v)| [f, v])
                .map(|s| Value::BulkString(s.as_bytes().to_vec()))
                .collect(),
        )
    }

    fn cached(version: u64, lines: &[&str]) -> Lookup {
        let lines = lines.iter().map(|l| l.as_bytes().to_vec()).collect();
        Lookup::Hit(Cached { version, lines })
    }

    #[test]
    fn a_hash_with_only_the_version_is_a_cached_empty_cart() {
        let lookup = decode(reply(&[("_v", "7")]));
        assert_eq!(lookup, Some(cached(7, &[])));
        let Some(Lookup::Hit(cart)) = lookup else {
            unreachable!()
        };
        assert_eq!(cart.lines(), Some(vec![]));
        assert_eq!(decode(reply(&[])), Some(Lookup::Miss));
    }

    #[test]
    fn a_hash_without_a_version_or_with_a_broken_line_is_not_served() {
        assert_eq!(decode(reply(&[("x", "{}")])), None);
        assert_eq!(decode(reply(&[("_v", "x")])), None);
        assert_eq!(decode(Value::Array(vec![Value::Int(1)])), None);
        let Some(Lookup::Hit(broken)) = decode(reply(&[("x", "{"), ("_v", "1")])) else {
            panic!("a readable version is a hit until the lines are read");
        };
        assert_eq!(broken.lines(), None);
    }

    #[test]
    fn cached_lines_are_read_in_cart_order_whatever_order_redis_sends() {
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        let line = |id: u128, at: &str| CartLine {
            id: Uuid::from_u128(id),
            user_id: Uuid::nil(),
            product_id: Uuid::from_u128(id),
            product_name: format!("P{id}"),
            product_image_url: String::new(),
            product_price: rust_decimal::Decimal::new(1999, 2),
            product_quantity: 1,
            note: String::new(),
            product_version: 1,
            created_at: t(at),
            updated_at: t(at),
        };
        let (a, b, c) = (
            line(3, "2024-05-01T10:00:00Z"),
            line(1, "2024-05-01T10:00:00.5Z"),
            line(2, "2024-05-01T10:00:00.5Z"),
        );
        let json = |l: &CartLine| serde_json::to_string(l).unwrap();
        let Some(Lookup::Hit(cart)) = decode(reply(&[
            ("c", &json(&c)),
            ("_v", "4"),
            ("b", &json(&b)),
            ("a", &json(&a)),
        ])) else {
            panic!("not a hit");
        };
        assert_eq!(cart.version, 4);
        assert_eq!(cart.lines().unwrap(), vec![a, b, c]);
    }

    #[test]
    fn glob_characters_in_the_prefix_are_escaped() {
        assert_eq!(glob_escape("cart:v2:"), "cart:v2:");
        assert_eq!(glob_escape("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\");
    }
}
