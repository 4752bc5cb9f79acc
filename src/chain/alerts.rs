//! Performance alerts: a record for the host (its `onAlert` callback) when a span of a given type
//! and / or name, or a whole trace, takes longer than a threshold: `{kind, trace_id, span_id?,
//! span_type?, name?, workflow_name?, duration_ms, rule}` (`rule`: the rule's index). Passes every
//! item on.

use super::outbox::Outbox;
use super::window::{earliest, TraceWindow};
use crate::json::escape::{write_json_str, write_str};
use crate::json::scan::string_value;
use crate::model::ids::TraceId;
use crate::model::records::{SpanRecord, TraceRecord};
use crate::model::span_data::{SpanData, SpanKind};
use crate::model::time::Timestamp;

/// What a rule watches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AlertTarget {
    /// Whole traces (first span start to last span end).
    Trace,
    /// Spans, of one type and / or one name (`None`: any).
    Span {
        /// The span type.
        kind: Option<SpanKind>,
        /// The span's `name`.
        name: Option<String>,
    },
}

/// One rule: alert when the target takes longer than `threshold_ms`.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertRule {
    /// What it watches.
    pub target: AlertTarget,
    /// Milliseconds.
    pub threshold_ms: f64,
}

/// The times of an open trace's spans, for trace rules.
#[derive(Debug)]
struct OpenTrace {
    workflow_name: String,
    first_start: Option<Timestamp>,
    last_end: Option<Timestamp>,
}

/// The performance alert stage.
#[derive(Debug)]
pub struct PerfAlerts {
    rules: Vec<AlertRule>,
    open: TraceWindow<OpenTrace>,
    outbox: Outbox,
}

/// A span's `name`, when its data has one.
pub(crate) fn span_name<'a>(data: &'a SpanData<'_>) -> Option<std::borrow::Cow<'a, str>> {
    match data {
        SpanData::Function { name, .. } => Some(std::borrow::Cow::Borrowed(name)),
        SpanData::Fields { fields, .. } => fields.get("name").and_then(string_value),
    }
}

fn millis_between(start: Option<Timestamp>, end: Option<Timestamp>) -> Option<i64> {
    Some(end?.millis() - start?.millis())
}

/// Appends `,"duration_ms":D,"rule":R` (integers: float formatting would add ~20 KB of wasm;
/// the host knows each rule's threshold).
fn duration_and_rule(out: &mut Vec<u8>, duration_ms: i64, rule: usize) {
    out.extend_from_slice(b",\"duration_ms\":");
    out.extend_from_slice(duration_ms.to_string().as_bytes());
    out.extend_from_slice(b",\"rule\":");
    out.extend_from_slice(rule.to_string().as_bytes());
}

impl PerfAlerts {
    /// A stage with no rules yet; at most `max_pending` alerts wait for the host (the oldest
    /// dropped past it) and `max_open_traces` traces are followed for trace rules.
    pub fn new(max_pending: usize, max_open_traces: usize) -> Self {
        PerfAlerts {
            rules: Vec::new(),
            open: TraceWindow::new(max_open_traces),
            outbox: Outbox::new(max_pending, true),
        }
    }

    /// Adds a rule.
    pub fn add_rule(&mut self, rule: AlertRule) {
        self.rules.push(rule);
    }

    /// The alerts waiting, and their counts.
    pub fn outbox(&mut self) -> &mut Outbox {
        &mut self.outbox
    }

    /// The outbox's counts: written, dropped, handed to the host, waiting.
    pub fn counts(&self) -> (u64, u64, u64, u64) {
        self.outbox.counts()
    }

    fn watches_traces(&self) -> bool {
        self.rules.iter().any(|r| r.target == AlertTarget::Trace)
    }

    /// A trace started: followed when a rule watches traces.
    pub fn on_trace_start(&mut self, trace: &TraceRecord<'_>) {
        if !self.watches_traces() {
            return;
        }
        let mut name = Vec::new();
        write_json_str(&mut name, trace.workflow_name);
        let open = OpenTrace {
            workflow_name: String::from_utf8(name).unwrap_or_default(),
            first_start: None,
            last_end: None,
        };
        self.open.open(trace.id, open);
    }

    /// A span ended: span rules are checked, its trace's times updated.
    pub fn on_span_end(&mut self, span: &SpanRecord<'_>) {
        if let Some(open) = self.open.get_mut(&span.trace_id) {
            open.first_start = earliest(open.first_start, span.started_at);
            open.last_end = open.last_end.max(span.ended_at);
        }
        let Some(duration) = millis_between(span.started_at, span.ended_at) else {
            return;
        };
        let kind = span.data.kind();
        let name = span_name(&span.data);
        for (index, rule) in self.rules.iter().enumerate() {
            let AlertTarget::Span {
                kind: rule_kind,
                name: rule_name,
            } = &rule.target
            else {
                continue;
            };
            let matches = rule_kind.map_or(true, |k| k == kind)
                && rule_name
                    .as_deref()
                    .map_or(true, |n| Some(n) == name.as_deref());
            if matches && duration as f64 > rule.threshold_ms {
                let mut out = Vec::with_capacity(200);
                out.extend_from_slice(b"{\"kind\":\"span\",\"trace_id\":");
                write_str(&mut out, span.trace_id.text().as_str());
                out.extend_from_slice(b",\"span_id\":");
                write_str(&mut out, span.span_id.text().as_str());
                out.extend_from_slice(b",\"span_type\":");
                write_str(&mut out, kind.type_name());
                out.extend_from_slice(b",\"name\":");
                write_str(&mut out, name.as_deref().unwrap_or(""));
                duration_and_rule(&mut out, duration, index);
                out.push(b'}');
                self.outbox.push(String::from_utf8(out).unwrap_or_default());
            }
        }
    }

    /// A trace ended: trace rules are checked.
    pub fn on_trace_end(&mut self, id: TraceId) {
        let Some(open) = self.open.close(&id) else {
            return;
        };
        let Some(duration) = millis_between(open.first_start, open.last_end) else {
            return;
        };
        for (index, rule) in self.rules.iter().enumerate() {
            if rule.target == AlertTarget::Trace && duration as f64 > rule.threshold_ms {
                let mut out = Vec::with_capacity(160);
                out.extend_from_slice(b"{\"kind\":\"trace\",\"trace_id\":");
                write_str(&mut out, id.text().as_str());
                out.extend_from_slice(b",\"workflow_name\":");
                out.extend_from_slice(open.workflow_name.as_bytes());
                duration_and_rule(&mut out, duration, index);
                out.push(b'}');
                self.outbox.push(String::from_utf8(out).unwrap_or_default());
            }
        }
    }
}
