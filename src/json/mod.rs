//! Minimal JSON: the one tokenizer every reader builds on (`tokens`), validating JSON text and
//! splitting an object's top-level members without copying (`scan`), and writing strings with
//! `JSON.stringify`'s escapes (`escape`). Values are never decoded: they pass through as the text
//! JS wrote, byte for byte.
//!
//! Hand-written for size (the whole wasm module is a start-up cost in every isolate) and speed;
//! checked against serde_json in the tests.

pub mod escape;
pub mod scan;
pub mod tokens;
