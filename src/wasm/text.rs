//! The text region: a buffer in wasm memory that JS encodes strings into (with `encodeInto`)
//! before a call, so hot calls pass only numbers: no allocation, copy or free per string.
//! JS concatenates a call's strings; the lengths it passes (in UTF-16 units, what JS counts) let
//! `crate::text::split` part them again.

use wasm_bindgen::prelude::*;

use super::state::with_state;

/// Makes the text region at least `capacity` bytes and returns its address (it moves only
/// when it grows). Returns 0 if the memory cannot be had.
#[wasm_bindgen]
pub fn text_region(capacity: u32) -> u32 {
    with_state(|s| {
        let capacity = capacity as usize;
        if s.text.len() < capacity {
            let extra = capacity - s.text.len();
            if s.text.try_reserve_exact(extra).is_err() {
                return 0;
            }
            s.text.resize(capacity, 0);
        }
        s.text.as_ptr() as u32
    })
}
