//! Processors living in the core: the `TracingProcessor` trait the provider fans out to, and its
//! implementations (one file each).

pub mod batch;
pub mod flights;

use crate::model::ids::TraceId;
use crate::model::records::{SpanRecord, TraceRecord};

/// What a processor asks of the host after an event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wants {
    /// An export should start now (a batch queue crossed its trigger size).
    pub export_now: bool,
    /// The queue went from empty to non-empty: an export timer should be running.
    pub timer: bool,
    /// A chain holds items until their traces are decided: its age timer should be running.
    pub holding: bool,
    /// A chain stage wrote records (alerts, compliance records) for the host to take.
    pub records: bool,
}

impl Wants {
    /// Both requests of `self` and `other`.
    pub fn merge(self, other: Wants) -> Wants {
        Wants {
            export_now: self.export_now || other.export_now,
            timer: self.timer || other.timer,
            holding: self.holding || other.holding,
            records: self.records || other.records,
        }
    }
}

/// A processor the provider calls, in causal order, for every trace and span event. Calls never
/// fail: a processor handles its own trouble (a full queue drops and counts).
pub trait TracingProcessor {
    /// A trace started.
    fn on_trace_start(&mut self, trace: &TraceRecord<'_>) -> Wants;
    /// A trace ended.
    fn on_trace_end(&mut self, _trace_id: TraceId) -> Wants {
        Wants::default()
    }
    /// A span started (delivered only when a processor asked for span starts: the host sends
    /// them then); its data is as it stands at the start.
    fn on_span_start(&mut self, _span: &SpanRecord<'_>) -> Wants {
        Wants::default()
    }
    /// A span ended; its data is final.
    fn on_span_end(&mut self, span: &SpanRecord<'_>) -> Wants;
}
