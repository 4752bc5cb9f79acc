//! Bindings for trace events: start (fan-out to processors), end, and the item JSON.

use wasm_bindgen::prelude::*;

use super::state::{
    call_error, fallible, point_output, put_scratch, seed, set_output, wants_bits, with_state,
    with_text, CallError,
};
use crate::json::escape::JsonStr;
use crate::model::ids::TraceId;
use crate::model::records::{parse_metadata, TraceChoices, TraceRecord};
use crate::provider::trace_json as write_trace_json;
use crate::text::split;

use super::spans::choices;

use crate::abi::{span_flag, trace_flag as flag};

fn option(flags: u32, has: u32, value: u32) -> Option<bool> {
    (flags & has != 0).then_some(flags & value != 0)
}

/// The sensitive-data policy of a new trace, from its own options (flags) and the global
/// switches, as span flags (`INCLUDE_DATA`, `INCLUDE_AUDIO`).
#[wasm_bindgen]
pub fn policy_bits(flags: u32) -> u32 {
    with_state(|s| {
        let policy = s.provider.policy_for(
            option(flags, flag::HAS_DATA_OPTION, flag::DATA_VALUE),
            option(flags, flag::HAS_AUDIO_OPTION, flag::AUDIO_VALUE),
        );
        (if policy.include_data {
            span_flag::INCLUDE_DATA
        } else {
            0
        }) | (if policy.include_audio {
            span_flag::INCLUDE_AUDIO
        } else {
            0
        })
    })
}

/// A name as the host sent it: text, or (`names_are_json`) a JSON string literal.
fn name_text(text: &str, names_are_json: bool) -> Result<JsonStr<'_>, CallError> {
    if names_are_json {
        JsonStr::literal(text).map_err(call_error)
    } else {
        Ok(JsonStr::Text(text))
    }
}

fn record<'a>(
    id: TraceId,
    [name, group_id, metadata_json]: [&'a str; 3],
    names_are_json: bool,
) -> Result<TraceRecord<'a>, CallError> {
    Ok(TraceRecord {
        id,
        workflow_name: name_text(name, names_are_json)?,
        group_id: if group_id.is_empty() {
            None
        } else {
            Some(name_text(group_id, names_are_json)?)
        },
        metadata: if metadata_json.is_empty() {
            None
        } else {
            Some(parse_metadata(metadata_json).map_err(call_error)?.into())
        },
        api_key: None,
        choices: TraceChoices::default(),
    })
}

/// Starts a trace: processors see it. The id comes from the words when `ID_GIVEN`, else a new
/// one is made; either way it is left in the scratch words 0..4. The text region holds the
/// workflow name, the group id ('' for none), the metadata JSON ('' for `{}`) and the trace's own
/// export key (with `HAS_KEY`), with the UTF-16 lengths of the first three; with `NAMES_ARE_JSON`
/// the name and group id are JSON string literals (text with a lone surrogate). Returns status
/// bits (`ERROR`: see `take_error`).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn trace_start(
    w0: u32,
    w1: u32,
    w2: u32,
    w3: u32,
    flags: u32,
    written: u32,
    name_units: u32,
    group_units: u32,
    metadata_units: u32,
) -> u32 {
    with_text(|s, text| {
        let (fields, api_key) = split(
            text,
            written,
            [name_units, group_units, metadata_units],
            flags & flag::ASCII != 0,
        )
        .map_err(call_error)?;
        let id = if flags & flag::ID_GIVEN != 0 {
            TraceId::from_words([w0, w1, w2, w3])
        } else {
            seed(s)?;
            s.provider.ids().trace_id().map_err(call_error)?
        };
        let trace = TraceRecord {
            api_key: (flags & flag::HAS_KEY != 0).then_some(api_key),
            choices: choices(flags),
            ..record(id, fields, flags & flag::NAMES_ARE_JSON != 0)?
        };
        if flags & flag::WANT_JSON != 0 {
            s.last_json = write_trace_json(&trace);
        }
        let wants = s.provider.start_trace(&trace);
        put_scratch(&id.to_words());
        Ok(wants_bits(wants))
    })
}

/// Ends a trace: processors see it. Returns status bits.
#[wasm_bindgen]
pub fn trace_end(w0: u32, w1: u32, w2: u32, w3: u32) -> u32 {
    with_state(|s| wants_bits(s.provider.end_trace(TraceId::from_words([w0, w1, w2, w3]))))
}

/// The item JSON of a trace, as the output (`names_are_json`: as for `trace_start`).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn trace_json(
    w0: u32,
    w1: u32,
    w2: u32,
    w3: u32,
    name: &str,
    group_id: &str,
    metadata_json: &str,
    names_are_json: bool,
) -> f64 {
    fallible(|s| {
        let trace = record(
            TraceId::from_words([w0, w1, w2, w3]),
            [name, group_id, metadata_json],
            names_are_json,
        )?;
        set_output(s, write_trace_json(&trace));
        Ok(0.0)
    })
}

/// Points the output words at the item JSON kept by the last call that asked for it
/// (`WANT_JSON`).
#[wasm_bindgen]
pub fn last_json() {
    with_state(|s| point_output(&s.last_json));
}
