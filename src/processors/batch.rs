//! The batch processor's queue: items serialized at enqueue, held in a bounded queue, handed out
//! in batches for export. Drops when full, and counts every drop.
//!
//! Like the JS SDK's `BatchTraceProcessor`, it enqueues a trace when it starts and a span when it
//! ends. The host drives time (the schedule delay) and the export itself.

use std::collections::VecDeque;
use std::rc::Rc;

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
        }
    }
}

impl BatchConfig {
    /// Checks the ranges: sizes at least 1, a finite non-negative delay, a ratio in (0, 1].
    pub fn validate(self) -> Result<Self, InputError> {
        let ok = self.max_queue_size >= 1
            && self.max_batch_size >= 1
            && self.schedule_delay_ms.is_finite()
            && self.schedule_delay_ms >= 0.0
            && self.export_trigger_ratio > 0.0
            && self.export_trigger_ratio <= 1.0;
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

/// Counters of a batch queue. `accepted = handed_out + queued` at all times.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Items taken into the queue.
    pub accepted: u64,
    /// Items dropped because the queue was full (or memory for them could not be had).
    pub dropped: u64,
    /// Items handed to the exporter.
    pub handed_out: u64,
    /// What the ingest rules changed: span fields cut, metadata values flattened.
    pub ingest: IngestCounts,
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
    first_drop_reported: bool,
}

impl BatchQueue {
    /// An empty queue with validated options.
    pub fn new(config: BatchConfig) -> Result<Self, InputError> {
        Ok(BatchQueue {
            config: config.validate()?,
            ..BatchQueue::default()
        })
    }

    /// The options.
    pub fn config(&self) -> BatchConfig {
        self.config
    }

    /// The counters.
    pub fn stats(&self) -> BatchStats {
        self.stats
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
        self.stats.accepted += 1;
        Wants {
            export_now: self.export_due(),
            timer: was_empty,
        }
    }

    /// Takes up to `max` items, in order, all of one export key: the first item's (items of
    /// other keys stay queued, in order), and no more than `max_bytes` of items once the first
    /// is in (browsers cap keepalive requests at 64 KB).
    pub fn take(&mut self, max: usize, max_bytes: usize) -> Batch {
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
        self.stats.handed_out += batch.lengths.len() as u64;
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
        self.stats.handed_out += count as u64;
        Batch {
            bytes,
            lengths,
            api_key: None,
        }
    }

    /// Takes one scheduled batch: up to `max_batch_size` items.
    pub fn take_batch(&mut self) -> Batch {
        self.take(self.config.max_batch_size, usize::MAX)
    }

    /// Takes everything (what `forceFlush` exports, as one batch like the JS SDK).
    pub fn take_all(&mut self) -> Batch {
        self.take(self.lengths.len(), usize::MAX)
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
            + trace.metadata.map_or(0, str::len);
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
