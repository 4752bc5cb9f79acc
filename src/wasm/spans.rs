//! Bindings for span events. A span crosses once, when it ends: its ids as words, its times as
//! milliseconds, its data as typed strings (function spans) or as one JSON text.

use wasm_bindgen::prelude::*;

use super::state::{js_error, put_scratch, seed, wants_bits, with_state, State};
use crate::model::ids::{SpanId, TraceId};
use crate::model::records::{SpanError, SpanRecord};
use crate::model::sensitive::SensitivePolicy;
use crate::model::span_data::{SpanData, SpanKind};
use crate::model::time::Timestamp;
use crate::provider::span_json as write_span_json;

/// Input flags of the span calls.
mod flag {
    pub const SPAN_ID_GIVEN: u32 = 1;
    pub const HAS_PARENT: u32 = 2;
    pub const INCLUDE_DATA: u32 = 4;
    pub const INCLUDE_AUDIO: u32 = 8;
    pub const WANT_JSON: u32 = 16;
    pub const HAS_ERROR: u32 = 32;
}

/// The ids, times and policy of a span, decoded from words and flags.
struct Head {
    trace_id: TraceId,
    span_id: Option<SpanId>,
    parent_id: Option<SpanId>,
    started_at: Option<Timestamp>,
    ended_at: Option<Timestamp>,
    policy: SensitivePolicy,
}

fn time(ms: f64) -> Result<Option<Timestamp>, JsValue> {
    if ms.is_nan() {
        Ok(None)
    } else {
        Timestamp::from_millis(ms).map(Some).map_err(js_error)
    }
}

#[allow(clippy::too_many_arguments)]
fn head(
    t: [u32; 4],
    s: [u32; 3],
    p: [u32; 3],
    started: f64,
    ended: f64,
    flags: u32,
) -> Result<Head, JsValue> {
    Ok(Head {
        trace_id: TraceId::from_words(t),
        span_id: (flags & flag::SPAN_ID_GIVEN != 0).then(|| SpanId::from_words(s)),
        parent_id: (flags & flag::HAS_PARENT != 0).then(|| SpanId::from_words(p)),
        started_at: time(started)?,
        ended_at: time(ended)?,
        policy: SensitivePolicy {
            include_data: flags & flag::INCLUDE_DATA != 0,
            include_audio: flags & flag::INCLUDE_AUDIO != 0,
        },
    })
}

fn error<'a>(
    flags: u32,
    message: &'a str,
    data: &'a str,
) -> Result<Option<SpanError<'a>>, JsValue> {
    if flags & flag::HAS_ERROR == 0 {
        return Ok(None);
    }
    SpanError::new(message, data).map(Some).map_err(js_error)
}

/// Ends a span: processors see it. A span id made here (none given) is left in the scratch
/// words 0..3. Returns status bits.
fn end(
    state: &mut State,
    head: Head,
    flags: u32,
    data: SpanData<'_>,
    error: Option<SpanError<'_>>,
) -> Result<u32, JsValue> {
    let span_id = match head.span_id {
        Some(id) => id,
        None => {
            seed(state)?;
            let id = state.provider.ids().span_id().map_err(js_error)?;
            put_scratch(&id.to_words());
            id
        }
    };
    let record = SpanRecord {
        trace_id: head.trace_id,
        span_id,
        parent_id: head.parent_id,
        started_at: head.started_at,
        ended_at: head.ended_at,
        data,
        error,
    };
    let mut json = (flags & flag::WANT_JSON != 0).then(Vec::new);
    let wants = state.provider.end_span(record, head.policy, json.as_mut());
    if let Some(json) = json {
        state.last_json = json;
    }
    Ok(wants_bits(wants))
}

/// Ends a function span whose data is exactly `name`, `input` and `output` strings.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn span_end_function(
    t0: u32,
    t1: u32,
    t2: u32,
    t3: u32,
    s0: u32,
    s1: u32,
    s2: u32,
    p0: u32,
    p1: u32,
    p2: u32,
    started: f64,
    ended: f64,
    flags: u32,
    name: &str,
    input: &str,
    output: &str,
) -> Result<u32, JsValue> {
    let head = head(
        [t0, t1, t2, t3],
        [s0, s1, s2],
        [p0, p1, p2],
        started,
        ended,
        flags,
    )?;
    let data = SpanData::Function {
        name,
        input,
        output,
    };
    with_state(|s| end(s, head, flags, data, None))
}

/// Ends a span of any kind, its data given as the JSON text of an object.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn span_end(
    t0: u32,
    t1: u32,
    t2: u32,
    t3: u32,
    s0: u32,
    s1: u32,
    s2: u32,
    p0: u32,
    p1: u32,
    p2: u32,
    started: f64,
    ended: f64,
    flags: u32,
    kind: u32,
    data_json: &str,
    error_message: &str,
    error_data: &str,
) -> Result<u32, JsValue> {
    let head = head(
        [t0, t1, t2, t3],
        [s0, s1, s2],
        [p0, p1, p2],
        started,
        ended,
        flags,
    )?;
    let kind = SpanKind::from_code(kind).map_err(js_error)?;
    let data = SpanData::from_json(kind, data_json).map_err(js_error)?;
    let error = error(flags, error_message, error_data)?;
    with_state(|s| end(s, head, flags, data, error))
}

/// The item JSON of a span as it stands (times may be NaN: not yet started / ended). The span
/// id must be given.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn span_json(
    t0: u32,
    t1: u32,
    t2: u32,
    t3: u32,
    s0: u32,
    s1: u32,
    s2: u32,
    p0: u32,
    p1: u32,
    p2: u32,
    started: f64,
    ended: f64,
    flags: u32,
    kind: u32,
    data_json: &str,
    error_message: &str,
    error_data: &str,
) -> Result<String, JsValue> {
    let head = head(
        [t0, t1, t2, t3],
        [s0, s1, s2],
        [p0, p1, p2],
        started,
        ended,
        flags,
    )?;
    let kind = SpanKind::from_code(kind).map_err(js_error)?;
    let data = SpanData::from_json(kind, data_json).map_err(js_error)?;
    let record = SpanRecord {
        trace_id: head.trace_id,
        span_id: head.span_id.unwrap_or(SpanId([0; 12])),
        parent_id: head.parent_id,
        started_at: head.started_at,
        ended_at: head.ended_at,
        data,
        error: error(flags, error_message, error_data)?,
    };
    Ok(String::from_utf8_lossy(&write_span_json(record, head.policy)).into_owned())
}
