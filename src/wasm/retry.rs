//! Bindings for export retries: one retry state per export in flight, by handle; the host makes
//! the requests and sleeps, the core decides what follows each attempt. Failures return NaN
//! (see `state`).

use wasm_bindgen::prelude::*;

use super::state::{call_error, fallible, free_slot, insert_slot, with_state, CallError};
use crate::error::InputError;
use crate::export::retry::{
    server_delay_ms, Attempt, GiveUp, Next, Retry, RetryAfter, RetryPolicy,
};
use crate::model::time::Timestamp;

use crate::abi::{attempt, retry_answer};

fn policy(
    max_attempts: u32,
    base_delay_ms: f64,
    max_delay_ms: f64,
) -> Result<RetryPolicy, CallError> {
    RetryPolicy {
        max_attempts,
        base_delay_ms,
        max_delay_ms,
    }
    .validate()
    .map_err(call_error)
}

/// Checks retry options (a RangeError naming what is wrong).
#[wasm_bindgen]
pub fn retry_check(max_attempts: u32, base_delay_ms: f64, max_delay_ms: f64) -> f64 {
    fallible(|_| policy(max_attempts, base_delay_ms, max_delay_ms).map(|_| 0.0))
}

/// The longest one export with these options can take, each request bounded by
/// `request_timeout_ms` (see `RetryPolicy::budget_ms`).
#[wasm_bindgen]
pub fn retry_budget(
    max_attempts: u32,
    base_delay_ms: f64,
    max_delay_ms: f64,
    request_timeout_ms: f64,
) -> f64 {
    fallible(|_| {
        policy(max_attempts, base_delay_ms, max_delay_ms)
            .map(|policy| policy.budget_ms(request_timeout_ms))
    })
}

/// Starts the attempts of one export; returns its handle.
#[wasm_bindgen]
pub fn retry_begin(max_attempts: u32, base_delay_ms: f64, max_delay_ms: f64) -> f64 {
    fallible(|s| {
        let retry = Retry::new(policy(max_attempts, base_delay_ms, max_delay_ms)?);
        Ok(f64::from(insert_slot(&mut s.retries, retry)))
    })
}

/// What follows an attempt. `outcome`: an `abi::attempt` code.
/// `should_retry`: the `x-should-retry` header (absent: `None`). `retry_after_ms` and
/// `retry_after_seconds`: JS `Number()` of those headers' trimmed text (NaN when absent or
/// empty); `retry_after`: that header's trimmed text, for its HTTP-date form. `now` is for
/// HTTP-date waits, `jitter` a random number in [0, 1). Returns a wait in milliseconds (>= 0),
/// or an `abi::retry_answer` code (NaN: see `state`).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn retry_next(
    handle: u32,
    outcome: u32,
    status: u16,
    should_retry: Option<String>,
    retry_after_ms: f64,
    retry_after_seconds: f64,
    retry_after: Option<String>,
    now: f64,
    jitter: f64,
) -> f64 {
    fallible(|s| {
        let now = Timestamp::from_millis(now).map_err(call_error)?;
        let attempt = match outcome {
            attempt::DELIVERED => Attempt::Delivered,
            attempt::STATUS => Attempt::Status {
                status,
                should_retry: should_retry.as_deref().map(str::trim).and_then(|advice| {
                    if advice.eq_ignore_ascii_case("true") {
                        Some(true)
                    } else if advice.eq_ignore_ascii_case("false") {
                        Some(false)
                    } else {
                        None
                    }
                }),
                server_delay_ms: server_delay_ms(
                    RetryAfter {
                        ms: retry_after_ms,
                        seconds: retry_after_seconds,
                        text: retry_after.as_deref(),
                    },
                    now,
                ),
            },
            _ => Attempt::NoAnswer,
        };
        let retry = s
            .retries
            .get_mut(handle as usize)
            .and_then(Option::as_mut)
            .ok_or_else(|| call_error(InputError::UnknownHandle))?;
        Ok(match retry.next(attempt, jitter) {
            Next::RetryAfter(ms) => ms,
            Next::Done => retry_answer::DONE.into(),
            Next::GiveUp(GiveUp::ClientError(_)) => retry_answer::CLIENT_ERROR.into(),
            Next::GiveUp(GiveUp::RetryForbidden(_)) => retry_answer::RETRY_FORBIDDEN.into(),
            Next::GiveUp(GiveUp::Exhausted) => retry_answer::EXHAUSTED.into(),
        })
    })
}

/// Ends an export's attempts (frees the handle).
#[wasm_bindgen]
pub fn retry_end(handle: u32) {
    with_state(|s| free_slot(&mut s.retries, handle));
}
