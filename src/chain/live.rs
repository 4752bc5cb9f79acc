//! Live events: a stage that writes each trace start, span start, span end and trace end, as it
//! happens, for the host's callback (a live view shows a trace while it runs). Events carry the
//! item as the stages before left it (a span start with `ended_at: null`); bounded: past the cap
//! the oldest waiting event is dropped, counted.

use super::outbox::Outbox;
use crate::export::json::{write_span_item, write_trace_item};
use crate::json::escape::write_str;
use crate::model::ids::TraceId;
use crate::model::records::{SpanRecord, TraceRecord};

/// The live events stage.
#[derive(Debug)]
pub struct LiveEvents {
    outbox: Outbox,
}

fn event(kind: &str, item: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(b"{\"type\":");
    write_str(&mut out, kind);
    out.extend_from_slice(b",\"item\":");
    item(&mut out);
    out.push(b'}');
    String::from_utf8(out).unwrap_or_default()
}

impl LiveEvents {
    /// A stage holding at most `max_pending` events between two takes.
    pub fn new(max_pending: usize) -> Self {
        LiveEvents {
            outbox: Outbox::new(max_pending, true),
        }
    }

    /// The events waiting, and their counts.
    pub fn outbox(&mut self) -> &mut Outbox {
        &mut self.outbox
    }

    /// The outbox's counts: written, dropped, handed to the host, waiting.
    pub fn counts(&self) -> (u64, u64, u64, u64) {
        self.outbox.counts()
    }

    /// A trace started.
    pub fn on_trace_start(&mut self, trace: &TraceRecord<'_>) {
        self.outbox
            .push(event("trace.start", |out| write_trace_item(out, trace)));
    }

    /// A span started.
    pub fn on_span_start(&mut self, span: &SpanRecord<'_>) {
        self.outbox
            .push(event("span.start", |out| write_span_item(out, span)));
    }

    /// A span ended.
    pub fn on_span_end(&mut self, span: &SpanRecord<'_>) {
        self.outbox
            .push(event("span.end", |out| write_span_item(out, span)));
    }

    /// A trace ended: `{"type":"trace.end","item":{"id":…}}`.
    pub fn on_trace_end(&mut self, id: TraceId) {
        self.outbox.push(event("trace.end", |out| {
            out.extend_from_slice(b"{\"id\":");
            write_str(out, id.text().as_str());
            out.push(b'}');
        }));
    }
}
