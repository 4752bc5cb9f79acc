//! The batch processor's queue: items serialized at enqueue, held in a bounded queue, handed out
//! in batches for export, one export in flight at a time (`flights`). Drops when full, refuses
//! items after it is closed, and counts every item: `queued = pending + in flight + exported +
//! failed + dropped` at all times.
//!
//! Like the JS SDK's `BatchTraceProcessor`, it enqueues a trace when it starts and a span when it
//! ends. The host drives time (the schedule delay, the export time bound) and the export itself.

use std::collections::VecDeque;
use std::rc::Rc;

use super::flights::{ExportKind, Flights, Refusal, Settled};
use super::{TracingProcessor, Wants};
use crate::error::InputError;
use crate::export::body::ingest_body;
use crate::export::ingest::IngestCounts;
use crate::export::json::{write_span_item_limited, write_trace_item_limited, Ingest};
use crate::model::records::{SpanRecord, TraceRecord};
use crate::model::span_data::SpanData;

/// The JS SDK's default maximum queue size.
pub const DEFAULT_MAX_QUEUE_SIZE: usize = 1000;
/// The JS SDK's default maximum batch size.
pub const DEFAULT_MAX_BATCH_SIZE: usize = 100;
/// The JS SDK's default schedule delay, in milliseconds.
pub const DEFAULT_SCHEDULE_DELAY_MS: f64 = 5000.0;
/// The JS SDK's default export trigger ratio.
pub const DEFAULT_EXPORT_TRIGGER_RATIO: f64 = 0.8;
/// How long an export may take before it counts as failed, for exporters that declare no budget
/// of their own (OpenTelemetry's default export timeout).
pub const DEFAULT_EXPORT_TIMEOUT_MS: f64 = 30_000.0;
/// Exports that timed out and never settled, at most, before batches are dropped instead.
pub const DEFAULT_MAX_ABANDONED_EXPORTS: usize = 2;

/// Batch processor options, with the JS SDK's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchConfig {
    /// Items held at most; more are dropped and counted.
    pub max_queue_size: usize,
    /// Items per scheduled export at most.
    pub max_batch_size: usize,
    /// Milliseconds between scheduled exports (the host runs the timer).
    pub schedule_delay_ms: f64,
    /// An export starts at once when the queue holds more than `max_queue_size * ratio` items.
    pub export_trigger_ratio: f64,
    /// Apply the ingest endpoint's rules when queuing (for exporters that send to it).
    pub ingest_limits: bool,
    /// With them, remove reasoning from generation input/output (the official endpoint).
    pub omit_reasoning: bool,
    /// Milliseconds an export may take (the host enforces it; kept here with the defaults).
    pub export_timeout_ms: f64,
    /// Exports that timed out and never settled, at most; past it batches are dropped.
    pub max_abandoned_exports: usize,
}

impl Default for BatchConfig {
    fn default() -> Self {
        BatchConfig {
            max_queue_size: DEFAULT_MAX_QUEUE_SIZE,
            max_batch_size: DEFAULT_MAX_BATCH_SIZE,
            schedule_delay_ms: DEFAULT_SCHEDULE_DELAY_MS,
            export_trigger_ratio: DEFAULT_EXPORT_TRIGGER_RATIO,
            ingest_limits: false,
            omit_reasoning: false,
            export_timeout_ms: DEFAULT_EXPORT_TIMEOUT_MS,
            max_abandoned_exports: DEFAULT_MAX_ABANDONED_EXPORTS,
        }
    }
}

impl BatchConfig {
    /// Checks the ranges: sizes at least 1, a finite non-negative delay, a ratio in (0, 1], a
    /// finite positive export time bound.
    pub fn validate(self) -> Result<Self, InputError> {
        let ok = self.max_queue_size >= 1
            && self.max_batch_size >= 1
            && self.schedule_delay_ms.is_finite()
            && self.schedule_delay_ms >= 0.0
            && self.export_trigger_ratio > 0.0
            && self.export_trigger_ratio <= 1.0
            && self.export_timeout_ms.is_finite()
            && self.export_timeout_ms > 0.0;
        if ok {
            Ok(self)
        } else {
            Err(InputError::BadBatchOption)
        }
    }

    fn trigger_len(&self) -> usize {
        (self.max_queue_size as f64 * self.export_trigger_ratio) as usize
    }
}

/// Counters of a batch queue. Every item offered is in exactly one of `pending` (the queue's
/// length), `in_flight`, `exported`, `failed` and `dropped`: they add up to `queued`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Items offered to the queue.
    pub queued: u64,
    /// Items waiting in the queue.
    pub pending: u64,
    /// Items handed out in exports that have not settled.
    pub in_flight: u64,
    /// Items the exporter delivered.
    pub exported: u64,
    /// Items of exports that failed (the exporter gave up, threw or rejected) or timed out.
    pub failed: u64,
    /// Items never exported: the queue was full (or memory short), the queue was closed, or
    /// the cap on abandoned exports was reached.
    pub dropped: u64,
    /// Of `dropped`, items offered after the queue was closed.
    pub refused: u64,
    /// Of `failed`, items of exports that timed out.
    pub timed_out: u64,
    /// What the ingest rules changed: span fields cut, metadata values flattened.
    pub ingest: IngestCounts,
}

impl BatchStats {
    fn add(&mut self, settled: Settled) {
        self.exported += settled.exported;
        self.failed += settled.failed;
        self.timed_out += settled.timed_out;
    }
}

/// What `begin_export` gives the host.
#[derive(Debug, PartialEq, Eq)]
pub enum Export {
    /// Nothing to export (or nothing may start: another export is in flight).
    None,
    /// A batch to hand to the exporter, as part of export `flight`.
    Batch {
        /// The export this batch belongs to (report on it with `settle`, `end_export`).
        flight: u32,
        /// The items.
        batch: Batch,
    },
    /// Exports that timed out fill the cap: this many items were taken and dropped instead.
    Dropped(u64),
}

/// A batch taken from the queue: the items' JSON back to back, each followed by a comma, and
/// each item's length (without its comma).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// `item,item,...item,`
    pub bytes: Vec<u8>,
    /// The length of each item, in order.
    pub lengths: Vec<u32>,
    /// The export API key of the traces these items belong to (`None`: the exporter's own).
    pub api_key: Option<Rc<str>>,
}

impl Batch {
    /// How many items.
    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    /// Whether the batch has no item.
    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// The ingest body `{"data":[...]}`, built with one copy of the items.
    pub fn body(&self) -> Result<Vec<u8>, std::collections::TryReserveError> {
        let items = self.bytes.strip_suffix(b",").unwrap_or(&self.bytes);
        ingest_body(items)
    }

    /// Each item's JSON, in order.
    pub fn items(&self) -> impl Iterator<Item = &[u8]> {
        let mut at = 0usize;
        self.lengths.iter().map(move |&len| {
            let item = &self.bytes[at..at + len as usize];
            at += len as usize + 1;
            item
        })
    }
}

/// The bounded queue of serialized items, kept back to back in one buffer (each followed by a
/// comma), so a batch and the ingest body are built with a single copy.
#[derive(Debug, Default)]
pub struct BatchQueue {
    config: BatchConfig,
    buffer: Vec<u8>,
    lengths: VecDeque<u32>,
    /// Each item's trace's own export key, when any item has one (else empty).
    keys: VecDeque<Option<Rc<str>>>,
    stats: BatchStats,
    flights: Flights,
    closed: bool,
    first_drop_reported: bool,
}

impl BatchQueue {
    /// An empty queue with validated options.
    pub fn new(config: BatchConfig) -> Result<Self, InputError> {
        let config = config.validate()?;
        Ok(BatchQueue {
            config,
            flights: Flights::new(config.max_abandoned_exports),
            ..BatchQueue::default()
        })
    }

    /// The options.
    pub fn config(&self) -> BatchConfig {
        self.config
    }

    /// The counters.
    pub fn stats(&self) -> BatchStats {
        BatchStats {
            pending: self.lengths.len() as u64,
            in_flight: self.flights.in_flight(),
            ..self.stats
        }
    }

    /// Items waiting.
    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// Whether the queue holds more than its trigger size (export at once, as the SDK does).
    pub fn export_due(&self) -> bool {
        self.lengths.len() > self.config.trigger_len()
    }

    /// Whether an export is in flight (one that timed out aside).
    pub fn exporting(&self) -> bool {
        self.flights.busy()
    }

    /// Refuses every item from now on (counted `refused`); what is queued can still be taken,
    /// and the queue's memory is given back once it is empty.
    pub fn close(&mut self) {
        self.closed = true;
        self.release_if_drained();
    }

    /// Whether the queue was closed.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    fn release_if_drained(&mut self) {
        if self.closed && self.lengths.is_empty() {
            self.buffer = Vec::new();
            self.lengths = VecDeque::new();
            self.keys = VecDeque::new();
        }
    }

    /// Starts an export of `kind` when one may start: its first batch (for `All` and
    /// `Keepalive`, `take_more` gives the batches of other export keys). `max_bytes` bounds a
    /// batch's items once the first is in.
    pub fn begin_export(&mut self, kind: ExportKind, max_bytes: usize) -> Export {
        if self.lengths.is_empty() {
            return Export::None;
        }
        match self.flights.check(kind) {
            Err(Refusal::Busy) => Export::None,
            Err(Refusal::AbandonedCap) => {
                let batch = self.take_for(kind, max_bytes);
                let count = batch.len() as u64;
                self.stats.dropped += count;
                Export::Dropped(count)
            }
            Ok(()) => {
                let flight = self.flights.begin(kind);
                match self.take_more(flight, kind, max_bytes) {
                    Some(batch) => Export::Batch { flight, batch },
                    None => Export::None,
                }
            }
        }
    }

    /// The next batch of export `flight` (items of the next export key), if any.
    pub fn take_more(&mut self, flight: u32, kind: ExportKind, max_bytes: usize) -> Option<Batch> {
        let batch = self.take_for(kind, max_bytes);
        if batch.is_empty() {
            return None;
        }
        self.flights.add(flight, batch.len() as u64);
        Some(batch)
    }

    fn take_for(&mut self, kind: ExportKind, max_bytes: usize) -> Batch {
        let max = match kind {
            ExportKind::Scheduled => self.config.max_batch_size,
            ExportKind::All | ExportKind::Keepalive => self.lengths.len(),
        };
        let batch = self.take(max, max_bytes);
        self.release_if_drained();
        batch
    }

    /// The host reports `items` of export `flight` delivered or not (a late answer for an
    /// export that timed out changes nothing). What the queue wants next.
    pub fn settle(&mut self, flight: u32, items: u64, delivered: bool) -> Wants {
        let settled = self.flights.settle(flight, items, delivered);
        self.stats.add(settled);
        self.next_wants()
    }

    /// Export `flight` is over: items never reported count failed. What the queue wants next.
    pub fn end_export(&mut self, flight: u32) -> Wants {
        let settled = self.flights.end(flight);
        self.stats.add(settled);
        self.next_wants()
    }

    /// Export `flight` ran out of time: its items count failed (timed out) and the next export
    /// may start. Whether it was in flight.
    pub fn time_out(&mut self, flight: u32) -> bool {
        let settled = self.flights.time_out(flight);
        self.stats.add(settled);
        settled != Settled::default()
    }

    /// After an export: start another now if the queue is past its trigger size, and keep the
    /// timer running while items wait.
    fn next_wants(&self) -> Wants {
        Wants {
            export_now: self.export_due(),
            timer: !self.lengths.is_empty(),
            holding: false,
            records: false,
        }
    }

    /// True once, at the first drop (the host logs that one, not every drop).
    pub fn take_first_drop_report(&mut self) -> bool {
        if self.stats.dropped > 0 && !self.first_drop_reported {
            self.first_drop_reported = true;
            return true;
        }
        false
    }

    /// Queues the item `write` writes (under the ingest rules when the queue applies them, what
    /// they changed counted), unless the queue is full or memory short (then counted dropped).
    fn enqueue(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>, Ingest),
        size_hint: usize,
        api_key: Option<&str>,
    ) -> Wants {
        self.stats.queued += 1;
        if self.closed {
            self.stats.dropped += 1;
            self.stats.refused += 1;
            return Wants::default();
        }
        if self.lengths.len() >= self.config.max_queue_size
            || self.buffer.try_reserve(size_hint + 1).is_err()
            || self.lengths.try_reserve(1).is_err()
            || self.keys.try_reserve(1).is_err()
        {
            self.stats.dropped += 1;
            return Wants::default();
        }
        let start = self.buffer.len();
        let mut counts = IngestCounts {
            omit_reasoning: self.config.omit_reasoning,
            ..IngestCounts::default()
        };
        write(
            &mut self.buffer,
            self.config.ingest_limits.then_some(&mut counts),
        );
        self.stats.ingest.truncated += counts.truncated;
        self.stats.ingest.flattened += counts.flattened;
        let Ok(len) = u32::try_from(self.buffer.len() - start) else {
            self.buffer.truncate(start);
            self.stats.dropped += 1;
            return Wants::default();
        };
        self.buffer.push(b',');
        let was_empty = self.lengths.is_empty();
        self.lengths.push_back(len);
        // Keys are kept only once an item has one (then one per item): the common case stores none.
        if api_key.is_some() || !self.keys.is_empty() {
            self.keys.resize(self.lengths.len() - 1, None);
            let same = self.keys.back().and_then(Option::as_deref) == api_key;
            let key = if same {
                self.keys.back().cloned().flatten()
            } else {
                api_key.map(Rc::from)
            };
            self.keys.push_back(key);
        }
        Wants {
            export_now: self.export_due(),
            timer: was_empty,
            holding: false,
            records: false,
        }
    }

    /// Takes up to `max` items, in order, all of one export key: the first item's (items of
    /// other keys stay queued, in order), and no more than `max_bytes` of items once the first
    /// is in (browsers cap keepalive requests at 64 KB).
    fn take(&mut self, max: usize, max_bytes: usize) -> Batch {
        if self.keys.iter().all(Option::is_none) {
            self.keys.clear();
            return self.take_front(max, max_bytes);
        }
        self.take_keyed(max, max_bytes)
    }

    /// `take` when some item has its own export key (kept out of line: the rare case).
    #[inline(never)]
    fn take_keyed(&mut self, max: usize, max_bytes: usize) -> Batch {
        let api_key = self.keys.front().cloned().flatten();
        let mut batch = Batch {
            api_key: api_key.clone(),
            ..Batch::default()
        };
        let mut kept = Vec::with_capacity(self.buffer.len());
        let (mut kept_lengths, mut kept_keys) = (VecDeque::new(), VecDeque::new());
        let mut at = 0usize;
        let mut full = false;
        for (len, key) in self.lengths.drain(..).zip(self.keys.drain(..)) {
            let item = &self.buffer[at..at + len as usize + 1];
            at += len as usize + 1;
            if !full && key == api_key {
                full = batch.lengths.len() >= max
                    || (!batch.lengths.is_empty() && batch.bytes.len() + item.len() > max_bytes);
            }
            if !full && key == api_key {
                batch.bytes.extend_from_slice(item);
                batch.lengths.push(len);
            } else {
                kept.extend_from_slice(item);
                kept_lengths.push_back(len);
                kept_keys.push_back(key);
            }
        }
        self.buffer = kept;
        self.lengths = kept_lengths;
        self.keys = kept_keys;
        batch
    }

    /// Takes up to `max` items (and `max_bytes` once the first is in) from the front (no item
    /// has its own key).
    fn take_front(&mut self, max: usize, max_bytes: usize) -> Batch {
        let mut count = 0;
        let mut bytes = 0usize;
        for &len in self.lengths.iter().take(max) {
            if count > 0 && bytes + len as usize + 1 > max_bytes {
                break;
            }
            bytes += len as usize + 1;
            count += 1;
        }
        let lengths: Vec<u32> = self.lengths.drain(..count).collect();
        let total: usize = lengths.iter().map(|&len| len as usize + 1).sum();
        let bytes = if total == self.buffer.len() {
            std::mem::take(&mut self.buffer)
        } else {
            self.buffer.drain(..total).collect()
        };
        Batch {
            bytes,
            lengths,
            api_key: None,
        }
    }
}

/// A rough size for an item, so the buffer is reserved once per item.
fn span_size_hint(span: &SpanRecord<'_>) -> usize {
    let data = match &span.data {
        SpanData::Function {
            name,
            input,
            output,
        } => name.len() + input.len() + output.len(),
        SpanData::Fields { fields, .. } => {
            fields.0.iter().map(|(k, v)| k.len() + v.len() + 4).sum()
        }
    };
    let error = span
        .error
        .as_ref()
        .map_or(0, |e| e.message.len() + e.data.map_or(0, str::len));
    260 + data + error
}

impl TracingProcessor for BatchQueue {
    fn on_trace_start(&mut self, trace: &TraceRecord<'_>) -> Wants {
        let hint = 128
            + trace.workflow_name.len()
            + trace.group_id.map_or(0, |group| group.len())
            + trace.metadata.as_deref().map_or(0, str::len);
        self.enqueue(
            |out, ingest| write_trace_item_limited(out, trace, ingest),
            hint,
            trace.api_key,
        )
    }

    fn on_span_end(&mut self, span: &SpanRecord<'_>) -> Wants {
        self.enqueue(
            |out, ingest| write_span_item_limited(out, span, ingest),
            span_size_hint(span),
            span.api_key,
        )
    }
}
