//! The redaction stage: applies redaction rules (`redact`) to what leaves through the chain:
//! span data (JSON text inside function inputs and outputs, message contents and tool arguments
//! included), span errors, trace metadata and group ids; and hides span inputs / outputs, for
//! every trace or for traces that ask (`hideInputs` / `hideOutputs`).

use std::borrow::Cow;

use super::owned::{OwnedSpan, OwnedTrace};
use super::redact::{RedactCounts, RedactRules, KEY_MARKER};
use super::Step;
use crate::json::escape::{write_str, JsonStr};
use crate::json::scan::{string_value, validate};
use crate::model::records::{SpanRecord, TraceRecord};
use crate::model::span_data::{Fields, SpanData, SpanKind};

/// What a redactor changed, counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RedactionCounts {
    /// Items (traces and spans) with anything redacted or hidden.
    pub items: u64,
    /// Values replaced because of their key.
    pub keys: u64,
    /// Pattern matches replaced.
    pub patterns: u64,
    /// Inputs and outputs hidden.
    pub hidden: u64,
}

/// The redaction stage.
#[derive(Debug)]
pub struct Redactor {
    rules: RedactRules,
    hide_inputs: bool,
    hide_outputs: bool,
    counts: RedactionCounts,
}

/// The raw JSON text of the key marker.
fn key_marker_json() -> String {
    let mut out = Vec::with_capacity(KEY_MARKER.len() + 2);
    write_str(&mut out, KEY_MARKER);
    String::from_utf8(out).unwrap_or_default()
}

fn json_string(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    write_str(&mut out, text);
    String::from_utf8(out).unwrap_or_default()
}

impl Redactor {
    /// A redactor with these rules, hiding inputs / outputs of every span when asked.
    pub fn new(rules: RedactRules, hide_inputs: bool, hide_outputs: bool) -> Self {
        Redactor {
            rules,
            hide_inputs,
            hide_outputs,
            counts: RedactionCounts::default(),
        }
    }

    /// The rules, to add or remove keys and patterns.
    pub fn rules_mut(&mut self) -> &mut RedactRules {
        &mut self.rules
    }

    /// Its counts.
    pub fn counts(&self) -> RedactionCounts {
        self.counts
    }

    fn tally(&mut self, counts: RedactCounts, hidden: u64) {
        if counts.keys + counts.patterns + hidden > 0 {
            self.counts.items += 1;
        }
        self.counts.keys += counts.keys;
        self.counts.patterns += counts.patterns;
        self.counts.hidden += hidden;
    }

    /// A trace started: its metadata and group id are redacted.
    pub fn on_trace_start(&mut self, trace: &mut TraceRecord<'_>) -> Step<OwnedTrace> {
        let mut counts = RedactCounts::default();
        if let Some(metadata) = trace.metadata.as_deref() {
            if let Some(redacted) = self.rules.redact_json(metadata, &mut counts) {
                trace.metadata = Some(Cow::Owned(redacted));
            }
        }
        let group_id = trace
            .group_id
            .map(text_of)
            .and_then(|group_id| self.rules.redact_text(&group_id, &mut counts));
        self.tally(counts, 0);
        match group_id {
            Some(group_id) => {
                let mut owned = OwnedTrace::of(trace);
                owned.set_group_id(group_id);
                Step::Replace(owned)
            }
            None => Step::Pass,
        }
    }

    /// A span ended: its inputs / outputs are hidden if asked, its data and error redacted.
    pub fn on_span_end(&mut self, span: &mut SpanRecord<'_>) -> Step<OwnedSpan> {
        let hidden = hide(
            &mut span.data,
            self.hide_inputs || span.choices.hide_inputs,
            self.hide_outputs || span.choices.hide_outputs,
        );
        let mut counts = RedactCounts::default();
        self.redact_data(&mut span.data, &mut counts);
        let step = match &span.error {
            Some(error) => self.redact_error(span, error.message, error.data, &mut counts),
            None => Step::Pass,
        };
        self.tally(counts, hidden);
        step
    }

    /// A span's start, redacted as its end will be (inputs / outputs hidden, data redacted),
    /// without counting: its end is counted.
    pub fn redact_start(&self, span: &mut SpanRecord<'_>) {
        hide(
            &mut span.data,
            self.hide_inputs || span.choices.hide_inputs,
            self.hide_outputs || span.choices.hide_outputs,
        );
        self.redact_data(&mut span.data, &mut RedactCounts::default());
    }

    fn redact_data(&self, data: &mut SpanData<'_>, counts: &mut RedactCounts) {
        match data {
            SpanData::Function {
                name,
                input,
                output,
            } => {
                let redacted = [
                    self.redact_text_or_json(name, counts),
                    self.redact_text_or_json(input, counts),
                    self.redact_text_or_json(output, counts),
                ];
                if redacted.iter().all(Option::is_none) {
                    return;
                }
                let [n, i, o] = redacted;
                let field = |key: &'static str, new: Option<String>, old: &str| {
                    (
                        Cow::Borrowed(key),
                        Cow::Owned(json_string(new.as_deref().unwrap_or(old))),
                    )
                };
                let fields = vec![
                    field("name", n, name),
                    field("input", i, input),
                    field("output", o, output),
                ];
                *data = SpanData::Fields {
                    kind: SpanKind::Function,
                    fields: Fields(fields),
                };
            }
            SpanData::Fields { fields, .. } => {
                for (key, value) in fields.0.iter_mut() {
                    if self.rules.key_matches(key) {
                        counts.keys += 1;
                        *value = Cow::Owned(key_marker_json());
                    } else if let Some(redacted) = self.redact_field(value, counts) {
                        *value = Cow::Owned(redacted);
                    }
                }
            }
        }
    }

    /// A field's raw JSON redacted; a string holding JSON (tool arguments, say) is redacted as
    /// the JSON it holds.
    fn redact_field(&self, raw: &str, counts: &mut RedactCounts) -> Option<String> {
        if let Some(text) = string_value(raw) {
            if looks_like_json(&text) {
                return self
                    .redact_text_or_json(&text, counts)
                    .map(|redacted| json_string(&redacted));
            }
        }
        self.rules.redact_json(raw, counts)
    }

    /// Text redacted: as the JSON it holds when it is a JSON object or array, else as text.
    fn redact_text_or_json(&self, text: &str, counts: &mut RedactCounts) -> Option<String> {
        if looks_like_json(text) && validate(text).is_ok() {
            self.rules.redact_json(text, counts)
        } else {
            self.rules.redact_text(text, counts)
        }
    }

    fn redact_error(
        &self,
        span: &SpanRecord<'_>,
        message: JsonStr<'_>,
        data: Option<&str>,
        counts: &mut RedactCounts,
    ) -> Step<OwnedSpan> {
        let text = text_of(message);
        let new_message = self.rules.redact_text(&text, counts);
        let new_data = data.and_then(|data| self.rules.redact_json(data, counts));
        if new_message.is_none() && new_data.is_none() {
            return Step::Pass;
        }
        let mut owned = OwnedSpan::of(span);
        let message = new_message.unwrap_or_else(|| text.into_owned());
        owned.set_error(message, new_data.or_else(|| data.map(str::to_owned)));
        Step::Replace(owned)
    }
}

/// The text of a string the host gave as text or as a JSON literal.
fn text_of(value: JsonStr<'_>) -> Cow<'_, str> {
    match value {
        JsonStr::Text(text) => Cow::Borrowed(text),
        JsonStr::Literal(literal) => string_value(literal).unwrap_or_default(),
    }
}

fn looks_like_json(text: &str) -> bool {
    let trimmed = text.trim_start();
    trimmed.starts_with('{') || trimmed.starts_with('[')
}

/// Hides a span's inputs and / or outputs as the sensitive-data switch does (strings blanked
/// where the SDK blanks them, fields removed where it removes them); returns how many.
fn hide(data: &mut SpanData<'_>, inputs: bool, outputs: bool) -> u64 {
    if !inputs && !outputs {
        return 0;
    }
    let mut hidden = 0;
    match data {
        SpanData::Function { input, output, .. } => {
            for (asked, value) in [(inputs, input), (outputs, output)] {
                if asked && !value.is_empty() {
                    *value = "";
                    hidden += 1;
                }
            }
        }
        SpanData::Fields { kind, fields } => {
            let (input_key, output_key) = match kind {
                SpanKind::Response => ("_input", "_response"),
                _ => ("input", "output"),
            };
            for (asked, key) in [(inputs, input_key), (outputs, output_key)] {
                if !asked {
                    continue;
                }
                if *kind == SpanKind::Function {
                    if fields.get(key).is_some_and(|v| v != "\"\"") {
                        fields.replace(key, Cow::Borrowed("\"\""));
                        hidden += 1;
                    }
                } else if fields.remove(key) {
                    hidden += 1;
                }
            }
        }
    }
    hidden
}
