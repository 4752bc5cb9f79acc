//! Span data: the span type and its fields, as the Agents SDK shapes them. Free-form data keeps
//! its top-level keys in order with each value as the raw JSON text JS produced, so values are
//! exported byte for byte as `JSON.stringify` wrote them.

use std::borrow::Cow;

use crate::error::InputError;
use crate::json::scan::{object_members, Member};

/// The span types of the Agents SDK (`task` and `turn` are exported as `custom`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// An agent run: `name`, `handoffs?`, `tools?`, `output_type?`.
    Agent,
    /// A tool call: `name`, `input`, `output`, `mcp_data?`.
    Function,
    /// A model call: `input?`, `output?`, `model?`, `model_config?`, `usage?`.
    Generation,
    /// A Responses API call: `response_id?` (private `_input` / `_response` never exported).
    Response,
    /// A handoff: `from_agent?`, `to_agent?`.
    Handoff,
    /// A guardrail check: `name`, `triggered`.
    Guardrail,
    /// User-defined: `name`, `data`.
    Custom,
    /// Listing an MCP server's tools: `server?`, `result?`.
    McpTools,
    /// Speech to text: `input: {data, format}`, `output?`, `model?`, `model_config?`.
    Transcription,
    /// Text to speech: `input?`, `output: {data, format}`, `model?`, `model_config?`.
    Speech,
    /// A group of speech spans: `input?`.
    SpeechGroup,
    /// A whole agent task (exported as `custom` with `data.sdk_span_type = "task"`).
    Task,
    /// One turn of an agent loop (exported as `custom` with `data.sdk_span_type = "turn"`).
    Turn,
}

impl SpanKind {
    /// Every kind, in code order (the code is the index).
    pub const ALL: [SpanKind; 13] = [
        SpanKind::Agent,
        SpanKind::Function,
        SpanKind::Generation,
        SpanKind::Response,
        SpanKind::Handoff,
        SpanKind::Guardrail,
        SpanKind::Custom,
        SpanKind::McpTools,
        SpanKind::Transcription,
        SpanKind::Speech,
        SpanKind::SpeechGroup,
        SpanKind::Task,
        SpanKind::Turn,
    ];

    /// The kind for a numeric code (how the kind crosses the wasm boundary).
    pub fn from_code(code: u32) -> Result<Self, InputError> {
        Self::ALL
            .get(code as usize)
            .copied()
            .ok_or(InputError::UnknownSpanType)
    }

    /// The kind whose `type` string this is (`task` and `turn` are exported as `custom`, so an
    /// exported item of theirs reads back as `Custom`, which exports the same).
    pub fn from_type_name(name: &str) -> Result<Self, InputError> {
        Self::ALL
            .iter()
            .copied()
            .find(|kind| kind.type_name() == name)
            .ok_or(InputError::UnknownSpanType)
    }

    /// The SDK's `type` string for this kind.
    pub fn type_name(self) -> &'static str {
        match self {
            SpanKind::Agent => "agent",
            SpanKind::Function => "function",
            SpanKind::Generation => "generation",
            SpanKind::Response => "response",
            SpanKind::Handoff => "handoff",
            SpanKind::Guardrail => "guardrail",
            SpanKind::Custom => "custom",
            SpanKind::McpTools => "mcp_tools",
            SpanKind::Transcription => "transcription",
            SpanKind::Speech => "speech",
            SpanKind::SpeechGroup => "speech_group",
            SpanKind::Task => "task",
            SpanKind::Turn => "turn",
        }
    }
}

/// One top-level field of span data: its key and its value as raw JSON text.
pub type Field<'a> = Member<'a>;

/// Top-level fields of a JSON object, in their original order, values as raw JSON text.
#[derive(Clone, Debug, Default)]
pub struct Fields<'a>(pub Vec<Field<'a>>);

impl<'a> Fields<'a> {
    /// Parses a JSON object, keeping key order and each value's raw text (no copies).
    pub fn parse_object(json: &'a str) -> Result<Self, InputError> {
        object_members(json)
            .map(Fields)
            .map_err(|_| InputError::BadSpanData)
    }

    /// The raw value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    /// Removes `key`; returns whether it was present.
    pub fn remove(&mut self, key: &str) -> bool {
        let before = self.0.len();
        self.0.retain(|(k, _)| k != key);
        self.0.len() != before
    }

    /// Replaces the raw value of `key` if present.
    pub fn replace(&mut self, key: &str, value: Cow<'a, str>) {
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value;
        }
    }
}

/// The data of a span, read when the span ends.
#[derive(Clone, Debug)]
pub enum SpanData<'a> {
    /// The fast path for the most common span: a function span whose data is exactly
    /// `name`, `input` and `output` strings (typed arguments, no JSON parsing).
    Function {
        /// The tool's name.
        name: &'a str,
        /// The tool's input (`''` by default, and when sensitive data is off).
        input: &'a str,
        /// The tool's output (`''` by default, and when sensitive data is off).
        output: &'a str,
    },
    /// Any span type with free-form fields (the `type` key excluded).
    Fields {
        /// The span type.
        kind: SpanKind,
        /// The other top-level fields, in order.
        fields: Fields<'a>,
    },
}

impl<'a> SpanData<'a> {
    /// The span type.
    pub fn kind(&self) -> SpanKind {
        match self {
            SpanData::Function { .. } => SpanKind::Function,
            SpanData::Fields { kind, .. } => *kind,
        }
    }

    /// Span data of `kind` from the JSON text of the JS data object (its `type` key is ignored:
    /// the kind given by the span factory wins).
    pub fn from_json(kind: SpanKind, json: &'a str) -> Result<Self, InputError> {
        let mut fields = Fields::parse_object(json)?;
        fields.remove("type");
        Ok(SpanData::Fields { kind, fields })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for (code, kind) in SpanKind::ALL.iter().enumerate() {
            assert_eq!(SpanKind::from_code(code as u32), Ok(*kind));
        }
        assert_eq!(SpanKind::from_code(13), Err(InputError::UnknownSpanType));
    }

    #[test]
    fn fields_keep_order_and_raw_text() {
        let fields = Fields::parse_object(r#"{"b":1.50,"a":{"x":[1, 2]},"_p":"s"}"#).unwrap();
        let keys: Vec<&str> = fields.0.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["b", "a", "_p"]);
        assert_eq!(fields.get("a").unwrap(), r#"{"x":[1, 2]}"#);
        assert_eq!(fields.get("b").unwrap(), "1.50");
    }

    #[test]
    fn non_objects_are_rejected() {
        for bad in ["[]", "1", "\"s\"", "null", "{", "{\"a\":}"] {
            assert_eq!(
                Fields::parse_object(bad).unwrap_err(),
                InputError::BadSpanData,
                "{bad}"
            );
        }
    }

    #[test]
    fn from_json_drops_the_type_key() {
        let data = SpanData::from_json(SpanKind::Agent, r#"{"type":"custom","name":"A"}"#).unwrap();
        match data {
            SpanData::Fields { kind, fields } => {
                assert_eq!(kind, SpanKind::Agent);
                assert_eq!(fields.0.len(), 1);
            }
            SpanData::Function { .. } => panic!("expected fields"),
        }
    }
}
