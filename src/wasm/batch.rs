//! Bindings for batch queues: create, register with the provider, take batches (as item lines
//! or as the ingest body, through the output words), and read counters. Failures return NaN
//! (see `state`).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::state::{
    call_error, fallible, point_output, put_scratch, set_output, with_state, CallError, State,
};
use crate::error::InputError;
use crate::processors::batch::{BatchConfig, BatchQueue};
use crate::provider::SharedProcessor;

fn queue(state: &State, id: u32) -> Result<Rc<RefCell<BatchQueue>>, CallError> {
    state
        .batches
        .get(id as usize)
        .and_then(Option::clone)
        .ok_or_else(|| call_error(InputError::UnknownHandle))
}

/// Creates a batch queue; returns its handle. `ingest_limits`: apply the ingest endpoint's rules
/// when queuing (field limit, generation usage shape, flat metadata); `omit_reasoning`: also
/// remove generation reasoning (the official endpoint).
#[wasm_bindgen]
pub fn batch_new(
    max_queue_size: u32,
    max_batch_size: u32,
    schedule_delay_ms: f64,
    export_trigger_ratio: f64,
    ingest_limits: bool,
    omit_reasoning: bool,
) -> f64 {
    fallible(|s| {
        let queue = BatchQueue::new(BatchConfig {
            max_queue_size: max_queue_size as usize,
            max_batch_size: max_batch_size as usize,
            schedule_delay_ms,
            export_trigger_ratio,
            ingest_limits,
            omit_reasoning,
        })
        .map_err(call_error)?;
        s.batches.push(Some(Rc::new(RefCell::new(queue))));
        Ok((s.batches.len() - 1) as f64)
    })
}

/// Makes the provider's native processors exactly these batch queues, in order.
#[wasm_bindgen]
pub fn set_native_processors(ids: &[u32]) -> f64 {
    fallible(|s| {
        let processors = ids
            .iter()
            .map(|&id| queue(s, id).map(|q| q as SharedProcessor))
            .collect::<Result<Vec<_>, _>>()?;
        s.provider.set_processors(processors);
        Ok(0.0)
    })
}

/// Takes items of one export key from a queue (`take_batch_key` says which). `all`: every item
/// of that key (else one scheduled batch); `max_bytes` (0: no limit) bounds the items' bytes.
/// The output: with `body`, the ingest body `{"data":[...]}`; else the items back to back, each
/// followed by a comma, with their lengths kept for `batch_lengths`. Returns the item count.
#[wasm_bindgen]
pub fn batch_take(id: u32, all: bool, body: bool, max_bytes: u32) -> f64 {
    fallible(|s| {
        let queue = queue(s, id)?;
        let mut queue = queue.borrow_mut();
        let limit = if max_bytes == 0 {
            usize::MAX
        } else {
            max_bytes as usize
        };
        let batch = match (all, limit) {
            (true, usize::MAX) => queue.take_all(),
            (true, _) => queue.take(usize::MAX, limit),
            (false, _) => {
                let max_batch_size = queue.config().max_batch_size;
                queue.take(max_batch_size, limit)
            }
        };
        let count = batch.len() as f64;
        s.last_key = batch.api_key.clone();
        let bytes = if body {
            batch
                .body()
                .map_err(|_| CallError::Range("export body too large for memory"))?
        } else {
            s.last_lengths = batch.lengths;
            batch.bytes
        };
        set_output(s, bytes);
        Ok(count)
    })
}

/// Whether the traces in the last `batch_take`'s batch have an export key of their own (then it
/// is the output; else the exporter's key applies).
#[wasm_bindgen]
pub fn take_batch_key() -> bool {
    with_state(|s| match s.last_key.take() {
        Some(key) => {
            set_output(s, key.as_bytes().to_vec());
            true
        }
        None => false,
    })
}

/// Points the output words at the item lengths of the last `batch_take` without `body`.
#[wasm_bindgen]
pub fn batch_lengths() {
    with_state(|s| point_output(&s.last_lengths));
}

/// Counters: scratch 0 accepted, 1 dropped, 2 handed out, 3 queued, 4 fields truncated,
/// 5 metadata values flattened (each saturating at u32).
/// Returns 1 if this is the first time a drop is reported, else 0.
#[wasm_bindgen]
pub fn batch_stats(id: u32) -> f64 {
    fallible(|s| {
        let queue = queue(s, id)?;
        let mut queue = queue.borrow_mut();
        let stats = queue.stats();
        let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        put_scratch(&[
            clamp(stats.accepted),
            clamp(stats.dropped),
            clamp(stats.handed_out),
            clamp(queue.len() as u64),
            clamp(stats.ingest.truncated),
            clamp(stats.ingest.flattened),
        ]);
        Ok(f64::from(u8::from(queue.take_first_drop_report())))
    })
}

/// 1 if the queue holds more than its trigger size, else 0.
#[wasm_bindgen]
pub fn batch_export_due(id: u32) -> f64 {
    fallible(|s| Ok(f64::from(u8::from(queue(s, id)?.borrow().export_due()))))
}

/// Items waiting in the queue.
#[wasm_bindgen]
pub fn batch_len(id: u32) -> f64 {
    fallible(|s| Ok(queue(s, id)?.borrow().len() as f64))
}
