//! Bindings for batch queues: create, register with the provider, start and report on exports
//! (batches as item lines or as the ingest body, through the output words), close, free, and read
//! counters. Failures return NaN (see `state`).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::state::{
    call_error, fallible, free_slot, insert_slot, point_output, put_scratch, set_output,
    wants_bits, with_state, CallError, State,
};
use crate::abi::{batch_stat, export_kind, export_outcome};
use crate::error::InputError;
use crate::processors::batch::{Batch, BatchConfig, BatchQueue, Export};
use crate::processors::flights::ExportKind;
use crate::provider::SharedProcessor;

#[cfg(feature = "chain")]
use super::chain::chain_processor;

pub(crate) fn queue(state: &State, id: u32) -> Result<Rc<RefCell<BatchQueue>>, CallError> {
    state
        .batches
        .get(id as usize)
        .and_then(Option::clone)
        .ok_or_else(|| call_error(InputError::UnknownHandle))
}

/// Creates a batch queue; returns its handle (a freed one's slot is reused). `ingest_limits`:
/// apply the ingest endpoint's rules when queuing (field limit, generation usage shape, flat
/// metadata); `omit_reasoning`: also remove generation reasoning (the official endpoint).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn batch_new(
    max_queue_size: u32,
    max_batch_size: u32,
    schedule_delay_ms: f64,
    export_trigger_ratio: f64,
    export_timeout_ms: f64,
    max_abandoned_exports: u32,
    ingest_limits: bool,
    omit_reasoning: bool,
) -> f64 {
    fallible(|s| {
        let queue = BatchQueue::new(BatchConfig {
            max_queue_size: max_queue_size as usize,
            max_batch_size: max_batch_size as usize,
            schedule_delay_ms,
            export_trigger_ratio,
            export_timeout_ms,
            max_abandoned_exports: max_abandoned_exports as usize,
            ingest_limits,
            omit_reasoning,
        })
        .map_err(call_error)?;
        Ok(f64::from(insert_slot(
            &mut s.batches,
            Rc::new(RefCell::new(queue)),
        )))
    })
}

/// Frees a queue's slot (its processor is gone; the provider drops its own reference when the
/// processors are next replaced).
#[wasm_bindgen]
pub fn batch_free(id: u32) {
    with_state(|s| free_slot(&mut s.batches, id));
}

/// Closes a queue: it refuses every item from now on (counted), and gives its memory back once
/// drained.
#[wasm_bindgen]
pub fn batch_close(id: u32) -> f64 {
    fallible(|s| {
        queue(s, id)?.borrow_mut().close();
        Ok(0.0)
    })
}

/// Makes the provider's native processors exactly these batch queues, then these chains (a
/// module built without the `chain` feature has none: any chain handle is unknown).
#[wasm_bindgen]
pub fn set_native_processors(batch_ids: &[u32], chain_ids: &[u32]) -> f64 {
    fallible(|s| {
        let batches = batch_ids
            .iter()
            .map(|&id| queue(s, id).map(|q| q as SharedProcessor));
        #[cfg(feature = "chain")]
        let chains = chain_ids.iter().map(|&id| chain_processor(s, id));
        #[cfg(not(feature = "chain"))]
        let chains = chain_ids
            .iter()
            .map(|_| Err::<SharedProcessor, _>(call_error(InputError::UnknownHandle)));
        let processors = batches.chain(chains).collect::<Result<Vec<_>, _>>()?;
        s.provider.set_processors(processors);
        Ok(0.0)
    })
}

/// The kind of export an `abi::export_kind` code asks for.
fn export_kind(code: u32) -> ExportKind {
    match code {
        export_kind::SCHEDULED => ExportKind::Scheduled,
        export_kind::ALL => ExportKind::All,
        _ => ExportKind::Keepalive,
    }
}

fn byte_limit(max_bytes: u32) -> usize {
    if max_bytes == 0 {
        usize::MAX
    } else {
        max_bytes as usize
    }
}

/// Makes `batch` the output: with `body`, the ingest body `{"data":[...]}`; else the items back
/// to back, each followed by a comma, with their lengths kept for `batch_lengths`. Returns the
/// item count.
fn output_batch(s: &mut State, batch: Batch, body: bool) -> Result<f64, CallError> {
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
}

/// Starts an export of `kind` (an `abi::export_kind`) when one may start, and takes its first batch
/// (items of one export key: `take_batch_key` says which); `max_bytes` (0: no limit) bounds the
/// batch's bytes. Returns the item count, with the export's id in scratch word 0; 0 when nothing
/// is queued or another export is in flight; minus the count when the cap on exports that timed
/// out was reached and the batch was dropped instead.
#[wasm_bindgen]
pub fn batch_take(id: u32, kind: u32, body: bool, max_bytes: u32) -> f64 {
    fallible(|s| {
        let queue = queue(s, id)?;
        let export = queue
            .borrow_mut()
            .begin_export(export_kind(kind), byte_limit(max_bytes));
        match export {
            Export::None => Ok(0.0),
            Export::Dropped(count) => Ok(-(count as f64)),
            Export::Batch { flight, batch } => {
                put_scratch(&[flight]);
                output_batch(s, batch, body)
            }
        }
    })
}

/// The next batch of export `flight` (items of the next export key), as `batch_take` gives it;
/// 0 when there is none.
#[wasm_bindgen]
pub fn batch_take_more(id: u32, flight: u32, kind: u32, body: bool, max_bytes: u32) -> f64 {
    fallible(|s| {
        let queue = queue(s, id)?;
        let batch = queue
            .borrow_mut()
            .take_more(flight, export_kind(kind), byte_limit(max_bytes));
        match batch {
            None => Ok(0.0),
            Some(batch) => output_batch(s, batch, body),
        }
    })
}

/// Reports `items` of export `flight` delivered or failed (an `abi::export_outcome`). Returns
/// status bits: what the queue wants next.
#[wasm_bindgen]
pub fn batch_settle(id: u32, flight: u32, items: u32, outcome: u32) -> f64 {
    fallible(|s| {
        let wants = queue(s, id)?.borrow_mut().settle(
            flight,
            u64::from(items),
            outcome == export_outcome::DELIVERED,
        );
        Ok(f64::from(wants_bits(wants)))
    })
}

/// Export `flight` is over (its items never reported count failed). Returns status bits.
#[wasm_bindgen]
pub fn batch_end(id: u32, flight: u32) -> f64 {
    fallible(|s| {
        let wants = queue(s, id)?.borrow_mut().end_export(flight);
        Ok(f64::from(wants_bits(wants)))
    })
}

/// Export `flight` ran out of time: 1 if it was in flight (its items now count failed), else 0.
#[wasm_bindgen]
pub fn batch_time_out(id: u32, flight: u32) -> f64 {
    fallible(|s| {
        Ok(f64::from(u8::from(
            queue(s, id)?.borrow_mut().time_out(flight),
        )))
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

/// Counters, in the scratch words `abi::batch_stat` numbers (each saturating at u32).
/// Returns 1 if this is the first time a drop is reported, else 0.
#[wasm_bindgen]
pub fn batch_stats(id: u32) -> f64 {
    fallible(|s| {
        let queue = queue(s, id)?;
        let mut queue = queue.borrow_mut();
        let stats = queue.stats();
        let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        let mut words = [0u32; batch_stat::TABLE.len()];
        for (slot, value) in [
            (batch_stat::QUEUED, stats.queued),
            (batch_stat::DROPPED, stats.dropped),
            (batch_stat::EXPORTED, stats.exported),
            (batch_stat::FAILED, stats.failed),
            (batch_stat::PENDING, stats.pending),
            (batch_stat::IN_FLIGHT, stats.in_flight),
            (batch_stat::REFUSED, stats.refused),
            (batch_stat::TIMED_OUT, stats.timed_out),
            (batch_stat::TRUNCATED, stats.ingest.truncated),
            (batch_stat::FLATTENED, stats.ingest.flattened),
        ] {
            words[slot as usize] = clamp(value);
        }
        put_scratch(&words);
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
