//! Bindings for span events. A span crosses once, when it ends: its ids in the id words, its
//! times as milliseconds, and its strings in the text region (function spans: name, input, output;
//! others: the data's JSON text, then the error's message and data JSON; a message with a lone
//! surrogate comes as a JSON string literal, `MESSAGE_IS_JSON`). These calls take and return
//! numbers only; a failure sets the `ERROR` status bit and is read with `take_error`.

use wasm_bindgen::prelude::*;

use super::state::{
    call_error, put_scratch, seed, span_ids, wants_bits, with_text, CallError, State,
};
use crate::json::escape::JsonStr;
use crate::model::ids::{SpanId, TraceId};
use crate::model::records::{SpanError, SpanRecord, TraceChoices};
use crate::model::sensitive::SensitivePolicy;
use crate::model::span_data::{SpanData, SpanKind};
use crate::model::time::Timestamp;
use crate::provider::span_json as write_span_json;
use crate::text::split;

use crate::abi::span_flag as flag;

/// The ids, times and policy of a span, decoded from words and flags.
struct Head {
    trace_id: TraceId,
    span_id: Option<SpanId>,
    parent_id: Option<SpanId>,
    started_at: Option<Timestamp>,
    ended_at: Option<Timestamp>,
    policy: SensitivePolicy,
    choices: TraceChoices,
}

impl Head {
    /// The span's record with this id, data, error and export key.
    fn record<'a>(
        &self,
        span_id: SpanId,
        data: SpanData<'a>,
        error: Option<SpanError<'a>>,
        api_key: Option<&'a str>,
    ) -> SpanRecord<'a> {
        SpanRecord {
            trace_id: self.trace_id,
            span_id,
            parent_id: self.parent_id,
            started_at: self.started_at,
            ended_at: self.ended_at,
            data,
            error,
            api_key,
            choices: self.choices,
        }
    }
}

/// The trace's choices for the chain's stages, from span flags (or trace flags: the same bits).
pub(crate) fn choices(flags: u32) -> TraceChoices {
    TraceChoices {
        sampled: if flags & flag::SAMPLE_KEEP != 0 {
            Some(true)
        } else if flags & flag::SAMPLE_DROP != 0 {
            Some(false)
        } else {
            None
        },
        hide_inputs: flags & flag::HIDE_INPUTS != 0,
        hide_outputs: flags & flag::HIDE_OUTPUTS != 0,
    }
}

fn time(ms: f64) -> Result<Option<Timestamp>, CallError> {
    if ms.is_nan() {
        Ok(None)
    } else {
        Timestamp::from_millis(ms).map(Some).map_err(call_error)
    }
}

/// The span's ids (from the id words JS wrote), times and policy.
fn head(started: f64, ended: f64, flags: u32) -> Result<Head, CallError> {
    let (t, s, p) = span_ids();
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
        choices: choices(flags),
    })
}

/// The data and error of a generic span from its text: data JSON, message, error data JSON.
fn data_and_error<'a>(
    text: &'a [u8],
    written: u32,
    units: [u32; 3],
    kind: u32,
    flags: u32,
) -> Result<(SpanData<'a>, Option<SpanError<'a>>, Option<&'a str>), CallError> {
    let ([data_json, message, error_data], api_key) =
        split(text, written, units, flags & flag::ASCII != 0).map_err(call_error)?;
    let kind = SpanKind::from_code(kind).map_err(call_error)?;
    let data = SpanData::from_json(kind, data_json).map_err(call_error)?;
    let error = if flags & flag::HAS_ERROR != 0 {
        let message = if flags & flag::MESSAGE_IS_JSON != 0 {
            JsonStr::literal(message).map_err(call_error)?
        } else {
            JsonStr::Text(message)
        };
        Some(SpanError::new(message, error_data).map_err(call_error)?)
    } else {
        None
    };
    Ok((data, error, key(flags, api_key)))
}

/// The span's trace's own export key, when the host sent one (`HAS_KEY`).
fn key(flags: u32, text: &str) -> Option<&str> {
    (flags & flag::HAS_KEY != 0).then_some(text)
}

/// Ends a span: processors see it. A span id made here (none given) is left in the scratch
/// words 0..3. Returns status bits.
fn end(
    state: &mut State,
    head: Head,
    flags: u32,
    data: SpanData<'_>,
    error: Option<SpanError<'_>>,
    api_key: Option<&str>,
) -> Result<u32, CallError> {
    let span_id = match head.span_id {
        Some(id) => id,
        None => {
            seed(state)?;
            let id = state.provider.ids().span_id().map_err(call_error)?;
            put_scratch(&id.to_words());
            id
        }
    };
    let record = head.record(span_id, data, error, api_key);
    let mut json = (flags & flag::WANT_JSON != 0).then(Vec::new);
    let wants = state.provider.end_span(record, head.policy, json.as_mut());
    if let Some(json) = json {
        state.last_json = json;
    }
    Ok(wants_bits(wants))
}

/// Ends a function span whose data is exactly `name`, `input` and `output` strings, given in
/// the text region in that order, then the trace's own export key (with `HAS_KEY`); `written`
/// bytes, with the UTF-16 lengths of the three strings.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn span_end_function(
    started: f64,
    ended: f64,
    flags: u32,
    written: u32,
    name_units: u32,
    input_units: u32,
    output_units: u32,
) -> u32 {
    with_text(|state, text| {
        let head = head(started, ended, flags)?;
        let ([name, input, output], api_key) = split(
            text,
            written,
            [name_units, input_units, output_units],
            flags & flag::ASCII != 0,
        )
        .map_err(call_error)?;
        end(
            state,
            head,
            flags,
            SpanData::Function {
                name,
                input,
                output,
            },
            None,
            key(flags, api_key),
        )
    })
}

/// Ends a span of any kind. The text region holds the data's JSON text, the error message, the
/// error data's JSON text, then the trace's own export key (with `HAS_KEY`); `written` bytes,
/// with the UTF-16 lengths of the first three.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn span_end(
    started: f64,
    ended: f64,
    flags: u32,
    kind: u32,
    written: u32,
    data_units: u32,
    message_units: u32,
    error_data_units: u32,
) -> u32 {
    with_text(|state, text| {
        let head = head(started, ended, flags)?;
        let units = [data_units, message_units, error_data_units];
        let (data, error, api_key) = data_and_error(text, written, units, kind, flags)?;
        end(state, head, flags, data, error, api_key)
    })
}

/// The record of a span that may be unfinished (its id given; times may be NaN) and its policy,
/// from the text region as for `span_end`.
fn open_span(
    text: &[u8],
    [started, ended]: [f64; 2],
    flags: u32,
    kind: u32,
    written: u32,
    units: [u32; 3],
) -> Result<(SpanRecord<'_>, SensitivePolicy), CallError> {
    let head = head(started, ended, flags)?;
    let (data, error, api_key) = data_and_error(text, written, units, kind, flags)?;
    let span_id = head.span_id.unwrap_or(SpanId([0; 12]));
    Ok((head.record(span_id, data, error, api_key), head.policy))
}

/// Starts a span for the processors that asked for span starts: the text region as for
/// `span_end` (the span id must be given). Returns status bits. Only a chain asks, so only the
/// module with the chain has it.
#[cfg(feature = "chain")]
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn span_start(
    started: f64,
    ended: f64,
    flags: u32,
    kind: u32,
    written: u32,
    data_units: u32,
    message_units: u32,
    error_data_units: u32,
) -> u32 {
    let units = [data_units, message_units, error_data_units];
    with_text(|state, text| {
        let (record, policy) = open_span(text, [started, ended], flags, kind, written, units)?;
        Ok(wants_bits(state.provider.start_span(record, policy)))
    })
}

/// The item JSON of a span as it stands (times may be NaN: not yet started / ended), kept for
/// `last_json`; the text region as for `span_end`. The span id must be given.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn span_json(
    started: f64,
    ended: f64,
    flags: u32,
    kind: u32,
    written: u32,
    data_units: u32,
    message_units: u32,
    error_data_units: u32,
) -> u32 {
    let units = [data_units, message_units, error_data_units];
    with_text(|state, text| {
        let (record, policy) = open_span(text, [started, ended], flags, kind, written, units)?;
        state.last_json = write_span_json(record, policy);
        Ok(0)
    })
}
