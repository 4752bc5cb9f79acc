//! The errors the core reports for bad input. Each names what was wrong; the wasm layer turns
//! them into JS `TypeError`s / `RangeError`s, so nothing reachable from input panics.

use std::fmt;

/// Bad input to the core. Every variant is the caller's mistake, never an internal fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputError {
    /// A trace id that is not `trace_` + 32 lowercase hex digits.
    BadTraceId,
    /// A span id that is not `span_` + 24 lowercase hex digits.
    BadSpanId,
    /// A time that is not finite, outside years 0000–9999, or not `YYYY-MM-DDTHH:MM:SS.sssZ`.
    BadTime,
    /// Span data that is not a JSON object.
    BadSpanData,
    /// Trace metadata that is not a JSON object.
    BadMetadata,
    /// Span error data that is not valid JSON.
    BadErrorData,
    /// A span type code the core does not know.
    UnknownSpanType,
    /// A batch processor option out of range (sizes must be at least 1, the ratio in (0, 1]).
    BadBatchOption,
    /// A handle that names no live object (already shut down, or never created).
    UnknownHandle,
    /// An id was requested before the host seeded the generator.
    NotSeeded,
    /// Text handed over by the host that is not UTF-8 or does not split as described.
    BadText,
    /// Retry options out of range (at least one attempt; finite, non-negative delays).
    BadRetryOption,
    /// Text the host marked as a JSON string literal that is not one.
    BadJsonLiteral,
    /// A sampling ratio outside 0..=1.
    BadRatio,
    /// Tail sampling options out of range (caps at least 1, times not negative).
    BadSamplerOption,
    /// A chain built in the wrong order (a stage after its sinks, a sink twice, no sink).
    BadChain,
    /// A compliance log told to copy a metadata key that redaction treats as sensitive.
    SensitiveKey,
    /// An export item (as a JS stage passed it on) that is not a trace or span item.
    BadItem,
}

impl InputError {
    /// Whether JS should see this as a `RangeError` (a value out of range) rather than a
    /// `TypeError` (a value of the wrong shape).
    pub fn is_range_error(self) -> bool {
        matches!(
            self,
            InputError::BadTime
                | InputError::BadBatchOption
                | InputError::BadRetryOption
                | InputError::BadRatio
                | InputError::BadSamplerOption
        )
    }

    /// What was wrong, for the error message.
    pub fn message(self) -> &'static str {
        match self {
            InputError::BadTraceId => "trace id must be 'trace_' followed by 32 lowercase hex digits",
            InputError::BadSpanId => "span id must be 'span_' followed by 24 lowercase hex digits",
            InputError::BadTime => {
                "time must be an ISO 8601 UTC string like 2026-11-25T02:09:16.873Z within years 0000-9999"
            }
            InputError::BadSpanData => "span data must be a JSON object",
            InputError::BadMetadata => "trace metadata must be a JSON object",
            InputError::BadErrorData => "span error data must be JSON-serializable",
            InputError::UnknownSpanType => "unknown span type",
            InputError::BadBatchOption => {
                "batch options: sizes must be integers >= 1 and exportTriggerRatio in (0, 1]"
            }
            InputError::UnknownHandle => "the processor was already shut down or never created",
            InputError::NotSeeded => "the id generator was used before it was seeded",
            InputError::BadText => "text handed to the core does not match its stated lengths",
            InputError::BadRetryOption => {
                "retry options: maxRetries must be >= 1 and delays finite and >= 0"
            }
            InputError::BadJsonLiteral => "text marked as a JSON string literal is not one",
            InputError::BadRatio => "ratio must be a number from 0 to 1",
            InputError::BadSamplerOption => {
                "tail sampler options: caps must be integers >= 1 and times >= 0 ms"
            }
            InputError::BadItem => {
                "not an export item: a trace or span item in the toJSON() shape, with valid ids, times and span type"
            }
            InputError::SensitiveKey => {
                "a compliance log never copies sensitive values: a key like password, token, api_key, secret or authorization cannot be listed"
            }
            InputError::BadChain => {
                "a chain is stages, then its processors (or one Router): each processor in one chain only"
            }
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for InputError {}
