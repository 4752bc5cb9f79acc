//! The compliance log: one record per trace (who, what, when: the metadata keys it is told to
//! copy, the workflow name and group id, the span times, counts and types), written to an outbox
//! the host drains into its sink when the trace ends (or is forgotten past the cap: then
//! `complete: false`). Never span data, errors or keys: values of keys a redactor would treat as
//! sensitive are refused when the log is made, and copied values are cut to a fixed length.

use super::outbox::Outbox;
use super::redact::RedactRules;
use super::route::metadata_value;
use super::window::{earliest, TraceWindow};
use crate::error::InputError;
use crate::export::json::write_time_field;
use crate::json::escape::{write_json_str, write_str};
use crate::model::ids::TraceId;
use crate::model::records::{SpanRecord, TraceRecord};
use crate::model::span_data::SpanKind;
use crate::model::time::Timestamp;

/// Bytes of a copied metadata value kept at most.
pub const MAX_VALUE_BYTES: usize = 128;

/// What the log keeps of an open trace.
#[derive(Debug)]
struct Entry {
    workflow_name: Vec<u8>,
    group_id: Option<Vec<u8>>,
    who: Vec<(String, String)>,
    first_start: Option<Timestamp>,
    last_end: Option<Timestamp>,
    spans: u64,
    errors: u64,
    kinds: u32,
}

/// The compliance log stage.
#[derive(Debug)]
pub struct ComplianceLog {
    keys: Vec<String>,
    open: TraceWindow<Entry>,
    outbox: Outbox,
}

fn cut(text: &str) -> &str {
    let mut end = text.len().min(MAX_VALUE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl ComplianceLog {
    /// A log copying no metadata key yet (see `add_key`); at most `max_records` records wait for
    /// the host (`drop_oldest`, else the new one is dropped), `max_open_traces` traces are
    /// followed.
    pub fn new(max_records: usize, drop_oldest: bool, max_open_traces: usize) -> Self {
        ComplianceLog {
            keys: Vec::new(),
            open: TraceWindow::new(max_open_traces),
            outbox: Outbox::new(max_records, drop_oldest),
        }
    }

    /// Copies the metadata `key` into each record; `SensitiveKey` for a key a redactor treats as
    /// sensitive by default (its values are never copied).
    pub fn add_key(&mut self, key: &str) -> Result<(), InputError> {
        if RedactRules::with_defaults().key_matches(key) {
            return Err(InputError::SensitiveKey);
        }
        self.keys.push(key.to_owned());
        Ok(())
    }

    /// The records waiting, and their counts.
    pub fn outbox(&mut self) -> &mut Outbox {
        &mut self.outbox
    }

    /// The outbox's counts: written, dropped, handed to the host, waiting.
    pub fn counts(&self) -> (u64, u64, u64, u64) {
        self.outbox.counts()
    }

    /// A trace started: followed.
    pub fn on_trace_start(&mut self, trace: &TraceRecord<'_>) {
        let metadata = trace.metadata.as_deref().unwrap_or("{}");
        let who = self
            .keys
            .iter()
            .filter_map(|key| {
                metadata_value(metadata, key).map(|value| (key.clone(), cut(&value).to_owned()))
            })
            .collect();
        let mut workflow_name = Vec::new();
        write_json_str(&mut workflow_name, trace.workflow_name);
        let group_id = trace.group_id.map(|group| {
            let mut out = Vec::new();
            write_json_str(&mut out, group);
            out
        });
        let entry = Entry {
            workflow_name,
            group_id,
            who,
            first_start: None,
            last_end: None,
            spans: 0,
            errors: 0,
            kinds: 0,
        };
        if let Some((id, forgotten)) = self.open.open(trace.id, entry) {
            self.write(id, forgotten, false);
        }
    }

    /// A span ended: its trace's counts and times are updated.
    pub fn on_span_end(&mut self, span: &SpanRecord<'_>) {
        let Some(entry) = self.open.get_mut(&span.trace_id) else {
            return;
        };
        entry.spans += 1;
        entry.errors += u64::from(span.error.is_some());
        entry.kinds |= super::route::kind_bit(span.data.kind());
        entry.first_start = earliest(entry.first_start, span.started_at);
        entry.last_end = entry.last_end.max(span.ended_at);
    }

    /// A trace ended: its record is written.
    pub fn on_trace_end(&mut self, id: TraceId) {
        if let Some(entry) = self.open.close(&id) {
            self.write(id, entry, true);
        }
    }

    fn write(&mut self, id: TraceId, entry: Entry, complete: bool) {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(b"{\"trace_id\":");
        write_str(&mut out, id.text().as_str());
        out.extend_from_slice(b",\"workflow_name\":");
        out.extend_from_slice(&entry.workflow_name);
        out.extend_from_slice(b",\"group_id\":");
        out.extend_from_slice(entry.group_id.as_deref().unwrap_or(b"null"));
        out.extend_from_slice(b",\"who\":{");
        for (i, (key, value)) in entry.who.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_str(&mut out, key);
            out.push(b':');
            write_str(&mut out, value);
        }
        out.push(b'}');
        write_time_field(&mut out, "started_at", entry.first_start);
        write_time_field(&mut out, "ended_at", entry.last_end);
        out.extend_from_slice(
            format!(",\"spans\":{},\"errors\":{}", entry.spans, entry.errors).as_bytes(),
        );
        out.extend_from_slice(b",\"span_types\":[");
        let kinds = SpanKind::ALL
            .iter()
            .filter(|kind| entry.kinds & super::route::kind_bit(**kind) != 0);
        for (i, kind) in kinds.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_str(&mut out, kind.type_name());
        }
        out.extend_from_slice(if complete {
            b"],\"complete\":true}"
        } else {
            b"],\"complete\":false}"
        });
        self.outbox.push(String::from_utf8(out).unwrap_or_default());
    }
}
