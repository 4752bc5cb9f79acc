//! Bindings for trace analysis and trace files: an analyser per handle, fed file chunks (bytes)
//! or items, its price table replaced, its report (text or JSON) as the output; a trace-file
//! reader per handle, fed chunks, its items (compact JSON, a line each) as the output. A file
//! error's line and byte are left in scratch words 0 and 1.

use wasm_bindgen::prelude::*;

use super::state::{
    call_error, fallible, free_slot, insert_slot, put_scratch, set_output, with_state, CallError,
};
use crate::analysis::files::Analyzer;
use crate::analysis::input::{InputError as FileError, TraceFileReader};
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
    with_state(|s| f64::from(insert_slot(&mut s.analyzers, Analyzer::new())))
}

/// Frees an analyser.
#[wasm_bindgen]
pub fn analysis_free(id: u32) {
    with_state(|s| free_slot(&mut s.analyzers, id));
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

/// Creates a trace-file reader (`bodies_only`: of ingest bodies only); returns its handle.
#[wasm_bindgen]
pub fn reader_new(bodies_only: bool) -> f64 {
    let reader = if bodies_only {
        TraceFileReader::bodies_only()
    } else {
        TraceFileReader::new()
    };
    with_state(|s| f64::from(insert_slot(&mut s.readers, reader)))
}

/// Frees a trace-file reader.
#[wasm_bindgen]
pub fn reader_free(id: u32) {
    with_state(|s| free_slot(&mut s.readers, id));
}

/// Feeds a reader the next chunk of its file (`end`: then ends the file, which fails if a value
/// was left open). The items it completed are the output, each item's compact JSON on a line of
/// its own; returns how many. On an error, the items read before it are the output.
#[wasm_bindgen]
pub fn reader_feed(id: u32, chunk: &[u8], end: bool) -> f64 {
    fallible(|s| {
        let reader = s
            .readers
            .get_mut(id as usize)
            .and_then(Option::as_mut)
            .ok_or_else(|| call_error(InputError::UnknownHandle))?;
        let mut out = Vec::new();
        let mut count = 0u32;
        let mut keep = |item: &str| {
            if count > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(item.as_bytes());
            count += 1;
            Ok(())
        };
        let mut result = reader.feed(chunk, &mut keep);
        if end && result.is_ok() {
            result = reader.finish(&mut keep);
        }
        set_output(s, out);
        result.map(|()| f64::from(count)).map_err(file_error)
    })
}

/// A result as a fallible call's answer (NaN with the error kept for `take_error`).
fn settle(result: Result<f64, CallError>) -> f64 {
    fallible(|_| result)
}
