//! The wasm-bindgen binding layer: numbers and strings in, numbers and bytes out. It holds the
//! one provider of this wasm instance and the batch queues, turns core errors into the kind and
//! message of the JS error to throw (`TypeError` / `RangeError`), and seeds the id generator from
//! `crypto.getRandomValues` at the first id. No tracing logic lives here.

#[cfg(feature = "analysis")]
mod analysis;
mod batch;
#[cfg(feature = "chain")]
mod chain;
mod config;
mod ids;
mod retry;
mod rules;
mod spans;
mod state;
mod text;
mod traces;

/// Talc instead of Rust's default dlmalloc: smaller, so V8 compiles less at the first allocation.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
