//! Bindings for the ingest rules over a whole body: what an exporter called directly (not fed
//! by a batch queue that applied them) runs before it sends. Failures return NaN (see `state`).

use wasm_bindgen::prelude::*;

use super::state::{fallible, put_scratch, set_output, CallError};
use crate::export::ingest::IngestCounts;
use crate::export::rules;
use crate::export::truncate::preview_json;

/// Applies the ingest rules to every item of the ingest body `body` (`omit_reasoning`: also
/// remove generation reasoning). Returns 1 with the new body as the output, or 0 when nothing
/// changed; the counts of fields truncated and metadata values flattened are in scratch 0 and 1.
#[wasm_bindgen]
pub fn ingest_rules(body: &[u8], omit_reasoning: bool) -> f64 {
    fallible(|s| {
        let text = std::str::from_utf8(body).map_err(|_| CallError::Range("body is not UTF-8"))?;
        let mut counts = IngestCounts {
            omit_reasoning,
            ..IngestCounts::default()
        };
        let rewritten = rules::body(text, &mut counts);
        let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        put_scratch(&[clamp(counts.truncated), clamp(counts.flattened)]);
        Ok(match rewritten {
            Some(body) => {
                set_output(s, body.into_bytes());
                1.0
            }
            None => 0.0,
        })
    })
}

/// The ingest preview object of a value that cannot be sent (its type name and preview text, as
/// JS reads them), cut to the field limit as the SDK cuts it, as the output.
#[wasm_bindgen]
pub fn field_preview(type_name: &str, preview: &str) -> f64 {
    fallible(|s| {
        set_output(s, preview_json(type_name, preview).into_bytes());
        Ok(0.0)
    })
}
