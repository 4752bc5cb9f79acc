//! The retry policy of the JS Agents SDK's OpenAI tracing exporter, as a pure state machine: the
//! host makes each request and sleeps; this decides what follows an attempt. `max_attempts`
//! attempts in total; backoff from `base_delay_ms` doubling up to `max_delay_ms` with 10% jitter;
//! network errors, timeouts, 5xx, 408, 409 and 429 are retried; `x-should-retry: true` forces a
//! retry and `false` forbids one; a server delay (`retry-after-ms`, `retry-after`) raises the
//! wait, capped by `max_delay_ms`.

use crate::error::InputError;
use crate::model::time::Timestamp;

/// The JS SDK's defaults: 3 attempts, 1 s base delay, 30 s maximum delay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total (the SDK's `maxRetries`).
    pub max_attempts: u32,
    /// The first backoff, in milliseconds (`baseDelay`).
    pub base_delay_ms: f64,
    /// The longest wait, in milliseconds (`maxDelay`).
    pub max_delay_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay_ms: 1000.0,
            max_delay_ms: 30_000.0,
        }
    }
}

impl RetryPolicy {
    /// Checks the ranges: at least one attempt, finite non-negative delays.
    pub fn validate(self) -> Result<Self, InputError> {
        let ok = self.max_attempts >= 1
            && self.base_delay_ms.is_finite()
            && self.base_delay_ms >= 0.0
            && self.max_delay_ms.is_finite()
            && self.max_delay_ms >= 0.0;
        if ok {
            Ok(self)
        } else {
            Err(InputError::BadRetryOption)
        }
    }

    /// The longest one export can take when each request is bounded by `request_timeout_ms`:
    /// every attempt timing out, with the longest wait (the maximum delay plus its 10% jitter)
    /// between attempts, plus a second so the exporter's own bounds fire first.
    pub fn budget_ms(&self, request_timeout_ms: f64) -> f64 {
        let attempts = f64::from(self.max_attempts);
        attempts * request_timeout_ms + (attempts - 1.0) * self.max_delay_ms * 1.1 + 1000.0
    }
}

/// How an attempt went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Attempt {
    /// A 2xx answer.
    Delivered,
    /// Another status, with the server's `x-should-retry` advice and delay when it gave them.
    Status {
        /// The HTTP status.
        status: u16,
        /// `x-should-retry`: `Some(true)` forces a retry, `Some(false)` forbids one.
        should_retry: Option<bool>,
        /// The wait the server asked for, in milliseconds.
        server_delay_ms: Option<f64>,
    },
    /// No answer: a network error or a timeout.
    NoAnswer,
}

/// Why the exporter stops trying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GiveUp {
    /// A 4xx that is not retried.
    ClientError(u16),
    /// The server said `x-should-retry: false`.
    RetryForbidden(u16),
    /// Every attempt failed.
    Exhausted,
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Next {
    /// Delivered: stop.
    Done,
    /// Wait this long, then try again.
    RetryAfter(f64),
    /// Stop without delivering.
    GiveUp(GiveUp),
}

/// The state of one export's attempts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Retry {
    policy: RetryPolicy,
    attempts: u32,
    delay_ms: f64,
}

impl Retry {
    /// Before the first attempt.
    pub fn new(policy: RetryPolicy) -> Self {
        Retry {
            policy,
            attempts: 0,
            delay_ms: policy.base_delay_ms,
        }
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// What follows `attempt`; `jitter` is a random number in [0, 1).
    pub fn next(&mut self, attempt: Attempt, jitter: f64) -> Next {
        match attempt {
            Attempt::Delivered => Next::Done,
            Attempt::NoAnswer => self.after_failure(None, jitter),
            Attempt::Status {
                status,
                should_retry,
                server_delay_ms,
            } => {
                let client_error = (400..500).contains(&status);
                let retry =
                    should_retry.unwrap_or(!client_error || matches!(status, 408 | 409 | 429));
                if retry {
                    self.after_failure(server_delay_ms, jitter)
                } else if client_error {
                    Next::GiveUp(GiveUp::ClientError(status))
                } else {
                    Next::GiveUp(GiveUp::RetryForbidden(status))
                }
            }
        }
    }

    fn after_failure(&mut self, server_delay_ms: Option<f64>, jitter: f64) -> Next {
        self.attempts += 1;
        if self.attempts >= self.policy.max_attempts {
            return Next::GiveUp(GiveUp::Exhausted);
        }
        let mut sleep = self.delay_ms + jitter.clamp(0.0, 1.0) * 0.1 * self.delay_ms;
        if let Some(server) = server_delay_ms {
            sleep = sleep.max(server).min(self.policy.max_delay_ms);
        }
        self.delay_ms = (self.delay_ms * 2.0).min(self.policy.max_delay_ms);
        Next::RetryAfter(sleep)
    }
}

/// A server's `retry-after-ms` / `retry-after` headers as the host read them: each header's
/// trimmed text as a JS `Number()` (NaN when absent, empty or not a number), and the trimmed
/// `retry-after` text for its HTTP-date form.
#[derive(Clone, Copy, Debug)]
pub struct RetryAfter<'a> {
    /// `Number(retry-after-ms)`.
    pub ms: f64,
    /// `Number(retry-after)`: seconds.
    pub seconds: f64,
    /// `retry-after` as text.
    pub text: Option<&'a str>,
}

/// The wait a server asked for, in milliseconds, as the SDK reads it: `retry-after-ms` when
/// valid, else `retry-after` in seconds, else `retry-after` as an HTTP date in any of RFC 9110's
/// three forms (`Timestamp::parse_http_date`) counted from `now` (a past date: 0); negative or
/// non-finite values, and text that is neither, are ignored.
pub fn server_delay_ms(headers: RetryAfter<'_>, now: Timestamp) -> Option<f64> {
    if headers.ms.is_finite() && headers.ms >= 0.0 {
        return Some(headers.ms);
    }
    if !headers.seconds.is_nan() {
        let value = headers.seconds * 1000.0;
        return (value.is_finite() && value >= 0.0).then_some(value);
    }
    let date = Timestamp::parse_http_date(headers.text?).ok()?;
    Some((date.millis() - now.millis()).max(0) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_covers_every_attempt_and_wait() {
        let budget = RetryPolicy::default().budget_ms(60_000.0);
        assert_eq!(budget, 3.0 * 60_000.0 + 2.0 * 33_000.0 + 1000.0);
    }

    fn status(status: u16) -> Attempt {
        Attempt::Status {
            status,
            should_retry: None,
            server_delay_ms: None,
        }
    }

    #[test]
    fn backs_off_with_jitter_and_gives_up_after_max_attempts() {
        let mut retry = Retry::new(RetryPolicy::default());
        assert_eq!(retry.next(status(500), 0.0), Next::RetryAfter(1000.0));
        assert_eq!(retry.next(Attempt::NoAnswer, 0.5), Next::RetryAfter(2100.0));
        assert_eq!(
            retry.next(status(503), 0.0),
            Next::GiveUp(GiveUp::Exhausted)
        );
        assert_eq!(retry.attempts(), 3);
    }

    #[test]
    fn delay_doubles_up_to_the_maximum() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay_ms: 10_000.0,
            max_delay_ms: 30_000.0,
        };
        let mut retry = Retry::new(policy);
        let sleeps: Vec<Next> = (0..4).map(|_| retry.next(Attempt::NoAnswer, 0.0)).collect();
        let expected = [10_000.0, 20_000.0, 30_000.0, 30_000.0].map(Next::RetryAfter);
        assert_eq!(sleeps, expected);
    }

    #[test]
    fn which_statuses_are_retried() {
        for retried in [408, 409, 429, 500, 502, 503, 504, 302] {
            assert!(
                matches!(
                    Retry::new(RetryPolicy::default()).next(status(retried), 0.0),
                    Next::RetryAfter(_)
                ),
                "{retried}"
            );
        }
        for refused in [400, 401, 403, 404, 422] {
            assert_eq!(
                Retry::new(RetryPolicy::default()).next(status(refused), 0.0),
                Next::GiveUp(GiveUp::ClientError(refused))
            );
        }
        assert_eq!(
            Retry::new(RetryPolicy::default()).next(Attempt::Delivered, 0.0),
            Next::Done
        );
    }

    #[test]
    fn x_should_retry_wins_both_ways() {
        let advised = |status, should_retry| Attempt::Status {
            status,
            should_retry: Some(should_retry),
            server_delay_ms: None,
        };
        let mut retry = Retry::new(RetryPolicy::default());
        assert!(matches!(
            retry.next(advised(400, true), 0.0),
            Next::RetryAfter(_)
        ));
        assert_eq!(
            Retry::new(RetryPolicy::default()).next(advised(503, false), 0.0),
            Next::GiveUp(GiveUp::RetryForbidden(503))
        );
        assert_eq!(
            Retry::new(RetryPolicy::default()).next(advised(429, false), 0.0),
            Next::GiveUp(GiveUp::ClientError(429))
        );
    }

    #[test]
    fn server_delay_raises_the_wait_up_to_the_maximum() {
        let delayed = |ms| Attempt::Status {
            status: 429,
            should_retry: None,
            server_delay_ms: Some(ms),
        };
        let mut retry = Retry::new(RetryPolicy::default());
        assert_eq!(retry.next(delayed(5_000.0), 0.0), Next::RetryAfter(5_000.0));
        assert_eq!(
            retry.next(delayed(90_000.0), 0.0),
            Next::RetryAfter(30_000.0),
            "capped"
        );
        assert_eq!(
            retry.next(delayed(1.0), 0.0),
            Next::GiveUp(GiveUp::Exhausted)
        );
        let mut retry = Retry::new(RetryPolicy::default());
        assert_eq!(
            retry.next(delayed(10.0), 0.0),
            Next::RetryAfter(1_000.0),
            "a shorter server delay does not shorten the backoff"
        );
    }

    /// Headers as JS reads them: `Number()` of each trimmed text (NaN when absent or empty).
    fn headers(ms: Option<f64>, retry_after: Option<&str>, seconds: Option<f64>) -> RetryAfter<'_> {
        RetryAfter {
            ms: ms.unwrap_or(f64::NAN),
            seconds: seconds.unwrap_or(f64::NAN),
            text: retry_after,
        }
    }

    #[test]
    fn reads_retry_after_headers_like_the_sdk() {
        let now = Timestamp::parse_http_date("Wed, 25 Nov 2026 02:09:16 GMT").unwrap();
        let delay = |h| server_delay_ms(h, now);
        assert_eq!(
            delay(headers(Some(250.0), Some("9"), Some(9.0))),
            Some(250.0)
        );
        assert_eq!(
            delay(headers(Some(-1.0), Some("2"), Some(2.0))),
            Some(2000.0)
        );
        assert_eq!(delay(headers(None, Some("1.5"), Some(1.5))), Some(1500.0));
        let later = "Wed, 25 Nov 2026 02:09:46 GMT";
        assert_eq!(delay(headers(None, Some(later), None)), Some(30_000.0));
        let earlier = "Wed, 25 Nov 2026 02:00:00 GMT";
        assert_eq!(delay(headers(None, Some(earlier), None)), Some(0.0));
        assert_eq!(delay(headers(None, Some("-3"), Some(-3.0))), None);
        assert_eq!(delay(headers(None, Some("whenever"), None)), None);
        assert_eq!(delay(headers(Some(f64::INFINITY), None, None)), None);
    }

    /// The RFC 9110 example date, 1994-11-06T08:49:37Z, in each form a recipient must accept.
    const EVERY_FORM: [&str; 3] = [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ];

    #[test]
    fn retry_after_dates_in_every_form_count_from_the_hosts_now() {
        let example = 784_111_777_000.0;
        let at = |ms| Timestamp::from_millis(ms).unwrap();
        for date in EVERY_FORM {
            let delay = |now| server_delay_ms(headers(None, Some(date), None), at(now));
            assert_eq!(delay(example - 30_000.0), Some(30_000.0), "{date}");
            assert_eq!(
                delay(example - 1_500.5),
                Some(1_501.0),
                "{date}: now is floored"
            );
            assert_eq!(delay(example), Some(0.0), "{date}");
            assert_eq!(
                delay(example + 60_000.0),
                Some(0.0),
                "{date}: past, no wait"
            );
        }
    }

    #[test]
    fn a_past_date_leaves_the_backoff_as_it_is() {
        let now = Timestamp::from_millis(784_111_777_000.0 + 60_000.0).unwrap();
        let delay = server_delay_ms(headers(None, Some(EVERY_FORM[1]), None), now);
        let attempt = Attempt::Status {
            status: 503,
            should_retry: None,
            server_delay_ms: delay,
        };
        let mut retry = Retry::new(RetryPolicy::default());
        assert_eq!(retry.next(attempt, 0.0), Next::RetryAfter(1_000.0));
    }

    #[test]
    fn a_retry_after_that_is_neither_seconds_nor_a_date_falls_back_to_the_backoff() {
        let now = Timestamp::from_millis(784_111_747_000.0).unwrap();
        for text in [
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sunday, 06 Nov 1994 08:49:37 GMT",
            "Sun Nov 06 08:49:37 94",
            "1994-11-06T08:49:37Z",
            "in a minute",
        ] {
            let delay = server_delay_ms(headers(None, Some(text), None), now);
            assert_eq!(delay, None, "{text}");
            let attempt = Attempt::Status {
                status: 503,
                should_retry: None,
                server_delay_ms: delay,
            };
            let mut retry = Retry::new(RetryPolicy::default());
            assert_eq!(
                retry.next(attempt, 0.0),
                Next::RetryAfter(1_000.0),
                "{text}"
            );
        }
    }

    #[test]
    fn retry_after_ms_and_seconds_still_come_before_a_date() {
        let now = Timestamp::from_millis(784_111_747_000.0).unwrap();
        for date in EVERY_FORM {
            let with_ms = headers(Some(250.0), Some(date), None);
            assert_eq!(server_delay_ms(with_ms, now), Some(250.0), "{date}");
            let bad_ms = headers(Some(-1.0), Some(date), None);
            assert_eq!(server_delay_ms(bad_ms, now), Some(30_000.0), "{date}");
        }
        let seconds = headers(None, Some("2"), Some(2.0));
        assert_eq!(server_delay_ms(seconds, now), Some(2_000.0));
        let negative = headers(None, Some("-3"), Some(-3.0));
        assert_eq!(server_delay_ms(negative, now), None, "not read as a date");
    }

    #[test]
    fn bad_policies_are_refused() {
        for policy in [
            RetryPolicy {
                max_attempts: 0,
                ..RetryPolicy::default()
            },
            RetryPolicy {
                base_delay_ms: -1.0,
                ..RetryPolicy::default()
            },
            RetryPolicy {
                max_delay_ms: f64::INFINITY,
                ..RetryPolicy::default()
            },
        ] {
            assert_eq!(policy.validate(), Err(InputError::BadRetryOption));
        }
    }
}
