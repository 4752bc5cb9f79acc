//! Bindings for batch queues: create, register with the provider, take batches (as item lines
//! or as the ingest body), and read counters.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::state::{js_error, put_scratch, with_state, State};
use crate::error::InputError;
use crate::processors::batch::{BatchConfig, BatchQueue};
use crate::provider::SharedProcessor;

fn queue(state: &State, id: u32) -> Result<Rc<RefCell<BatchQueue>>, JsValue> {
    state
        .batches
        .get(id as usize)
        .and_then(Option::clone)
        .ok_or_else(|| js_error(InputError::UnknownHandle))
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
) -> Result<u32, JsValue> {
    let queue = BatchQueue::new(BatchConfig {
        max_queue_size: max_queue_size as usize,
        max_batch_size: max_batch_size as usize,
        schedule_delay_ms,
        export_trigger_ratio,
        ingest_limits,
        omit_reasoning,
    })
    .map_err(js_error)?;
    with_state(|s| {
        s.batches.push(Some(Rc::new(RefCell::new(queue))));
        Ok((s.batches.len() - 1) as u32)
    })
}

/// Makes the provider's native processors exactly these batch queues, in order.
#[wasm_bindgen]
pub fn set_native_processors(ids: &[u32]) -> Result<(), JsValue> {
    with_state(|s| {
        let processors = ids
            .iter()
            .map(|&id| queue(s, id).map(|q| q as SharedProcessor))
            .collect::<Result<Vec<_>, _>>()?;
        s.provider.set_processors(processors);
        Ok(())
    })
}

/// Takes items of one export key from a queue (`take_batch_key` says which). `all`: every item
/// of that key (else one scheduled batch); `max_bytes` (0: no limit) bounds the items' bytes. `body`: returns the ingest body `{"data":[...]}`; else
/// the items back to back, each followed by a comma, with their lengths kept for
/// `take_batch_lengths`. The item count goes to scratch word 0.
#[wasm_bindgen]
pub fn batch_take(id: u32, all: bool, body: bool, max_bytes: u32) -> Result<Vec<u8>, JsValue> {
    with_state(|s| {
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
        put_scratch(&[batch.len() as u32]);
        s.last_key = batch.api_key.clone();
        if body {
            batch.body().map_err(|_| {
                JsValue::from(js_sys::RangeError::new("export body too large for memory"))
            })
        } else {
            s.last_lengths = batch.lengths;
            Ok(batch.bytes)
        }
    })
}

/// The export key of the traces in the last `batch_take`'s batch (`None`: the exporter's own).
#[wasm_bindgen]
pub fn take_batch_key() -> Option<String> {
    with_state(|s| s.last_key.take().map(|key| key.to_string()))
}

/// The item lengths of the last `batch_take` without `body`.
#[wasm_bindgen]
pub fn take_batch_lengths() -> Vec<u32> {
    with_state(|s| std::mem::take(&mut s.last_lengths))
}

/// Counters: scratch 0 accepted, 1 dropped, 2 handed out, 3 queued, 4 fields truncated,
/// 5 metadata values flattened (each saturating at u32).
/// Returns whether this is the first time a drop is reported.
#[wasm_bindgen]
pub fn batch_stats(id: u32) -> Result<bool, JsValue> {
    with_state(|s| {
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
        Ok(queue.take_first_drop_report())
    })
}

/// Whether the queue holds more than its trigger size.
#[wasm_bindgen]
pub fn batch_export_due(id: u32) -> Result<bool, JsValue> {
    with_state(|s| Ok(queue(s, id)?.borrow().export_due()))
}

/// Items waiting in the queue.
#[wasm_bindgen]
pub fn batch_len(id: u32) -> Result<u32, JsValue> {
    with_state(|s| Ok(queue(s, id)?.borrow().len() as u32))
}
