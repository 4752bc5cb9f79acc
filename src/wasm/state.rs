//! The instance state (provider, batch queues, last item JSON), the scratch words ids cross in,
//! and the conversion of core errors into JS errors.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use js_sys::{RangeError, TypeError};
use wasm_bindgen::prelude::*;

use crate::error::InputError;
use crate::processors::batch::BatchQueue;
use crate::processors::Wants;
use crate::provider::{ensure_seeded, TraceProvider};

/// Everything this wasm instance holds.
#[derive(Default)]
pub(crate) struct State {
    pub provider: TraceProvider,
    pub batches: Vec<Option<Rc<RefCell<BatchQueue>>>>,
    pub last_json: Vec<u8>,
    pub last_lengths: Vec<u32>,
    /// The text region JS encodes strings into (see `text`).
    pub text: Vec<u8>,
    /// The error of the last call that reported `status::ERROR`.
    pub error: Option<JsValue>,
    /// The export key of the last batch taken.
    pub last_key: Option<std::rc::Rc<str>>,
    /// The retry state of each export in flight, by handle.
    pub retries: Vec<Option<crate::export::retry::Retry>>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Runs `f` on the state. Nothing inside calls back into JS, so the borrow never nests.
pub(crate) fn with_state<T>(f: impl FnOnce(&mut State) -> T) -> T {
    STATE.with(|state| f(&mut state.borrow_mut()))
}

/// Words JS reads ids (and counts) from after a call: a fixed place in wasm memory.
static SCRATCH: [AtomicU32; SCRATCH_WORDS] = [const { AtomicU32::new(0) }; SCRATCH_WORDS];

/// How many scratch words there are.
pub(crate) const SCRATCH_WORDS: usize = 8;

/// Words JS writes a span's ids into before a span call: the trace id (4), the span id (3), the
/// parent id (3). Passing them here instead of as arguments keeps the call's signature short.
static IDS: [AtomicU32; 10] = [const { AtomicU32::new(0) }; 10];

/// The address of the id words (JS views them as a `Uint32Array` of 10).
#[wasm_bindgen]
pub fn ids_ptr() -> *const u32 {
    IDS.as_ptr().cast()
}

/// The id words JS wrote for the current span call.
pub(crate) fn span_ids() -> ([u32; 4], [u32; 3], [u32; 3]) {
    let word = |i: usize| IDS[i].load(Ordering::Relaxed);
    (
        [word(0), word(1), word(2), word(3)],
        [word(4), word(5), word(6)],
        [word(7), word(8), word(9)],
    )
}

/// Writes words to the scratch area.
pub(crate) fn put_scratch(words: &[u32]) {
    for (slot, word) in SCRATCH.iter().zip(words) {
        slot.store(*word, Ordering::Relaxed);
    }
}

/// The address of the scratch words (JS views them as a `Uint32Array` of `SCRATCH_WORDS`).
#[wasm_bindgen]
pub fn scratch_ptr() -> *const u32 {
    SCRATCH.as_ptr().cast()
}

/// A core error as the JS error it stands for.
pub(crate) fn js_error(error: InputError) -> JsValue {
    let message = error.to_string();
    if error.is_range_error() {
        RangeError::new(&message).into()
    } else {
        TypeError::new(&message).into()
    }
}

/// Seeds the id generator from the platform's entropy, once, at the first id.
pub(crate) fn seed(state: &mut State) -> Result<(), JsValue> {
    ensure_seeded(&mut state.provider, || {
        getrandom::u64().map_err(|_| InputError::NotSeeded)
    })
    .map_err(|_| {
        JsValue::from(js_sys::Error::new(
            "edgetrace: random values are not available here (Cloudflare Workers forbid them at \
             global scope): create traces and spans inside a request handler",
        ))
    })
}

/// Status bits returned to JS after an event.
pub(crate) mod status {
    /// The call failed; `take_error` has the error.
    pub const ERROR: u32 = 1;
    /// A batch queue wants an export now.
    pub const EXPORT_NOW: u32 = 2;
    /// A batch queue became non-empty (its timer should run).
    pub const TIMER: u32 = 4;
}

/// The status bits for what processors want.
pub(crate) fn wants_bits(wants: Wants) -> u32 {
    (if wants.export_now {
        status::EXPORT_NOW
    } else {
        0
    }) | (if wants.timer { status::TIMER } else { 0 })
}

/// Runs `f` with the text region lent out of the state (put back whatever happens); a failure
/// is kept for `take_error` and reported as the `ERROR` status bit.
pub(crate) fn with_text(f: impl FnOnce(&mut State, &[u8]) -> Result<u32, JsValue>) -> u32 {
    with_state(|s| {
        let text = std::mem::take(&mut s.text);
        let result = f(s, &text);
        s.text = text;
        result.unwrap_or_else(|error| {
            s.error = Some(error);
            status::ERROR
        })
    })
}
