//! The data model: ids, timestamps, span data, span errors, and the trace and span records that
//! processors receive.

pub mod ids;
pub mod records;
pub mod sensitive;
pub mod span_data;
pub mod time;
