//! Export payloads: the JSON of trace and span items, exactly the Agents SDK's shapes, the
//! ingest body `{"data":[...]}` that carries them, and the retry policy for sending it.

pub mod body;
pub mod json;
pub mod retry;
pub mod truncate;
