//! In-memory request limits (api/auth.md §4.4, §4.5, §4.14): failed logins per identifier, requests per client
//! address per minute, and the resend/forgot cool-down. Per replica by design (auth has no store); every
//! counter is bounded. Time is passed in, so the rules are unit-tested without waiting.

mod client_ip;
mod lru;

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub use client_ip::{client_ip, ClientIp};
use lru::BoundedMap;

use crate::config::Limits;
use crate::error::ApiError;

const MINUTE: Duration = Duration::from_secs(60);

/// Which per-address budget a request draws from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// `LOGIN_IP_MAX_PER_MINUTE`.
    Login,
    /// `PUBLIC_IP_MAX_PER_MINUTE`: signup, confirm, resend, refresh, forgot, reset.
    Public,
}

/// Times of recent events, oldest first.
type Events = VecDeque<Instant>;

pub struct Throttles {
    limits: Limits,
    login_failures: Mutex<BoundedMap<Events>>,
    login_ip: Mutex<BoundedMap<Events>>,
    public_ip: Mutex<BoundedMap<Events>>,
    cooldowns: Mutex<BoundedMap<Option<Instant>>>,
}

/// Drops events older than `window`; then `Err(wait)` when `max` remain, `wait` being until the oldest leaves.
fn check(events: &mut Events, now: Instant, window: Duration, max: usize) -> Result<(), Duration> {
    while events
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        events.pop_front();
    }
    match events.front() {
        Some(oldest) if events.len() >= max => Err(window - now.duration_since(*oldest)),
        _ => Ok(()),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn too_many(message: &'static str, wait: Duration) -> ApiError {
    ApiError::TooMany {
        message,
        retry_after_secs: Some(wait.as_secs_f64().ceil() as u64),
    }
}

impl Throttles {
    pub fn new(limits: Limits) -> Self {
        let cap = limits.max_keys;
        Throttles {
            login_failures: Mutex::new(BoundedMap::new(cap)),
            login_ip: Mutex::new(BoundedMap::new(cap)),
            public_ip: Mutex::new(BoundedMap::new(cap)),
            cooldowns: Mutex::new(BoundedMap::new(cap)),
            limits,
        }
    }

    pub fn trusted_proxy_hops(&self) -> usize {
        self.limits.trusted_proxy_hops
    }

    /// Counts one request from `ip` against `budget`, or refuses it (a refused request is not counted).
    pub fn take_ip(&self, budget: Budget, ip: &str, now: Instant) -> Result<(), ApiError> {
        let (map, max) = match budget {
            Budget::Login => (&self.login_ip, self.limits.login_ip_per_minute),
            Budget::Public => (&self.public_ip, self.limits.public_ip_per_minute),
        };
        let mut map = lock(map);
        let events = map.entry(ip);
        check(events, now, MINUTE, max).map_err(|wait| too_many("too many requests", wait))?;
        events.push_back(now);
        Ok(())
    }

    /// Refuses a login for `identifier` while it has `LOGIN_MAX_FAILURES` failures in the window.
    pub fn check_login(&self, identifier: &str, now: Instant) -> Result<(), ApiError> {
        let mut map = lock(&self.login_failures);
        let Some(events) = map.get(identifier) else {
            return Ok(());
        };
        if events.is_empty() {
            return Ok(());
        }
        let events = map.entry(identifier);
        check(
            events,
            now,
            self.limits.login_failure_window,
            self.limits.login_max_failures,
        )
        .map_err(|wait| too_many("too many login attempts", wait))
    }

    pub fn record_login_failure(&self, identifier: &str, now: Instant) {
        lock(&self.login_failures).entry(identifier).push_back(now);
    }

    /// A successful login clears the identifier's failures.
    pub fn clear_login_failures(&self, identifier: &str) {
        lock(&self.login_failures).remove(identifier);
    }

    /// Starts the cool-down of `key` (e.g. `resend:alice`), or refuses while one is running.
    pub fn take_cooldown(&self, key: &str, now: Instant) -> Result<(), ApiError> {
        let mut map = lock(&self.cooldowns);
        let last = map.entry(key);
        if let Some(at) = *last {
            let since = now.duration_since(at);
            if since < self.limits.resend_cooldown {
                return Err(too_many(
                    "please wait before asking for another code",
                    self.limits.resend_cooldown - since,
                ));
            }
        }
        *last = Some(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttles() -> Throttles {
        Throttles::new(Limits {
            login_max_failures: 3,
            login_failure_window: Duration::from_secs(100),
            resend_cooldown: Duration::from_secs(30),
            login_ip_per_minute: 2,
            public_ip_per_minute: 3,
            ..Limits::default()
        })
    }

    fn retry_after(err: ApiError) -> u64 {
        match err {
            ApiError::TooMany {
                retry_after_secs: Some(s),
                ..
            } => s,
            other => panic!("not a 429: {other:?}"),
        }
    }

    #[test]
    fn failures_block_the_identifier_until_the_oldest_leaves_the_window() {
        let t = throttles();
        let start = Instant::now();
        for i in 0..3 {
            t.check_login("ann", start + Duration::from_secs(i))
                .unwrap();
            t.record_login_failure("ann", start + Duration::from_secs(i));
        }
        let wait = retry_after(
            t.check_login("ann", start + Duration::from_secs(10))
                .unwrap_err(),
        );
        assert_eq!(wait, 90);
        assert!(t.check_login("bob", start).is_ok());
        assert!(t
            .check_login("ann", start + Duration::from_secs(100))
            .is_ok());
    }

    #[test]
    fn a_success_clears_the_failures() {
        let t = throttles();
        let now = Instant::now();
        for _ in 0..3 {
            t.record_login_failure("ann", now);
        }
        t.clear_login_failures("ann");
        assert!(t.check_login("ann", now).is_ok());
    }

    #[test]
    fn each_address_has_a_budget_per_minute_and_kind() {
        let t = throttles();
        let now = Instant::now();
        t.take_ip(Budget::Login, "1.1.1.1", now).unwrap();
        t.take_ip(Budget::Login, "1.1.1.1", now).unwrap();
        assert!(t.take_ip(Budget::Login, "1.1.1.1", now).is_err());
        assert!(t.take_ip(Budget::Login, "2.2.2.2", now).is_ok());
        assert!(t.take_ip(Budget::Public, "1.1.1.1", now).is_ok());
        assert!(t.take_ip(Budget::Login, "1.1.1.1", now + MINUTE).is_ok());
    }

    #[test]
    fn a_cooldown_refuses_a_second_request_within_it() {
        let t = throttles();
        let now = Instant::now();
        t.take_cooldown("resend:ann", now).unwrap();
        let wait = retry_after(
            t.take_cooldown("resend:ann", now + Duration::from_secs(10))
                .unwrap_err(),
        );
        assert_eq!(wait, 20);
        assert!(t
            .take_cooldown("resend:ann", now + Duration::from_secs(30))
            .is_ok());
    }
}
