//! The sensitive-data switches, applied when a span ends: what a span keeps when model and tool
//! data (`include_data`) or audio (`include_audio`) must not be recorded.

use std::borrow::Cow;

use super::records::SpanError;
use super::span_data::{Fields, SpanData, SpanKind};
use crate::export::json::fields_to_json;

/// The message a function span's error gets when sensitive data is off (the SDKs' text).
pub const REDACTED_TOOL_ERROR_MESSAGE: &str = "Tool execution failed. Error details are redacted.";

/// What may be recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SensitivePolicy {
    /// Model and tool inputs/outputs (function input/output, generation input/output, response
    /// payloads, voice transcripts).
    pub include_data: bool,
    /// Audio payloads of transcription and speech spans.
    pub include_audio: bool,
}

impl SensitivePolicy {
    /// Record everything (the SDK's default).
    pub const ALL: SensitivePolicy = SensitivePolicy {
        include_data: true,
        include_audio: true,
    };
}

/// The raw JSON text of an empty string.
const EMPTY_STRING: &str = "\"\"";

/// Blanks `data` inside the object at `key` (audio payload `{data, format}`), keeping the rest.
fn blank_audio(fields: &mut Fields<'_>, key: &str) {
    let Some(raw) = fields.get(key) else { return };
    let Ok(mut inner) = Fields::parse_object(raw) else {
        return;
    };
    if inner.get("data").is_none() {
        return;
    }
    inner.replace("data", Cow::Borrowed(EMPTY_STRING));
    let rebuilt = fields_to_json(&inner);
    fields.replace(key, Cow::Owned(rebuilt));
}

/// Applies the policy to a span's data and error.
pub fn apply(policy: SensitivePolicy, data: &mut SpanData<'_>, error: &mut Option<SpanError<'_>>) {
    if !policy.include_data {
        match data {
            SpanData::Function { input, output, .. } => {
                *input = "";
                *output = "";
            }
            SpanData::Fields { kind, fields } => match kind {
                SpanKind::Function => {
                    fields.replace("input", Cow::Borrowed(EMPTY_STRING));
                    fields.replace("output", Cow::Borrowed(EMPTY_STRING));
                }
                SpanKind::Generation => {
                    fields.remove("input");
                    fields.remove("output");
                }
                SpanKind::Response => {
                    fields.remove("_input");
                    fields.remove("_response");
                }
                SpanKind::Transcription => {
                    fields.remove("output");
                }
                SpanKind::Speech | SpanKind::SpeechGroup => {
                    fields.remove("input");
                }
                _ => {}
            },
        }
        if data.kind() == SpanKind::Function {
            if let Some(err) = error {
                err.message = REDACTED_TOOL_ERROR_MESSAGE.into();
                err.data = None;
            }
        }
    }
    if !policy.include_audio {
        if let SpanData::Fields { kind, fields } = data {
            match kind {
                SpanKind::Transcription => blank_audio(fields, "input"),
                SpanKind::Speech => blank_audio(fields, "output"),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_of(data: &SpanData<'_>) -> String {
        match data {
            SpanData::Fields { fields, .. } => fields_to_json(fields),
            SpanData::Function {
                name,
                input,
                output,
            } => format!("{name}|{input}|{output}"),
        }
    }

    const OFF: SensitivePolicy = SensitivePolicy {
        include_data: false,
        include_audio: true,
    };

    #[test]
    fn function_fast_path_blanks_input_and_output() {
        let mut data = SpanData::Function {
            name: "t",
            input: "secret",
            output: "secret",
        };
        let mut error = Some(SpanError::new("leak: secret".into(), r#"{"x":1}"#).unwrap());
        apply(OFF, &mut data, &mut error);
        assert_eq!(fields_of(&data), "t||");
        let error = error.unwrap();
        assert_eq!(error.message, REDACTED_TOOL_ERROR_MESSAGE.into());
        assert!(error.data.is_none());
    }

    #[test]
    fn generic_spans_drop_their_sensitive_fields() {
        let cases = [
            (
                SpanKind::Function,
                r#"{"input":"s","output":"s","name":"t","mcp_data":{}}"#,
                r#"{"input":"","output":"","name":"t","mcp_data":{}}"#,
            ),
            (
                SpanKind::Generation,
                r#"{"input":[1],"output":[2],"model":"m"}"#,
                r#"{"model":"m"}"#,
            ),
            (
                SpanKind::Response,
                r#"{"response_id":"r","_input":[1],"_response":{}}"#,
                r#"{"response_id":"r"}"#,
            ),
            (
                SpanKind::Transcription,
                r#"{"input":{"data":"a","format":"pcm"},"output":"t"}"#,
                r#"{"input":{"data":"a","format":"pcm"}}"#,
            ),
            (
                SpanKind::Speech,
                r#"{"input":"t","output":{"data":"a","format":"pcm"}}"#,
                r#"{"output":{"data":"a","format":"pcm"}}"#,
            ),
            (SpanKind::SpeechGroup, r#"{"input":"t"}"#, "{}"),
            (SpanKind::Agent, r#"{"name":"a"}"#, r#"{"name":"a"}"#),
        ];
        for (kind, input, expected) in cases {
            let mut data = SpanData::from_json(kind, input).unwrap();
            apply(OFF, &mut data, &mut None);
            assert_eq!(fields_of(&data), expected, "{kind:?}");
        }
    }

    #[test]
    fn audio_switch_blanks_audio_only() {
        let policy = SensitivePolicy {
            include_data: true,
            include_audio: false,
        };
        let mut data = SpanData::from_json(
            SpanKind::Speech,
            r#"{"input":"hello","output":{"data":"AAAA","format":"pcm"}}"#,
        )
        .unwrap();
        apply(policy, &mut data, &mut None);
        assert_eq!(
            fields_of(&data),
            r#"{"input":"hello","output":{"data":"","format":"pcm"}}"#
        );
    }

    #[test]
    fn everything_on_changes_nothing() {
        let json = r#"{"input":[1],"output":[2]}"#;
        let mut data = SpanData::from_json(SpanKind::Generation, json).unwrap();
        apply(SensitivePolicy::ALL, &mut data, &mut None);
        assert_eq!(fields_of(&data), json);
    }
}
