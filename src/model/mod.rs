//! The data model: ids, timestamps, span data, span errors, the trace and span records that
//! processors receive, and reading them back from export items.

pub mod ids;
pub mod read;
pub mod records;
pub mod sensitive;
pub mod span_data;
pub mod time;
