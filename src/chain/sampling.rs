//! Sampling stages: head sampling (a ratio decided from the trace id, so every span of a trace
//! agrees, in every runtime) and tail sampling (a trace's items held until it is decided: kept
//! when it has an error, is slower than a threshold or falls in the ratio), both overridden by a
//! trace's own `sampled` choice.

use std::collections::{BTreeMap, VecDeque};

use super::owned::{OwnedItem, OwnedSpan, OwnedTrace};
use super::Step;
use crate::error::InputError;
use crate::model::ids::TraceId;
use crate::model::records::{SpanRecord, TraceChoices, TraceRecord};
use crate::model::time::Timestamp;

/// Whether a trace falls in `ratio`: its id's last 8 bytes, read as a number, are below `ratio`
/// of their range (the ids are random, so a fraction `ratio` of traces does).
pub fn in_ratio(id: TraceId, ratio: f64) -> bool {
    if ratio >= 1.0 {
        return true;
    }
    let mut low = [0u8; 8];
    low.copy_from_slice(&id.0[8..]);
    (u64::from_be_bytes(low) as f64) < ratio * 18_446_744_073_709_551_616.0
}

fn check_ratio(ratio: f64) -> Result<f64, InputError> {
    if (0.0..=1.0).contains(&ratio) {
        Ok(ratio)
    } else {
        Err(InputError::BadRatio)
    }
}

/// Counts of a sampler's decisions: traces and spans kept and dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SampleCounts {
    /// Traces kept.
    pub traces_kept: u64,
    /// Traces dropped.
    pub traces_dropped: u64,
    /// Spans passed on.
    pub spans_kept: u64,
    /// Spans dropped.
    pub spans_dropped: u64,
}

impl SampleCounts {
    fn trace(&mut self, keep: bool) {
        if keep {
            self.traces_kept += 1;
        } else {
            self.traces_dropped += 1;
        }
    }

    fn span(&mut self, keep: bool) {
        if keep {
            self.spans_kept += 1;
        } else {
            self.spans_dropped += 1;
        }
    }
}

/// Head sampling: each trace is kept or dropped when its events arrive, from its id alone.
#[derive(Debug)]
pub struct HeadSampler {
    ratio: f64,
    counts: SampleCounts,
}

impl HeadSampler {
    /// Keeps a fraction `ratio` (0..=1) of traces.
    pub fn new(ratio: f64) -> Result<Self, InputError> {
        Ok(HeadSampler {
            ratio: check_ratio(ratio)?,
            counts: SampleCounts::default(),
        })
    }

    fn keeps(&self, id: TraceId, choices: TraceChoices) -> bool {
        choices.sampled.unwrap_or_else(|| in_ratio(id, self.ratio))
    }

    /// Whether a span's trace is kept, without counting it (for a span's start).
    pub fn keeps_span(&self, span: &SpanRecord<'_>) -> bool {
        self.keeps(span.trace_id, span.choices)
    }

    /// A trace started.
    pub fn on_trace_start<O>(&mut self, trace: &TraceRecord<'_>) -> Step<O> {
        let keep = self.keeps(trace.id, trace.choices);
        self.counts.trace(keep);
        Step::pass_if(keep)
    }

    /// A span ended.
    pub fn on_span_end<O>(&mut self, span: &SpanRecord<'_>) -> Step<O> {
        let keep = self.keeps(span.trace_id, span.choices);
        self.counts.span(keep);
        Step::pass_if(keep)
    }

    /// Its counts.
    pub fn counts(&self) -> SampleCounts {
        self.counts
    }
}

/// Tail sampling options.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TailConfig {
    /// Traces with no error and not slow are kept in this ratio (as head sampling decides).
    pub ratio: f64,
    /// Keep every trace in which a span recorded an error.
    pub keep_errors: bool,
    /// Keep every trace longer than this (first span start to last span end), in ms.
    pub slower_than_ms: Option<f64>,
    /// A trace not ended this long after it was first seen is decided as it stands (a Worker
    /// that returned before ending it), in ms.
    pub max_trace_age_ms: f64,
    /// Traces held at most; past it the oldest is decided early.
    pub max_traces: usize,
    /// Items held at most (all traces); past it the oldest trace is decided early.
    pub max_items: usize,
    /// Bytes of item text held at most; past it the oldest trace is decided early.
    pub max_bytes: usize,
    /// Decisions remembered for items that arrive after them, at most (oldest forgotten first).
    pub max_decisions: usize,
}

impl Default for TailConfig {
    fn default() -> Self {
        TailConfig {
            ratio: 0.0,
            keep_errors: true,
            slower_than_ms: None,
            max_trace_age_ms: 300_000.0,
            max_traces: 1_000,
            max_items: 20_000,
            max_bytes: 16 << 20,
            max_decisions: 10_000,
        }
    }
}

/// What a tail sampler did, counted; `held_*` are what it holds now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TailCounts {
    /// Decisions, as head sampling counts them.
    pub decided: SampleCounts,
    /// Traces held now.
    pub held_traces: u64,
    /// Items held now.
    pub held_items: u64,
    /// Bytes of item text held now.
    pub held_bytes: u64,
    /// Traces kept because a span had an error.
    pub kept_for_error: u64,
    /// Traces kept because they were slow.
    pub kept_for_latency: u64,
    /// Traces decided before they ended because a cap was reached (overflow).
    pub decided_early: u64,
    /// Traces decided because they reached the maximum age without ending.
    pub decided_by_age: u64,
    /// Items that arrived after their trace was decided (they follow the decision).
    pub late: u64,
}

/// One held trace: its items in arrival order and what the decision needs.
#[derive(Debug, Default)]
struct Held {
    items: Vec<OwnedItem>,
    bytes: usize,
    has_error: bool,
    first_start: Option<Timestamp>,
    last_end: Option<Timestamp>,
    first_seen_ms: Option<i64>,
    choice: Option<bool>,
}

/// Tail sampling: holds each trace's items until the trace ends (or a cap or its age decides
/// it), then passes them all on or drops them all.
#[derive(Debug)]
pub struct TailSampler {
    config: TailConfig,
    held: BTreeMap<TraceId, Held>,
    arrival: VecDeque<TraceId>,
    decisions: BTreeMap<TraceId, bool>,
    decision_order: VecDeque<TraceId>,
    held_items: usize,
    held_bytes: usize,
    released: Vec<OwnedItem>,
    counts: TailCounts,
}

impl TailSampler {
    /// A sampler with these options (ratio 0..=1, caps at least 1, times not negative).
    pub fn new(config: TailConfig) -> Result<Self, InputError> {
        check_ratio(config.ratio)?;
        let times_ok =
            config.max_trace_age_ms >= 0.0 && config.slower_than_ms.map_or(true, |ms| ms >= 0.0);
        if !times_ok
            || config.max_traces == 0
            || config.max_items == 0
            || config.max_bytes == 0
            || config.max_decisions == 0
        {
            return Err(InputError::BadSamplerOption);
        }
        Ok(TailSampler {
            config,
            held: BTreeMap::new(),
            arrival: VecDeque::new(),
            decisions: BTreeMap::new(),
            decision_order: VecDeque::new(),
            held_items: 0,
            held_bytes: 0,
            released: Vec::new(),
            counts: TailCounts::default(),
        })
    }

    /// Its counts.
    pub fn counts(&self) -> TailCounts {
        TailCounts {
            held_traces: self.held.len() as u64,
            held_items: self.held_items as u64,
            held_bytes: self.held_bytes as u64,
            ..self.counts
        }
    }

    /// Items of kept traces, to pass on (in order) before the next event.
    pub fn take_released(&mut self) -> Vec<OwnedItem> {
        std::mem::take(&mut self.released)
    }

    /// A decided trace's later items follow its decision.
    fn decided(&mut self, id: TraceId) -> Option<bool> {
        let keep = *self.decisions.get(&id)?;
        self.counts.late += 1;
        Some(keep)
    }

    /// A trace started.
    pub fn on_trace_start<O>(&mut self, trace: &TraceRecord<'_>) -> Step<O> {
        if let Some(keep) = self.decided(trace.id) {
            return Step::pass_if(keep);
        }
        let item = OwnedItem::Trace(OwnedTrace::of(trace));
        let held = self.hold(trace.id, item);
        held.choice = held.choice.or(trace.choices.sampled);
        self.enforce_caps();
        Step::Hold
    }

    /// A span ended.
    pub fn on_span_end<O>(&mut self, span: &SpanRecord<'_>) -> Step<O> {
        if let Some(keep) = self.decided(span.trace_id) {
            self.counts.decided.span(keep);
            return Step::pass_if(keep);
        }
        let item = OwnedItem::Span(OwnedSpan::of(span));
        let held = self.hold(span.trace_id, item);
        held.has_error |= span.error.is_some();
        held.choice = held.choice.or(span.choices.sampled);
        if let Some(start) = span.started_at {
            held.first_start = Some(held.first_start.map_or(start, |first| first.min(start)));
            held.first_seen_ms = Some(
                held.first_seen_ms
                    .map_or(start.millis(), |seen| seen.min(start.millis())),
            );
        }
        if let Some(end) = span.ended_at {
            held.last_end = Some(held.last_end.map_or(end, |last| last.max(end)));
        }
        self.enforce_caps();
        Step::Hold
    }

    /// A trace ended: it is decided.
    pub fn on_trace_end(&mut self, id: TraceId) {
        self.decide(id);
    }

    /// Decides traces first seen at least the maximum age before `now_ms`.
    pub fn tick(&mut self, now_ms: i64) {
        let max_age = self.config.max_trace_age_ms;
        let mut old = Vec::new();
        for (id, held) in self.held.iter_mut() {
            let seen = *held.first_seen_ms.get_or_insert(now_ms);
            if (now_ms - seen) as f64 >= max_age {
                old.push(*id);
            }
        }
        for id in old {
            self.counts.decided_by_age += 1;
            self.decide(id);
        }
    }

    /// Decides every held trace as it stands (a flush or shutdown).
    pub fn flush(&mut self) {
        while let Some(id) = self.arrival.front().copied() {
            self.decide(id);
        }
    }

    fn hold(&mut self, id: TraceId, item: OwnedItem) -> &mut Held {
        let size = item.size();
        self.held_items += 1;
        self.held_bytes += size;
        let arrival = &mut self.arrival;
        let held = self.held.entry(id).or_insert_with(|| {
            arrival.push_back(id);
            Held::default()
        });
        held.bytes += size;
        held.items.push(item);
        held
    }

    /// Decides the oldest traces early while a cap is exceeded.
    fn enforce_caps(&mut self) {
        while self.held.len() > self.config.max_traces
            || self.held_items > self.config.max_items
            || self.held_bytes > self.config.max_bytes
        {
            let Some(oldest) = self.arrival.front().copied() else {
                return;
            };
            self.counts.decided_early += 1;
            self.decide(oldest);
        }
    }

    /// Decides a held trace: its items are released (kept) or freed (dropped), and the decision
    /// is remembered for later items.
    fn decide(&mut self, id: TraceId) {
        let Some(held) = self.held.remove(&id) else {
            return;
        };
        self.arrival.retain(|other| *other != id);
        self.held_items -= held.items.len();
        self.held_bytes -= held.bytes;
        let keep = self.keeps(id, &held);
        let spans = held
            .items
            .iter()
            .filter(|item| matches!(item, OwnedItem::Span(_)))
            .count() as u64;
        let counts = &mut self.counts.decided;
        counts.trace(keep);
        if keep {
            counts.spans_kept += spans;
            self.released.extend(held.items);
        } else {
            counts.spans_dropped += spans;
        }
        self.remember(id, keep);
    }

    fn keeps(&mut self, id: TraceId, held: &Held) -> bool {
        if let Some(choice) = held.choice {
            return choice;
        }
        if self.config.keep_errors && held.has_error {
            self.counts.kept_for_error += 1;
            return true;
        }
        let duration = match (held.first_start, held.last_end) {
            (Some(start), Some(end)) => Some((end.millis() - start.millis()) as f64),
            _ => None,
        };
        if let (Some(limit), Some(duration)) = (self.config.slower_than_ms, duration) {
            if duration > limit {
                self.counts.kept_for_latency += 1;
                return true;
            }
        }
        in_ratio(id, self.config.ratio)
    }

    fn remember(&mut self, id: TraceId, keep: bool) {
        if self.decisions.insert(id, keep).is_none() {
            self.decision_order.push_back(id);
        }
        while self.decision_order.len() > self.config.max_decisions {
            if let Some(old) = self.decision_order.pop_front() {
                self.decisions.remove(&old);
            }
        }
    }
}
