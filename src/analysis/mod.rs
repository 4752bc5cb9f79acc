//! Trace analysis, one implementation for processors, the command line and the inspector page:
//! reading exported files (`input`), assembling traces from their items (`traces`), usage
//! (`usage`) and cost (`cost`), and the analysis itself (`analyze`).

pub mod analyze;
pub mod cost;
pub mod files;
pub mod input;
pub mod report;
pub mod traces;
pub mod usage;
