//! Export payloads: the JSON of trace and span items, exactly the Agents SDK's shapes, and the
//! ingest body `{"data":[...]}` that carries them.

pub mod body;
pub mod json;
