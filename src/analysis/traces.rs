//! Traces assembled from their items, in any order (children before parents, traces
//! interleaved, several files): what analysis needs of each trace and span, extracted when the
//! item is read so that nothing else of a large file is kept.

use std::collections::BTreeMap;

use super::usage::Usage;
use crate::error::InputError;
use crate::json::escape::JsonStr;
use crate::json::scan::{object_members, string_value};
use crate::model::ids::{SpanId, TraceId};
use crate::model::read::{read_item, ItemRecord};
use crate::model::records::{SpanRecord, TraceChoices, TraceRecord};
use crate::model::span_data::{SpanData, SpanKind};

/// What analysis keeps of a span.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanInfo {
    /// The span's id.
    pub id: SpanId,
    /// Its parent, if any.
    pub parent: Option<SpanId>,
    /// Start and end, ms since the epoch.
    pub started_ms: Option<i64>,
    /// See `started_ms`.
    pub ended_ms: Option<i64>,
    /// The span's kind as the SDK means it (`task` / `turn` read back from custom spans).
    pub kind: SpanKind,
    /// Its name: the `name` field, a generation's model, a handoff's `from → to`.
    pub name: String,
    /// A generation's (or response's) model.
    pub model: Option<String>,
    /// The usage it records itself (generation, response, task, turn).
    pub usage: Option<Usage>,
    /// A handoff's agents.
    pub handoff: Option<(String, String)>,
    /// Its error's message.
    pub error: Option<String>,
}

impl SpanInfo {
    /// Duration in ms, when both times are known.
    pub fn duration_ms(&self) -> Option<i64> {
        Some(self.ended_ms? - self.started_ms?)
    }
}

/// A trace and its spans.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TraceInfo {
    /// The trace's id.
    pub id: Option<TraceId>,
    /// The workflow name (none when the trace item was not seen).
    pub workflow_name: Option<String>,
    /// The group (conversation) id.
    pub group_id: Option<String>,
    /// Its spans, in the order they were read.
    pub spans: Vec<SpanInfo>,
}

fn text(value: JsonStr<'_>) -> String {
    match value {
        JsonStr::Text(text) => text.to_owned(),
        JsonStr::Literal(literal) => string_value(literal)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
    }
}

fn field_text(fields: &crate::model::span_data::Fields<'_>, key: &str) -> Option<String> {
    fields
        .get(key)
        .and_then(string_value)
        .map(|t| t.into_owned())
}

/// What a span's data says: kind, name, model, usage, handoff agents.
type Described = (
    SpanKind,
    String,
    Option<String>,
    Option<Usage>,
    Option<(String, String)>,
);

/// A span's kind, name, model, usage and handoff from its data.
fn describe(data: &SpanData<'_>) -> Described {
    match data {
        SpanData::Function { name, .. } => {
            (SpanKind::Function, (*name).to_owned(), None, None, None)
        }
        SpanData::Fields { kind, fields } => {
            let name = field_text(fields, "name").unwrap_or_default();
            match kind {
                SpanKind::Custom => {
                    // Task and turn spans are exported as custom, `data.sdk_span_type` saying which.
                    let inner = fields.get("data").and_then(|raw| object_members(raw).ok());
                    let inner_get = |key: &str| {
                        inner.as_ref().and_then(|members| {
                            members
                                .iter()
                                .find(|(k, _)| k == key)
                                .map(|(_, v)| v.to_string())
                        })
                    };
                    let sdk_type = inner_get("sdk_span_type")
                        .and_then(|raw| string_value(&raw).map(|t| t.into_owned()));
                    let usage = inner_get("usage").and_then(|raw| Usage::from_json(&raw));
                    match sdk_type.as_deref() {
                        Some("task") => {
                            let name = inner_get("name")
                                .and_then(|raw| string_value(&raw).map(|t| t.into_owned()))
                                .unwrap_or(name);
                            (SpanKind::Task, name, None, usage, None)
                        }
                        Some("turn") => {
                            let agent = inner_get("agent_name")
                                .and_then(|raw| string_value(&raw).map(|t| t.into_owned()));
                            let turn = inner_get("turn").unwrap_or_default();
                            let label = match agent {
                                Some(agent) => format!("{turn} {agent}"),
                                None => turn,
                            };
                            (SpanKind::Turn, label, None, usage, None)
                        }
                        _ => (SpanKind::Custom, name, None, None, None),
                    }
                }
                SpanKind::Generation | SpanKind::Response => {
                    let model = field_text(fields, "model");
                    let usage = fields.get("usage").and_then(Usage::from_json);
                    let label = model
                        .clone()
                        .unwrap_or_else(|| field_text(fields, "response_id").unwrap_or_default());
                    (*kind, label, model, usage, None)
                }
                SpanKind::Handoff => {
                    let from = field_text(fields, "from_agent").unwrap_or_default();
                    let to = field_text(fields, "to_agent").unwrap_or_default();
                    (
                        SpanKind::Handoff,
                        format!("{from} → {to}"),
                        None,
                        None,
                        Some((from, to)),
                    )
                }
                // Live records of task and turn spans (exported as custom, read back above).
                SpanKind::Task => (
                    SpanKind::Task,
                    name,
                    None,
                    fields.get("usage").and_then(Usage::from_json),
                    None,
                ),
                SpanKind::Turn => {
                    let turn = fields.get("turn").unwrap_or_default();
                    let label = match field_text(fields, "agent_name") {
                        Some(agent) => format!("{turn} {agent}"),
                        None => turn.to_owned(),
                    };
                    (
                        SpanKind::Turn,
                        label,
                        None,
                        fields.get("usage").and_then(Usage::from_json),
                        None,
                    )
                }
                other => (*other, name, None, None, None),
            }
        }
    }
}

fn span_info(span: &SpanRecord<'_>) -> SpanInfo {
    let (kind, name, model, usage, handoff) = describe(&span.data);
    SpanInfo {
        id: span.span_id,
        parent: span.parent_id,
        started_ms: span.started_at.map(|t| t.millis()),
        ended_ms: span.ended_at.map(|t| t.millis()),
        kind,
        name,
        model,
        usage,
        handoff,
        error: span.error.as_ref().map(|e| text(e.message)),
    }
}

/// Traces collected from items, by trace id (ordered by id; `order` keeps first-seen order).
#[derive(Debug, Default)]
pub struct TraceSet {
    traces: BTreeMap<TraceId, TraceInfo>,
    order: Vec<TraceId>,
}

impl TraceSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    fn entry(&mut self, id: TraceId) -> &mut TraceInfo {
        let order = &mut self.order;
        self.traces.entry(id).or_insert_with(|| {
            order.push(id);
            TraceInfo {
                id: Some(id),
                ..TraceInfo::default()
            }
        })
    }

    /// Adds a trace's start.
    pub fn add_trace(&mut self, trace: &TraceRecord<'_>) {
        let info = self.entry(trace.id);
        info.workflow_name = Some(text(trace.workflow_name));
        info.group_id = trace.group_id.map(text);
    }

    /// Adds a finished span.
    pub fn add_span(&mut self, span: &SpanRecord<'_>) {
        let info = span_info(span);
        self.entry(span.trace_id).spans.push(info);
    }

    /// Adds an export item (its JSON text, the `toJSON()` shape).
    pub fn add_item(&mut self, json: &str) -> Result<(), InputError> {
        match read_item(json, None, TraceChoices::default())? {
            ItemRecord::Trace(trace) => self.add_trace(&trace),
            ItemRecord::Span(span) => self.add_span(&span),
        }
        Ok(())
    }

    /// The traces, in the order their first item was seen.
    pub fn traces(&self) -> impl Iterator<Item = &TraceInfo> {
        self.order.iter().filter_map(|id| self.traces.get(id))
    }

    /// How many traces there are.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}
