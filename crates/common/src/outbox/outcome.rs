//! What a delivery attempt means for its row (design §4.2 step 3): pure rules, no I/O.

use std::time::Duration;

use rand::Rng;

use super::OutboxSettings;

/// `last_error` holds at most this many characters (`VARCHAR(500)`, design §4.1).
pub const LAST_ERROR_MAX_CHARS: usize = 500;

/// How one POST to a subscriber ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// The subscriber answered with this status; `detail` is the start of its body.
    Answered { status: u16, detail: String },
    /// No answer: connection refused, timeout, …; the text never carries the service token.
    Transport(String),
}

/// What to write to the row after an attempt.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// 2xx: `delivered_at = now()`.
    Delivered,
    /// Try again at `now() + delay`, after `attempts + 1`.
    Retry { error: String, delay: Duration },
    /// 400 or the last allowed failure: `parked_at = now()`, after `attempts + 1`.
    Park { error: String },
}

impl Outcome {
    /// design §4.2 step 3. `attempts` is the row's count before this attempt.
    pub(crate) fn of(attempt: &Attempt, attempts: u32, settings: &OutboxSettings) -> Outcome {
        let (error, bad_request) = match attempt {
            Attempt::Answered {
                status: 200..=299, ..
            } => return Outcome::Delivered,
            Attempt::Answered { status, detail } => (status_text(*status, detail), *status == 400),
            Attempt::Transport(text) => (truncate(text), false),
        };
        if bad_request || attempts.saturating_add(1) >= settings.max_attempts {
            Outcome::Park { error }
        } else {
            Outcome::Retry {
                error,
                delay: retry_delay(attempts, settings.max_backoff),
            }
        }
    }
}

/// `min(2^attempts s, max)`, before jitter.
pub(crate) fn backoff(attempts: u32, max: Duration) -> Duration {
    let exp = 1u64.checked_shl(attempts).unwrap_or(u64::MAX);
    Duration::from_secs(exp).min(max)
}

/// The wait before the next attempt after `attempts` failures (design §4.2): `min(2^attempts s, max)`
/// ± 20 %. Every relay uses it, the SQL ones here and product's DynamoDB relay.
pub fn retry_delay(attempts: u32, max: Duration) -> Duration {
    jittered(backoff(attempts, max))
}

/// ± 20 % so that rows failing together do not retry together.
fn jittered(delay: Duration) -> Duration {
    delay.mul_f64(rand::thread_rng().gen_range(0.8..=1.2))
}

fn status_text(status: u16, detail: &str) -> String {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut text = format!("HTTP {status} {reason}").trim_end().to_string();
    let detail = detail.split_whitespace().collect::<Vec<_>>().join(" ");
    if !detail.is_empty() {
        text = format!("{text}: {detail}");
    }
    truncate(&text)
}

/// Cuts `text` to [`LAST_ERROR_MAX_CHARS`] characters (not bytes: MySQL counts characters).
pub(crate) fn truncate(text: &str) -> String {
    text.chars().take(LAST_ERROR_MAX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(max_attempts: u32, max_backoff_secs: u64) -> OutboxSettings {
        OutboxSettings {
            max_attempts,
            max_backoff: Duration::from_secs(max_backoff_secs),
            ..OutboxSettings::default()
        }
    }

    fn answered(status: u16) -> Attempt {
        Attempt::Answered {
            status,
            detail: String::new(),
        }
    }

    #[test]
    fn a_2xx_delivers() {
        assert_eq!(
            Outcome::of(&answered(200), 7, &settings(20, 300)),
            Outcome::Delivered
        );
        assert_eq!(
            Outcome::of(&answered(204), 0, &settings(20, 300)),
            Outcome::Delivered
        );
    }

    #[test]
    fn a_400_parks_at_once_with_its_detail() {
        let attempt = Attempt::Answered {
            status: 400,
            detail: "unusable\n data".into(),
        };
        let Outcome::Park { error } = Outcome::of(&attempt, 0, &settings(20, 300)) else {
            panic!()
        };
        assert_eq!(error, "HTTP 400 Bad Request: unusable data");
    }

    #[test]
    fn the_last_allowed_failure_parks_and_earlier_ones_retry() {
        assert!(matches!(
            Outcome::of(&answered(503), 18, &settings(20, 300)),
            Outcome::Retry { .. }
        ));
        assert!(matches!(
            Outcome::of(&answered(503), 19, &settings(20, 300)),
            Outcome::Park { .. }
        ));
        let t = Attempt::Transport("connection refused".into());
        assert!(matches!(
            Outcome::of(&t, 0, &settings(1, 300)),
            Outcome::Park { .. }
        ));
    }

    #[test]
    fn retries_back_off_exponentially_up_to_the_ceiling_with_jitter() {
        assert_eq!(backoff(0, Duration::from_secs(300)), Duration::from_secs(1));
        assert_eq!(backoff(3, Duration::from_secs(300)), Duration::from_secs(8));
        assert_eq!(
            backoff(9, Duration::from_secs(300)),
            Duration::from_secs(300)
        );
        assert_eq!(
            backoff(200, Duration::from_secs(300)),
            Duration::from_secs(300)
        );
        assert_eq!(backoff(4, Duration::ZERO), Duration::ZERO);
        for _ in 0..100 {
            let Outcome::Retry { delay, error } =
                Outcome::of(&answered(503), 3, &settings(20, 300))
            else {
                panic!()
            };
            assert!(
                delay >= Duration::from_millis(6400) && delay <= Duration::from_millis(9600),
                "{delay:?}"
            );
            assert_eq!(error, "HTTP 503 Service Unavailable");
        }
    }

    #[test]
    fn errors_are_cut_to_500_characters() {
        let long = Attempt::Transport("é".repeat(600));
        let Outcome::Retry { error, .. } = Outcome::of(&long, 0, &settings(20, 300)) else {
            panic!()
        };
        assert_eq!(error.chars().count(), 500);
    }
}
