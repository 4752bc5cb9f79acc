//! The trace store: completed traces kept in memory (their export items), bounded by a count and
//! a byte cap (the oldest evicted first, counted), with queries (workflow, group, time range,
//! errors), the items of one trace, and retention (`delete_before`). Each completed trace is also
//! written, as JSONL, to an outbox for the host's sink (a file, a KV namespace, a bucket).

use std::collections::VecDeque;

use super::outbox::Outbox;
use super::window::{earliest, TraceWindow};
use crate::export::json::{write_span_item, write_time_field, write_trace_item};
use crate::json::escape::{write_json_str, write_str};
use crate::model::ids::TraceId;
use crate::model::records::{SpanRecord, TraceRecord};
use crate::model::time::Timestamp;

/// A trace being stored: its items so far and what queries need.
#[derive(Debug, Default)]
struct Entry {
    workflow_name: Vec<u8>,
    group_id: Option<Vec<u8>>,
    items: Vec<u8>,
    spans: u64,
    has_error: bool,
    first_start: Option<Timestamp>,
    last_end: Option<Timestamp>,
}

/// A completed trace.
#[derive(Debug)]
struct Stored {
    id: TraceId,
    entry: Entry,
}

/// What to find (every given condition must hold).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// The workflow name.
    pub workflow_name: Option<String>,
    /// The group (conversation).
    pub group_id: Option<String>,
    /// Traces that ended at or after this (ms since the epoch).
    pub since_ms: Option<i64>,
    /// Traces that started before this (ms since the epoch).
    pub until_ms: Option<i64>,
    /// Only traces with (`Some(true)`) or without an error.
    pub has_error: Option<bool>,
    /// At most this many, newest first.
    pub limit: usize,
}

/// The counts of a store.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreCounts {
    /// Traces kept now.
    pub traces: u64,
    /// Bytes of items kept now.
    pub bytes: u64,
    /// Traces stored in all.
    pub stored: u64,
    /// Traces evicted by a cap.
    pub evicted: u64,
    /// Traces removed by `delete_before`.
    pub deleted: u64,
    /// Open traces forgotten past the open-trace cap (their items are lost to the store).
    pub forgotten: u64,
}

/// The trace store stage.
#[derive(Debug)]
pub struct TraceStore {
    open: TraceWindow<Entry>,
    done: VecDeque<Stored>,
    max_traces: usize,
    max_bytes: usize,
    bytes: usize,
    counts: StoreCounts,
    outbox: Option<Outbox>,
}

fn json_text(value: crate::json::escape::JsonStr<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    write_json_str(&mut out, value);
    out
}

impl TraceStore {
    /// A store of at most `max_traces` completed traces and `max_bytes` bytes of items;
    /// `sink_records`: completed traces wait for the host's sink, at most this many (0: no sink).
    pub fn new(max_traces: usize, max_bytes: usize, sink_records: usize) -> Self {
        TraceStore {
            open: TraceWindow::new(10_000),
            done: VecDeque::new(),
            max_traces: max_traces.max(1),
            max_bytes: max_bytes.max(1),
            bytes: 0,
            counts: StoreCounts::default(),
            outbox: (sink_records > 0).then(|| Outbox::new(sink_records, true)),
        }
    }

    /// The traces waiting for the sink (each its JSONL as a JSON string), if the store has one.
    pub fn outbox(&mut self) -> Option<&mut Outbox> {
        self.outbox.as_mut()
    }

    /// The store's counts, and its sink's (written, dropped, delivered, waiting).
    pub fn counts(&self) -> (StoreCounts, (u64, u64, u64, u64)) {
        let sink = self.outbox.as_ref().map_or((0, 0, 0, 0), Outbox::counts);
        (
            StoreCounts {
                traces: self.done.len() as u64,
                bytes: self.bytes as u64,
                ..self.counts
            },
            sink,
        )
    }

    /// A trace started.
    pub fn on_trace_start(&mut self, trace: &TraceRecord<'_>) {
        let mut entry = Entry {
            workflow_name: json_text(trace.workflow_name),
            group_id: trace.group_id.map(json_text),
            ..Entry::default()
        };
        write_trace_item(&mut entry.items, trace);
        entry.items.push(b'\n');
        if self.open.open(trace.id, entry).is_some() {
            self.counts.forgotten += 1;
        }
    }

    /// A span ended: its item joins its trace's.
    pub fn on_span_end(&mut self, span: &SpanRecord<'_>) {
        let Some(entry) = self.open.get_mut(&span.trace_id) else {
            return;
        };
        write_span_item(&mut entry.items, span);
        entry.items.push(b'\n');
        entry.spans += 1;
        entry.has_error |= span.error.is_some();
        entry.first_start = earliest(entry.first_start, span.started_at);
        entry.last_end = entry.last_end.max(span.ended_at);
    }

    /// A trace ended: it is stored (the oldest evicted past a cap) and handed to the sink.
    pub fn on_trace_end(&mut self, id: TraceId) {
        let Some(entry) = self.open.close(&id) else {
            return;
        };
        if let Some(outbox) = &mut self.outbox {
            // The outbox holds JSON values: the JSONL as a JSON string.
            let mut record = Vec::with_capacity(entry.items.len() + 16);
            write_str(&mut record, &String::from_utf8_lossy(&entry.items));
            outbox.push(String::from_utf8(record).unwrap_or_default());
        }
        self.bytes += entry.items.len();
        self.done.push_back(Stored { id, entry });
        self.counts.stored += 1;
        while self.done.len() > self.max_traces
            || (self.bytes > self.max_bytes && self.done.len() > 1)
        {
            if let Some(old) = self.done.pop_front() {
                self.bytes -= old.entry.items.len();
                self.counts.evicted += 1;
            }
        }
    }

    /// Removes the traces that ended before `ms`; returns how many.
    pub fn delete_before(&mut self, ms: i64) -> u64 {
        let before = self.done.len();
        let mut freed = 0;
        self.done.retain(|stored| {
            let keep = stored.entry.last_end.map_or(true, |end| end.millis() >= ms);
            if !keep {
                freed += stored.entry.items.len();
            }
            keep
        });
        self.bytes -= freed;
        let deleted = (before - self.done.len()) as u64;
        self.counts.deleted += deleted;
        deleted
    }

    fn matches(stored: &Stored, query: &Query) -> bool {
        let entry = &stored.entry;
        let text_is = |raw: &[u8], want: &str| {
            let mut expected = Vec::new();
            write_str(&mut expected, want);
            raw == expected.as_slice()
        };
        let group_is = |g: &str| entry.group_id.as_deref().is_some_and(|raw| text_is(raw, g));
        let ended_since = |since: i64| entry.last_end.is_some_and(|end| end.millis() >= since);
        let started_until = |until: i64| {
            entry
                .first_start
                .is_some_and(|start| start.millis() < until)
        };
        query
            .workflow_name
            .as_deref()
            .map_or(true, |w| text_is(&entry.workflow_name, w))
            && query.group_id.as_deref().map_or(true, group_is)
            && query.since_ms.map_or(true, ended_since)
            && query.until_ms.map_or(true, started_until)
            && query.has_error.map_or(true, |want| entry.has_error == want)
    }

    /// The traces that match, newest first, as a JSON array of `{traceId, workflowName, groupId,
    /// startedAt, endedAt, spans, hasError}`.
    pub fn query_json(&self, query: &Query) -> String {
        let mut out = Vec::from(&b"["[..]);
        let limit = if query.limit == 0 {
            usize::MAX
        } else {
            query.limit
        };
        for (n, stored) in self
            .done
            .iter()
            .rev()
            .filter(|s| Self::matches(s, query))
            .take(limit)
            .enumerate()
        {
            if n > 0 {
                out.push(b',');
            }
            let entry = &stored.entry;
            out.extend_from_slice(b"{\"traceId\":");
            write_str(&mut out, stored.id.text().as_str());
            out.extend_from_slice(b",\"workflowName\":");
            out.extend_from_slice(&entry.workflow_name);
            out.extend_from_slice(b",\"groupId\":");
            out.extend_from_slice(entry.group_id.as_deref().unwrap_or(b"null"));
            write_time_field(&mut out, "startedAt", entry.first_start);
            write_time_field(&mut out, "endedAt", entry.last_end);
            out.extend_from_slice(
                format!(
                    ",\"spans\":{},\"hasError\":{}}}",
                    entry.spans, entry.has_error
                )
                .as_bytes(),
            );
        }
        out.push(b']');
        String::from_utf8(out).unwrap_or_default()
    }

    /// The items of a stored trace as JSONL (trace item first, spans in end order).
    pub fn items(&self, id: TraceId) -> Option<&[u8]> {
        self.done
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.entry.items.as_slice())
    }
}
