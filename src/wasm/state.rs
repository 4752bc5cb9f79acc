//! The instance state (provider, batch queues, last item JSON), the scratch words ids and
//! outputs cross in, and the errors of failed calls.
//!
//! Every export returns at most one value: strings and byte arrays are left in wasm memory with
//! their address and length in the output words, and a fallible call returns NaN with its error
//! kept for `take_error` (its kind and message: JS builds the error, so the module imports no
//! error constructors). (For each export signature with several results, V8 compiles a
//! wrapper when the module is compiled: ~0.1 ms each, ~2 ms of start-up for 23 of them.)

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use wasm_bindgen::prelude::*;

use crate::abi::{self, error_kind};
#[cfg(feature = "chain")]
use crate::chain::Chain;
use crate::error::InputError;
use crate::processors::batch::BatchQueue;
use crate::processors::Wants;
use crate::provider::{ensure_seeded, TraceProvider};

/// Everything this wasm instance holds.
#[derive(Default)]
pub(crate) struct State {
    pub provider: TraceProvider,
    pub batches: Vec<Option<Rc<RefCell<BatchQueue>>>>,
    #[cfg(feature = "chain")]
    pub chains: Vec<Option<Rc<RefCell<Chain>>>>,
    #[cfg(feature = "analysis")]
    pub analyzers: Vec<Option<crate::analysis::files::Analyzer>>,
    #[cfg(feature = "analysis")]
    pub readers: Vec<Option<crate::analysis::input::TraceFileReader>>,
    pub last_json: Vec<u8>,
    pub last_lengths: Vec<u32>,
    /// The bytes of the last call whose output is not kept elsewhere (see `set_output`).
    pub output: Vec<u8>,
    /// The text region JS encodes strings into (see `text`).
    pub text: Vec<u8>,
    /// The error of the last call that reported `status::ERROR` or returned NaN (`fallible`).
    pub error: Option<CallError>,
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

/// Words JS reads ids (and counts) from after a call: a fixed place in wasm memory. The last
/// two are the output words: the address and length of a call's output.
static SCRATCH: [AtomicU32; SCRATCH_WORDS] = [const { AtomicU32::new(0) }; SCRATCH_WORDS];

/// How many scratch words there are.
const SCRATCH_WORDS: usize = abi::scratch::WORDS as usize;

/// The first of the two output words.
const OUTPUT_WORD: usize = abi::scratch::OUTPUT as usize;

/// Words JS writes a span's ids into before a span call: the trace id (4), the span id (3), the
/// parent id (3). Passing them here instead of as arguments keeps the call's signature short.
static IDS: [AtomicU32; ID_WORDS] = [const { AtomicU32::new(0) }; ID_WORDS];

const ID_WORDS: usize = abi::scratch::ID_WORDS as usize;

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

/// Puts `value` in the first free slot of a handle table (a freed one is reused); returns the
/// slot, the handle JS keeps.
pub(crate) fn insert_slot<T>(slots: &mut Vec<Option<T>>, value: T) -> u32 {
    let slot = match slots.iter().position(Option::is_none) {
        Some(slot) => slot,
        None => {
            slots.push(None);
            slots.len() - 1
        }
    };
    slots[slot] = Some(value);
    slot as u32
}

/// Empties a handle table's slot (no-op for a slot that is not there).
pub(crate) fn free_slot<T>(slots: &mut [Option<T>], id: u32) {
    if let Some(slot) = slots.get_mut(id as usize) {
        *slot = None;
    }
}

/// Writes words to the scratch area.
pub(crate) fn put_scratch(words: &[u32]) {
    for (slot, word) in SCRATCH.iter().zip(words) {
        slot.store(*word, Ordering::Relaxed);
    }
}

/// Points the output words at `items` (address, length in items). They must stay where they
/// are until JS has read them: buffers of the state, untouched until the next call.
pub(crate) fn point_output<T>(items: &[T]) {
    SCRATCH[OUTPUT_WORD].store(items.as_ptr() as u32, Ordering::Relaxed);
    SCRATCH[OUTPUT_WORD + 1].store(items.len() as u32, Ordering::Relaxed);
}

/// Keeps `bytes` as this call's output (until the next one) and points the output words at them.
pub(crate) fn set_output(state: &mut State, bytes: Vec<u8>) {
    state.output = bytes;
    point_output(&state.output);
}

/// Runs a fallible call on the state: its value, or NaN with the error kept for `take_error`.
/// A JS number holds every u32 exactly, so one f64 carries handles, counts and flags alike.
pub(crate) fn fallible(f: impl FnOnce(&mut State) -> Result<f64, CallError>) -> f64 {
    with_state(|s| {
        f(s).unwrap_or_else(|error| {
            s.error = Some(error);
            f64::NAN
        })
    })
}

/// Forgets what the last calls left in the module's memory: the output, the last item JSON, the
/// batch lengths, and the text region's bytes (zeroed). Called after each export is read, so
/// no finished request's data stays in memory an isolate shares with other requests.
#[wasm_bindgen]
pub fn scrub() {
    with_state(|s| {
        s.output = Vec::new();
        s.last_json = Vec::new();
        s.last_lengths = Vec::new();
        s.text.fill(0);
    });
    point_output::<u8>(&[]);
}

/// The address of the scratch words (JS views them as a `Uint32Array` of `SCRATCH_WORDS`).
#[wasm_bindgen]
pub fn scratch_ptr() -> *const u32 {
    SCRATCH.as_ptr().cast()
}

/// The error of a failed call, as JS will throw it (see `take_error`).
#[derive(Clone, Copy)]
pub(crate) enum CallError {
    /// Bad input: a `TypeError`, or a `RangeError` for a value out of range.
    Input(InputError),
    /// A `TypeError` with this message (the chain's redaction rules).
    #[cfg(feature = "chain")]
    Type(&'static str),
    /// A `RangeError` with this message.
    Range(&'static str),
    /// An `Error` with this message: the platform cannot do what was asked.
    Plain(&'static str),
}

/// A core error as the error JS will throw.
pub(crate) fn call_error(error: InputError) -> CallError {
    CallError::Input(error)
}

/// Seeds the id generator from the platform's entropy, once, at the first id.
pub(crate) fn seed(state: &mut State) -> Result<(), CallError> {
    ensure_seeded(&mut state.provider, || {
        getrandom::u64().map_err(|_| InputError::NotSeeded)
    })
    .map_err(|_| {
        CallError::Plain(
            "edgetrace: random values are not available here (Cloudflare Workers forbid them at \
             global scope): create traces and spans inside a request handler",
        )
    })
}

/// The error of the last call that returned the `ERROR` status bit or NaN: its kind (1
/// `TypeError`, 2 `RangeError`, 3 `Error`; 0 when there is none), its message as the output.
#[wasm_bindgen]
pub fn take_error() -> u32 {
    with_state(|s| {
        let (kind, message) = match s.error.take() {
            None => return error_kind::NONE,
            Some(CallError::Input(error)) if error.is_range_error() => {
                (error_kind::RANGE, error.message())
            }
            Some(CallError::Input(error)) => (error_kind::TYPE, error.message()),
            #[cfg(feature = "chain")]
            Some(CallError::Type(message)) => (error_kind::TYPE, message),
            Some(CallError::Range(message)) => (error_kind::RANGE, message),
            Some(CallError::Plain(message)) => (error_kind::PLAIN, message),
        };
        point_output(message.as_bytes());
        kind
    })
}

/// Status bits returned to JS after an event.
pub(crate) use crate::abi::status;

/// The status bits for what processors want.
pub(crate) fn wants_bits(wants: Wants) -> u32 {
    (if wants.export_now {
        status::EXPORT_NOW
    } else {
        0
    }) | (if wants.timer { status::TIMER } else { 0 })
        | (if wants.holding { status::HOLDING } else { 0 })
        | (if wants.records { status::RECORDS } else { 0 })
}

/// Runs `f` with the text region lent out of the state (put back whatever happens); a failure
/// is kept for `take_error` and reported as the `ERROR` status bit.
pub(crate) fn with_text(f: impl FnOnce(&mut State, &[u8]) -> Result<u32, CallError>) -> u32 {
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
