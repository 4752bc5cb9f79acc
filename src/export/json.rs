//! Writes trace items (`{"object":"trace",...}`) and span items (`{"object":"trace.span",...}`)
//! as compact JSON, byte for byte what `JSON.stringify(item.toJSON())` gives in the JS SDK.

use crate::export::ingest::{flat_metadata, span_field_rule, FieldRule, IngestCounts};
use crate::export::truncate::truncate_str_field;
use crate::json::escape::write_json_str;
pub use crate::json::escape::write_str;
use crate::model::ids::IdText;
use crate::model::records::{SpanError, SpanRecord, TraceRecord};
use crate::model::span_data::{Fields, SpanData, SpanKind};
use crate::model::time::Timestamp;

fn write_key(out: &mut Vec<u8>, key: &str) {
    write_str(out, key);
    out.push(b':');
}

fn write_id<const N: usize>(out: &mut Vec<u8>, id: IdText<N>) {
    out.push(b'"');
    out.extend_from_slice(id.as_str().as_bytes());
    out.push(b'"');
}

/// Writes `,"key":` and the time as an ISO 8601 string, or `null`.
pub fn write_time_field(out: &mut Vec<u8>, key: &str, time: Option<Timestamp>) {
    out.push(b',');
    write_key(out, key);
    write_time(out, time);
}

fn write_time(out: &mut Vec<u8>, time: Option<Timestamp>) {
    match time {
        Some(time) => {
            out.push(b'"');
            out.extend_from_slice(&time.to_iso());
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
}

fn write_raw_field(out: &mut Vec<u8>, key: &str, value: &str) {
    out.push(b',');
    write_key(out, key);
    out.extend_from_slice(value.as_bytes());
}

/// The ingest endpoint's rules, with their counters, when the item is for it; `None`: as is.
pub type Ingest<'a> = Option<&'a mut IngestCounts>;

/// Writes the public fields (keys not starting with `_`) after a leading member, so each is
/// preceded by a comma; under the ingest rules, `input` / `output` are cut to the field limit and
/// a generation's `usage` is reshaped. Kept out of line (as are the other rarer span shapes), so a
/// runtime that compiles wasm functions on first call compiles only the shapes it writes.
#[inline(never)]
fn write_public_fields(out: &mut Vec<u8>, kind: SpanKind, fields: &Fields, ingest: &mut Ingest) {
    for (key, value) in &fields.0 {
        if key.starts_with('_') {
            continue;
        }
        let rule = match ingest.as_deref_mut() {
            Some(counts) => span_field_rule(kind == SpanKind::Generation, key, value, counts),
            None => FieldRule::Keep,
        };
        match rule {
            FieldRule::Keep => write_raw_field(out, key, value),
            FieldRule::Drop => {}
            FieldRule::Replace(value) => write_raw_field(out, key, &value),
        }
    }
}

/// Writes a string field's value, cut to the field limit under the ingest rules.
fn write_limited_str(out: &mut Vec<u8>, text: &str, ingest: &mut Ingest) {
    match ingest.as_deref_mut().and_then(|counts| {
        let cut = truncate_str_field(text)?;
        counts.truncated += 1;
        Some(cut)
    }) {
        Some(cut) => out.extend_from_slice(cut.as_bytes()),
        None => write_str(out, text),
    }
}

/// `{"k":v,...}` of all fields, private ones included (used to rebuild nested objects).
pub fn fields_to_json(fields: &Fields) -> String {
    let mut out = Vec::with_capacity(64);
    out.push(b'{');
    for (i, (key, value)) in fields.0.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_key(&mut out, key);
        out.extend_from_slice(value.as_bytes());
    }
    out.push(b'}');
    String::from_utf8(out).unwrap_or_default()
}

/// Task and turn spans are exported as `custom` spans wrapping the SDK span type.
#[inline(never)]
fn write_wrapped(out: &mut Vec<u8>, kind: SpanKind, fields: &Fields) {
    let (name, kept): (&str, &[&str]) = match kind {
        SpanKind::Task => ("task", &["name", "usage"]),
        _ => ("turn", &["turn", "agent_name", "usage"]),
    };
    out.extend_from_slice(b"{\"type\":\"custom\",\"name\":");
    write_str(out, name);
    out.extend_from_slice(b",\"data\":{\"sdk_span_type\":");
    write_str(out, name);
    for key in kept {
        if let Some(value) = fields.get(key) {
            // The SDK spreads `usage` only when truthy; null/false usage is left out.
            if *key == "usage" && matches!(value, "null" | "false" | "0" | "\"\"") {
                continue;
            }
            write_raw_field(out, key, value);
        }
    }
    out.extend_from_slice(b"}}");
}

/// Writes `span_data`: `{"type":...}` then the fields in the SDK's order.
pub fn write_span_data(out: &mut Vec<u8>, data: &SpanData<'_>, ingest: &mut Ingest) {
    match data {
        SpanData::Function {
            name,
            input,
            output,
        } => {
            // `{type, input, output, ...data}`: the SDK's spread puts `name` last.
            out.extend_from_slice(b"{\"type\":\"function\",\"input\":");
            write_limited_str(out, input, ingest);
            out.extend_from_slice(b",\"output\":");
            write_limited_str(out, output, ingest);
            out.extend_from_slice(b",\"name\":");
            write_str(out, name);
            out.push(b'}');
        }
        SpanData::Fields { kind, fields } => match kind {
            SpanKind::Task | SpanKind::Turn => write_wrapped(out, *kind, fields),
            _ => {
                out.extend_from_slice(b"{\"type\":");
                write_str(out, kind.type_name());
                write_public_fields(out, *kind, fields, ingest);
                out.push(b'}');
            }
        },
    }
}

fn write_error(out: &mut Vec<u8>, error: Option<&SpanError<'_>>) {
    match error {
        None => out.extend_from_slice(b"null"),
        Some(error) => write_error_object(out, error),
    }
}

#[inline(never)]
fn write_error_object(out: &mut Vec<u8>, error: &SpanError<'_>) {
    out.extend_from_slice(b"{\"message\":");
    write_json_str(out, error.message);
    if let Some(data) = error.data {
        write_raw_field(out, "data", data);
    }
    out.push(b'}');
}

/// Writes `{"object":"trace","id","workflow_name","group_id","metadata"}`.
pub fn write_trace_item(out: &mut Vec<u8>, trace: &TraceRecord<'_>) {
    write_trace_item_limited(out, trace, None);
}

/// Writes a trace item, under the ingest endpoint's rules when `ingest` is given (metadata
/// values flattened to strings), counting what they changed.
pub fn write_trace_item_limited(out: &mut Vec<u8>, trace: &TraceRecord<'_>, ingest: Ingest) {
    out.extend_from_slice(b"{\"object\":\"trace\",\"id\":");
    write_id(out, trace.id.text());
    out.extend_from_slice(b",\"workflow_name\":");
    write_json_str(out, trace.workflow_name);
    out.extend_from_slice(b",\"group_id\":");
    match trace.group_id {
        Some(group) => write_json_str(out, group),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"metadata\":");
    match trace.metadata.as_deref() {
        Some(metadata) => {
            let flat = ingest.and_then(|counts| flat_metadata(metadata, &mut counts.flattened));
            out.extend_from_slice(flat.as_deref().unwrap_or(metadata).as_bytes());
        }
        None => out.extend_from_slice(b"{}"),
    }
    out.push(b'}');
}

/// Writes `{"object":"trace.span","id","trace_id","parent_id","started_at","ended_at",
/// "span_data","error"}`.
pub fn write_span_item(out: &mut Vec<u8>, span: &SpanRecord<'_>) {
    write_span_item_limited(out, span, None);
}

/// Writes a span item, under the ingest endpoint's rules when `ingest` is given (as the SDKs'
/// OpenAI exporters send it), counting what they changed.
pub fn write_span_item_limited(out: &mut Vec<u8>, span: &SpanRecord<'_>, mut ingest: Ingest) {
    out.extend_from_slice(b"{\"object\":\"trace.span\",\"id\":");
    write_id(out, span.span_id.text());
    out.extend_from_slice(b",\"trace_id\":");
    write_id(out, span.trace_id.text());
    out.extend_from_slice(b",\"parent_id\":");
    match span.parent_id {
        Some(parent) => write_id(out, parent.text()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"started_at\":");
    write_time(out, span.started_at);
    out.extend_from_slice(b",\"ended_at\":");
    write_time(out, span.ended_at);
    out.extend_from_slice(b",\"span_data\":");
    write_span_data(out, &span.data, &mut ingest);
    out.extend_from_slice(b",\"error\":");
    write_error(out, span.error.as_ref());
    out.push(b'}');
}
