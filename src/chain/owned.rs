//! Owned copies of trace and span records, for the stages that keep an item past the event that
//! produced it (tail sampling holds a trace's items until it is decided) or give it text the
//! record cannot borrow (a redacted error message).

use std::borrow::Cow;
use std::rc::Rc;

use crate::json::escape::JsonStr;
use crate::model::ids::{SpanId, TraceId};
use crate::model::records::{SpanError, SpanRecord, TraceChoices, TraceRecord};
use crate::model::span_data::{Fields, SpanData, SpanKind};
use crate::model::time::Timestamp;

/// A string a record holds as `JsonStr`: its text, and whether it is a JSON string literal.
#[derive(Clone, Debug)]
struct OwnedStr {
    text: String,
    literal: bool,
}

impl OwnedStr {
    fn of(value: JsonStr<'_>) -> Self {
        match value {
            JsonStr::Text(text) => OwnedStr {
                text: text.to_owned(),
                literal: false,
            },
            JsonStr::Literal(text) => OwnedStr {
                text: text.to_owned(),
                literal: true,
            },
        }
    }

    fn borrow(&self) -> JsonStr<'_> {
        if self.literal {
            JsonStr::Literal(&self.text)
        } else {
            JsonStr::Text(&self.text)
        }
    }
}

/// Where a string lies in an `OwnedSpan`'s text.
type Range = (u32, u32);

/// Appends `piece` to `text`; returns where it lies.
fn push(text: &mut String, piece: &str) -> Range {
    let start = text.len() as u32;
    text.push_str(piece);
    (start, text.len() as u32)
}

/// A finished span that owns its text: every string of it back to back in one buffer (one
/// allocation for the text, one for the places, whatever the span's shape).
#[derive(Clone, Debug)]
pub struct OwnedSpan {
    trace_id: TraceId,
    span_id: SpanId,
    parent_id: Option<SpanId>,
    started_at: Option<Timestamp>,
    ended_at: Option<Timestamp>,
    /// `None`: the function fast path (name, input, output are `places[0..3]`); else the kind,
    /// with its fields' keys and values as pairs of places.
    kind: Option<SpanKind>,
    /// The error: its message's place, whether it is a JSON literal, its data's place.
    error: Option<(Range, bool, Option<Range>)>,
    text: String,
    places: Vec<Range>,
    api_key: Option<Rc<str>>,
    choices: TraceChoices,
}

impl OwnedSpan {
    /// A copy of `span`.
    pub fn of(span: &SpanRecord<'_>) -> Self {
        let mut text = String::new();
        let mut places = Vec::new();
        let kind = match &span.data {
            SpanData::Function {
                name,
                input,
                output,
            } => {
                text.reserve(name.len() + input.len() + output.len());
                places.extend([name, input, output].map(|piece| push(&mut text, piece)));
                None
            }
            SpanData::Fields { kind, fields } => {
                text.reserve(fields.0.iter().map(|(k, v)| k.len() + v.len()).sum());
                places.reserve(fields.0.len() * 2);
                for (key, value) in &fields.0 {
                    places.push(push(&mut text, key));
                    places.push(push(&mut text, value));
                }
                Some(*kind)
            }
        };
        let error = span.error.as_ref().map(|error| {
            let literal = matches!(error.message, JsonStr::Literal(_));
            let message = push(&mut text, error.message.as_raw());
            (
                message,
                literal,
                error.data.map(|data| push(&mut text, data)),
            )
        });
        OwnedSpan {
            trace_id: span.trace_id,
            span_id: span.span_id,
            parent_id: span.parent_id,
            started_at: span.started_at,
            ended_at: span.ended_at,
            kind,
            error,
            text,
            places,
            api_key: span.api_key.map(Rc::from),
            choices: span.choices,
        }
    }

    /// Replaces the error's message (as text) and data (raw JSON).
    pub fn set_error(&mut self, message: String, data: Option<String>) {
        let message = push(&mut self.text, &message);
        let data = data.map(|data| push(&mut self.text, &data));
        self.error = Some((message, false, data));
    }

    fn at(&self, (start, end): Range) -> &str {
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// The span as a record borrowing from this copy.
    pub fn record(&self) -> SpanRecord<'_> {
        let data = match self.kind {
            None => SpanData::Function {
                name: self.at(self.places[0]),
                input: self.at(self.places[1]),
                output: self.at(self.places[2]),
            },
            Some(kind) => SpanData::Fields {
                kind,
                fields: Fields(
                    self.places
                        .chunks_exact(2)
                        .map(|pair| {
                            (
                                Cow::Borrowed(self.at(pair[0])),
                                Cow::Borrowed(self.at(pair[1])),
                            )
                        })
                        .collect(),
                ),
            },
        };
        SpanRecord {
            trace_id: self.trace_id,
            span_id: self.span_id,
            parent_id: self.parent_id,
            started_at: self.started_at,
            ended_at: self.ended_at,
            data,
            error: self.error.map(|(message, literal, data)| SpanError {
                message: if literal {
                    JsonStr::Literal(self.at(message))
                } else {
                    JsonStr::Text(self.at(message))
                },
                data: data.map(|data| self.at(data)),
            }),
            api_key: self.api_key.as_deref(),
            choices: self.choices,
        }
    }

    /// The bytes it holds (what caps on held items count).
    pub fn size(&self) -> usize {
        96 + self.text.len() + 8 * self.places.len()
    }
}

/// A started trace that owns its text.
#[derive(Clone, Debug)]
pub struct OwnedTrace {
    id: TraceId,
    workflow_name: OwnedStr,
    group_id: Option<OwnedStr>,
    metadata: Option<String>,
    api_key: Option<Rc<str>>,
    choices: TraceChoices,
}

impl OwnedTrace {
    /// A copy of `trace`.
    pub fn of(trace: &TraceRecord<'_>) -> Self {
        OwnedTrace {
            id: trace.id,
            workflow_name: OwnedStr::of(trace.workflow_name),
            group_id: trace.group_id.map(OwnedStr::of),
            metadata: trace.metadata.as_deref().map(str::to_owned),
            api_key: trace.api_key.map(Rc::from),
            choices: trace.choices,
        }
    }

    /// The trace as a record borrowing from this copy.
    pub fn record(&self) -> TraceRecord<'_> {
        TraceRecord {
            id: self.id,
            workflow_name: self.workflow_name.borrow(),
            group_id: self.group_id.as_ref().map(OwnedStr::borrow),
            metadata: self.metadata.as_deref().map(Cow::Borrowed),
            api_key: self.api_key.as_deref(),
            choices: self.choices,
        }
    }

    /// Replaces the group id (as text).
    pub fn set_group_id(&mut self, group_id: String) {
        self.group_id = Some(OwnedStr {
            text: group_id,
            literal: false,
        });
    }

    /// The bytes of text it holds.
    pub fn size(&self) -> usize {
        64 + self.workflow_name.text.len()
            + self.group_id.as_ref().map_or(0, |group| group.text.len())
            + self.metadata.as_ref().map_or(0, String::len)
    }
}

/// An item a stage holds: a started trace or a finished span.
#[derive(Clone, Debug)]
pub enum OwnedItem {
    /// A trace's start.
    Trace(OwnedTrace),
    /// A span's end.
    Span(OwnedSpan),
}

impl OwnedItem {
    /// The bytes of text it holds.
    pub fn size(&self) -> usize {
        match self {
            OwnedItem::Trace(trace) => trace.size(),
            OwnedItem::Span(span) => span.size(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::json::{write_span_item, write_trace_item};

    #[test]
    fn copies_write_the_same_items() {
        let fields = Fields::parse_object(r#"{"name":"A","handoffs":["B"]}"#).unwrap();
        let span = SpanRecord {
            trace_id: TraceId([7; 16]),
            span_id: SpanId([3; 12]),
            parent_id: Some(SpanId([4; 12])),
            started_at: Some(Timestamp::from_millis(1_000.0).unwrap()),
            ended_at: Some(Timestamp::from_millis(2_000.0).unwrap()),
            data: SpanData::Fields {
                kind: SpanKind::Agent,
                fields,
            },
            error: Some(SpanError::new("\"lone \\ud800\"".into(), r#"{"x":1}"#).unwrap()),
            api_key: Some("sk-trace"),
            choices: TraceChoices {
                sampled: Some(true),
                ..TraceChoices::default()
            },
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write_span_item(&mut a, &span);
        let copy = OwnedSpan::of(&span);
        write_span_item(&mut b, &copy.record());
        assert_eq!(a, b);
        assert_eq!(copy.record().api_key, Some("sk-trace"));
        assert_eq!(copy.record().choices.sampled, Some(true));

        let trace = TraceRecord {
            id: TraceId([9; 16]),
            workflow_name: JsonStr::literal("\"wf \\ud800\"").unwrap(),
            group_id: Some("g".into()),
            metadata: Some(r#"{"tenant":"acme"}"#.into()),
            api_key: None,
            choices: TraceChoices::default(),
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write_trace_item(&mut a, &trace);
        write_trace_item(&mut b, &OwnedTrace::of(&trace).record());
        assert_eq!(a, b);
    }
}
