//! The records processors receive: a started trace, a span error, and a finished span.

use std::borrow::Cow;

use super::ids::{SpanId, TraceId};
use super::span_data::SpanData;
use super::time::Timestamp;
use crate::error::InputError;
use crate::json::escape::JsonStr;
use crate::json::scan::{validate, validate_object};

/// What a trace's own options ask of the processor chain's stages (edgetrace's additions to the
/// SDK's trace options); every span of the trace carries the same.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TraceChoices {
    /// Samplers keep (`Some(true)`) or drop (`Some(false)`) the trace whatever their rules say.
    pub sampled: Option<bool>,
    /// Redactors hide span inputs.
    pub hide_inputs: bool,
    /// Redactors hide span outputs.
    pub hide_outputs: bool,
}

/// A trace as processors see it when it starts (traces carry no times, as in the SDK).
#[derive(Clone, Debug)]
pub struct TraceRecord<'a> {
    /// The trace id.
    pub id: TraceId,
    /// The workflow name.
    pub workflow_name: JsonStr<'a>,
    /// Links traces of one conversation.
    pub group_id: Option<JsonStr<'a>>,
    /// A JSON object's text; `{}` when the caller gave none (the JS SDK's default).
    pub metadata: Option<Cow<'a, str>>,
    /// The trace's own export API key (`tracingApiKey`); never written to an item.
    pub api_key: Option<&'a str>,
    /// What the trace asks of the chain's stages.
    pub choices: TraceChoices,
}

/// Parses trace metadata: it must be a JSON object.
pub fn parse_metadata(json: &str) -> Result<&str, InputError> {
    validate_object(json)
        .map(|()| json)
        .map_err(|_| InputError::BadMetadata)
}

/// A span's error: `{message, data?}`.
#[derive(Debug, Clone)]
pub struct SpanError<'a> {
    /// What went wrong.
    pub message: JsonStr<'a>,
    /// Optional JSON details (raw JSON text).
    pub data: Option<&'a str>,
}

impl<'a> SpanError<'a> {
    /// An error from its message and the JSON text of its data (empty text: no data).
    pub fn new(message: JsonStr<'a>, data_json: &'a str) -> Result<Self, InputError> {
        let data = if data_json.is_empty() {
            None
        } else {
            validate(data_json).map_err(|_| InputError::BadErrorData)?;
            Some(data_json)
        };
        Ok(SpanError { message, data })
    }
}

/// A span as processors and exporters see it: finished (both times set) when it reaches
/// `on_span_end`; a preview of an open span has `ended_at` (and maybe `started_at`) unset.
#[derive(Clone, Debug)]
pub struct SpanRecord<'a> {
    /// The trace this span belongs to.
    pub trace_id: TraceId,
    /// This span's id.
    pub span_id: SpanId,
    /// The enclosing span, or `None` for a top-level span.
    pub parent_id: Option<SpanId>,
    /// When the span started.
    pub started_at: Option<Timestamp>,
    /// When it ended (never before `started_at`).
    pub ended_at: Option<Timestamp>,
    /// The span's data, read at end.
    pub data: SpanData<'a>,
    /// The recorded error, if any.
    pub error: Option<SpanError<'a>>,
    /// The span's trace's own export API key, if it has one; never written to an item.
    pub api_key: Option<&'a str>,
    /// What the span's trace asks of the chain's stages.
    pub choices: TraceChoices,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_must_be_an_object() {
        assert!(parse_metadata(r#" {"a":"b"}"#).is_ok());
        for bad in ["[1]", "\"x\"", "null", "{"] {
            assert_eq!(parse_metadata(bad).unwrap_err(), InputError::BadMetadata);
        }
    }

    #[test]
    fn error_data_is_optional_json() {
        assert!(SpanError::new("boom".into(), "").unwrap().data.is_none());
        assert_eq!(
            SpanError::new("boom".into(), r#"{"x":1}"#)
                .unwrap()
                .data
                .unwrap(),
            r#"{"x":1}"#
        );
        assert_eq!(
            SpanError::new("boom".into(), "{x").unwrap_err(),
            InputError::BadErrorData
        );
    }
}
