//! Export payloads: the JSON of trace and span items, exactly the Agents SDK's shapes, the
//! ingest body `{"data":[...]}` that carries them, the ingest endpoint's rules for what it is
//! sent, and the retry policy for sending it.

pub mod body;
pub mod ingest;
pub mod json;
pub mod retry;
pub mod rules;
pub mod truncate;
