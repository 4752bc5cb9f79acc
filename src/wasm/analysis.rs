//! Bindings for trace analysis: an analyser per handle, fed file chunks (bytes) or items, its
//! price table replaced, its report (text or JSON) as the output. A file error's line and byte
//! are left in scratch words 0 and 1.

use wasm_bindgen::prelude::*;

use super::state::{call_error, fallible, put_scratch, set_output, with_state, CallError};
use crate::analysis::files::Analyzer;
use crate::analysis::input::InputError as FileError;
use crate::error::InputError;

fn with_analyzer(
    id: u32,
    f: impl FnOnce(&mut Analyzer) -> Result<f64, CallError>,
) -> Result<f64, CallError> {
    with_state(
        |s| match s.analyzers.get_mut(id as usize).and_then(Option::as_mut) {
            Some(analyzer) => f(analyzer),
            None => Err(call_error(InputError::UnknownHandle)),
        },
    )
}

fn file_error(error: FileError) -> CallError {
    put_scratch(&[
        u32::try_from(error.line).unwrap_or(u32::MAX),
        u32::try_from(error.offset).unwrap_or(u32::MAX),
    ]);
    CallError::Plain(error.message)
}

/// Creates an analyser; returns its handle.
#[wasm_bindgen]
pub fn analysis_new() -> f64 {
    with_state(|s| {
        let slot = match s.analyzers.iter().position(Option::is_none) {
            Some(slot) => slot,
            None => {
                s.analyzers.push(None);
                s.analyzers.len() - 1
            }
        };
        s.analyzers[slot] = Some(Analyzer::new());
        slot as f64
    })
}

/// Frees an analyser.
#[wasm_bindgen]
pub fn analysis_free(id: u32) {
    with_state(|s| {
        if let Some(slot) = s.analyzers.get_mut(id as usize) {
            *slot = None;
        }
    });
}

/// Feeds the next chunk of the current file.
#[wasm_bindgen]
pub fn analysis_feed(id: u32, chunk: &[u8]) -> f64 {
    settle(with_analyzer(id, |a| {
        a.feed(chunk).map(|()| 0.0).map_err(file_error)
    }))
}

/// Ends the current file.
#[wasm_bindgen]
pub fn analysis_end_file(id: u32) -> f64 {
    settle(with_analyzer(id, |a| {
        a.end_file().map(|()| 0.0).map_err(file_error)
    }))
}

/// Adds one export item's JSON text.
#[wasm_bindgen]
pub fn analysis_add_item(id: u32, json: &str) -> f64 {
    settle(with_analyzer(id, |a| {
        a.add_item(json).map(|()| 0.0).map_err(call_error)
    }))
}

/// Replaces the price table (`{date, source, prices: [{model, input, cachedInput?, output}]}`).
#[wasm_bindgen]
pub fn analysis_set_prices(id: u32, json: &str) -> f64 {
    settle(with_analyzer(id, |a| {
        if a.set_prices(json) {
            Ok(0.0)
        } else {
            Err(CallError::Plain(
                "prices must be {date, source, prices: [{model, input, cachedInput?, output}]} (USD per million tokens)",
            ))
        }
    }))
}

/// The report of every trace read (JSON or text), as the output; returns the trace count.
#[wasm_bindgen]
pub fn analysis_report(id: u32, json: bool) -> f64 {
    fallible(|s| {
        let analyzer = s
            .analyzers
            .get(id as usize)
            .and_then(Option::as_ref)
            .ok_or_else(|| call_error(InputError::UnknownHandle))?;
        let count = analyzer.traces() as f64;
        let report = analyzer.report(json);
        set_output(s, report.into_bytes());
        Ok(count)
    })
}

/// A result as a fallible call's answer (NaN with the error kept for `take_error`).
fn settle(result: Result<f64, CallError>) -> f64 {
    fallible(|_| result)
}
