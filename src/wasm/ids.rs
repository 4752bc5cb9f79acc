//! Bindings for ids and times: generate, parse and format (ids cross as 32-bit words through
//! the scratch area, texts through the output words; failures return NaN, see `state`).

use wasm_bindgen::prelude::*;

use super::state::{call_error, fallible, put_scratch, seed, set_output, with_state};
use crate::model::ids::{SpanId, TraceId};
use crate::model::time::Timestamp;

/// A new span id, written to the scratch words 0..3.
#[wasm_bindgen]
pub fn new_span_id() -> f64 {
    fallible(|s| {
        seed(s)?;
        let id = s.provider.ids().span_id().map_err(call_error)?;
        put_scratch(&id.to_words());
        Ok(0.0)
    })
}

/// A new trace id, written to the scratch words 0..4.
#[wasm_bindgen]
pub fn new_trace_id() -> f64 {
    fallible(|s| {
        seed(s)?;
        let id = s.provider.ids().trace_id().map_err(call_error)?;
        put_scratch(&id.to_words());
        Ok(0.0)
    })
}

/// A new group id, `group_` + 24 hex, as the output.
#[wasm_bindgen]
pub fn new_group_id() -> f64 {
    fallible(|s| {
        seed(s)?;
        let id = s.provider.ids().group_id().map_err(call_error)?;
        set_output(s, id.as_str().as_bytes().to_vec());
        Ok(0.0)
    })
}

/// Parses a trace id into the scratch words 0..4.
#[wasm_bindgen]
pub fn parse_trace_id(text: &str) -> f64 {
    fallible(|_| {
        let id = TraceId::parse(text).map_err(call_error)?;
        put_scratch(&id.to_words());
        Ok(0.0)
    })
}

/// Parses a span id into the scratch words 0..3.
#[wasm_bindgen]
pub fn parse_span_id(text: &str) -> f64 {
    fallible(|_| {
        let id = SpanId::parse(text).map_err(call_error)?;
        put_scratch(&id.to_words());
        Ok(0.0)
    })
}

/// `trace_<32 hex>` from its words, as the output.
#[wasm_bindgen]
pub fn format_trace_id(w0: u32, w1: u32, w2: u32, w3: u32) {
    let text = TraceId::from_words([w0, w1, w2, w3]).text();
    with_state(|s| set_output(s, text.as_str().as_bytes().to_vec()));
}

/// `span_<24 hex>` from its words, as the output.
#[wasm_bindgen]
pub fn format_span_id(w0: u32, w1: u32, w2: u32) {
    let text = SpanId::from_words([w0, w1, w2]).text();
    with_state(|s| set_output(s, text.as_str().as_bytes().to_vec()));
}

/// Milliseconds since the epoch from an ISO 8601 UTC string.
#[wasm_bindgen]
pub fn parse_time(text: &str) -> f64 {
    fallible(|_| {
        Timestamp::parse_iso(text)
            .map(|t| t.millis() as f64)
            .map_err(call_error)
    })
}

/// The ISO 8601 UTC string of a time in milliseconds, as the output.
#[wasm_bindgen]
pub fn format_time(ms: f64) -> f64 {
    fallible(|s| {
        let time = Timestamp::from_millis(ms).map_err(call_error)?;
        set_output(s, time.to_iso().to_vec());
        Ok(0.0)
    })
}

/// Seeds the id generator with 64 bits of entropy the host already has at hand (Node reads
/// `/dev/urandom`), unless it is seeded: then `crypto.getRandomValues` is never needed.
#[wasm_bindgen]
pub fn seed_ids(high: u32, low: u32) {
    with_state(|s| {
        if !s.provider.ids().is_seeded() {
            s.provider
                .ids()
                .seed((u64::from(high) << 32) | u64::from(low));
        }
    });
}
