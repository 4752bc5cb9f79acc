//! edgetrace: the tracing model of the OpenAI Agents SDK (traces, spans, processors, export
//! payloads) as a pure Rust core, with a thin wasm-bindgen layer (`wasm`) for JS runtimes.
//!
//! ```text
//!   JS API (pkg/) ──► wasm bindings (src/wasm) ──► TraceProvider ──► processors ──► export JSON
//!                                                    (config,         (BatchQueue,     (trace and
//!                                                     fan-out,         ...)             span items,
//!                                                     redaction)                        ingest body)
//! ```
//!
//! The core has no clock, no entropy source and no I/O: times arrive as milliseconds since the
//! Unix epoch, the id generator is seeded by the host, and export bodies are handed back as bytes.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod abi;
#[cfg(feature = "analysis")]
pub mod analysis;
#[cfg(feature = "chain")]
pub mod chain;
pub mod error;
pub mod export;
pub mod json;
pub mod model;
pub mod processors;
pub mod provider;
pub mod text;

#[cfg(target_arch = "wasm32")]
mod wasm;
