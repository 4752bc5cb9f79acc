//! The numbers the wasm bindings and the JS package agree on: call flags, status bits, answer
//! codes and the layout of the scratch words. Defined once here; `make build` writes them into
//! `pkg/wasm/abi.js` (`src/bin/abi_js.rs`), so neither side spells them by hand.

/// Defines a group of named constants and the table of them the JS generator writes out.
macro_rules! abi_group {
    ($(#[$doc:meta])* $group:ident: $ty:ty { $($(#[$item_doc:meta])* $name:ident = $value:expr,)* }) => {
        $(#[$doc])*
        pub mod $group {
            $($(#[$item_doc])* pub const $name: $ty = $value;)*
            /// Every constant of the group, by name, for the JS generator.
            pub const TABLE: &[(&str, $ty)] = &[$((stringify!($name), $name)),*];
        }
    };
}

abi_group! {
    /// Input flags of the span calls (`span_end`, `span_end_function`, `span_json`).
    span_flag: u32 {
        /// The span id is in the id words (else the core makes one).
        SPAN_ID_GIVEN = 1,
        /// The parent's span id is in the id words.
        HAS_PARENT = 2,
        /// The span may record sensitive data.
        INCLUDE_DATA = 4,
        /// The span may record audio data.
        INCLUDE_AUDIO = 8,
        /// Keep the item JSON for `last_json` (a JS processor will call `toJSON()`).
        WANT_JSON = 16,
        /// The text region holds an error message and error data.
        HAS_ERROR = 32,
        /// Everything in the text region is ASCII (bytes = UTF-16 units).
        ASCII = 64,
        /// The text region ends with the trace's own export key.
        HAS_KEY = 128,
        /// The error message is a JSON string literal (it holds a lone surrogate).
        MESSAGE_IS_JSON = 256,
        /// The span's trace asked samplers to keep it (`sampled: true`).
        SAMPLE_KEEP = 512,
        /// The span's trace asked samplers to drop it (`sampled: false`).
        SAMPLE_DROP = 1024,
        /// The span's trace asked redactors to hide span inputs (`hideInputs`).
        HIDE_INPUTS = 2048,
        /// The span's trace asked redactors to hide span outputs (`hideOutputs`).
        HIDE_OUTPUTS = 4096,
    }
}

abi_group! {
    /// Input flags of `trace_start` and `policy_bits`.
    trace_flag: u32 {
        /// The trace id is in the call's words (else the core makes one).
        ID_GIVEN = 1,
        /// The trace chose whether to include sensitive data...
        HAS_DATA_OPTION = 2,
        /// ...and this is its choice.
        DATA_VALUE = 4,
        /// The trace chose whether to include audio data...
        HAS_AUDIO_OPTION = 8,
        /// ...and this is its choice.
        AUDIO_VALUE = 16,
        /// Keep the item JSON for `last_json`.
        WANT_JSON = 32,
        /// Everything in the text region is ASCII.
        ASCII = 64,
        /// The text region ends with the trace's own export key.
        HAS_KEY = 128,
        /// The name and group id are JSON string literals (they hold a lone surrogate).
        NAMES_ARE_JSON = 256,
        /// The trace's choices for the processor chain, as the span flags of the same names.
        SAMPLE_KEEP = 512,
        /// See `SAMPLE_KEEP`.
        SAMPLE_DROP = 1024,
        /// See `SAMPLE_KEEP`.
        HIDE_INPUTS = 2048,
        /// See `SAMPLE_KEEP`.
        HIDE_OUTPUTS = 4096,
    }
}

abi_group! {
    /// Status bits the event calls return.
    status: u32 {
        /// The call failed; `take_error` has the error.
        ERROR = 1,
        /// A batch queue wants an export now.
        EXPORT_NOW = 2,
        /// A batch queue became non-empty (its timer should run).
        TIMER = 4,
        /// A chain stage holds items (its age timer should run).
        HOLDING = 8,
        /// A chain stage wrote records for the host (alerts, compliance records).
        RECORDS = 16,
        /// The bits that concern native processors (batch queues and chains).
        PROCESSOR_BITS = 30,
    }
}

abi_group! {
    /// The kind of JS error `take_error` reports (its message is the output).
    error_kind: u32 {
        /// No error was kept.
        NONE = 0,
        /// A `TypeError`.
        TYPE = 1,
        /// A `RangeError`.
        RANGE = 2,
        /// An `Error`.
        PLAIN = 3,
    }
}

abi_group! {
    /// How an export attempt went (`retry_next`'s `outcome`).
    attempt: u32 {
        /// A 2xx answer.
        DELIVERED = 0,
        /// Another status.
        STATUS = 1,
        /// No answer: a network error or a timeout.
        NO_ANSWER = 2,
    }
}

abi_group! {
    /// What `retry_next` answers besides a wait (a wait is a number >= 0).
    retry_answer: i32 {
        /// Delivered: stop.
        DONE = -1,
        /// A client error that is not retried.
        CLIENT_ERROR = -2,
        /// The server forbade a retry.
        RETRY_FORBIDDEN = -3,
        /// Every attempt failed.
        EXHAUSTED = -4,
    }
}

abi_group! {
    /// What `batch_take` takes.
    export_kind: u32 {
        /// One scheduled batch (the loop or the trigger size).
        SCHEDULED = 0,
        /// Everything queued (a flush).
        ALL = 1,
        /// What fits the keepalive budget, whatever else is in flight (a page going away).
        KEEPALIVE = 2,
    }
}

abi_group! {
    /// How an export ended (`batch_settle`'s `outcome`).
    export_outcome: u32 {
        /// The exporter delivered the batch.
        DELIVERED = 0,
        /// The exporter gave up, threw or rejected.
        FAILED = 1,
    }
}

abi_group! {
    /// The scratch words: where ids, counts and the output's place come back.
    scratch: u32 {
        /// How many scratch words there are.
        WORDS = 16,
        /// The first of the two output words (the output's address, then its length).
        OUTPUT = 14,
        /// How many id words a span call reads (trace 4, span 3, parent 3).
        ID_WORDS = 10,
    }
}

abi_group! {
    /// The scratch words `batch_stats` fills, by index.
    batch_stat: u32 {
        /// Items handed to the processor.
        QUEUED = 0,
        /// Items never exported: queue full, refused after shutdown, abandoned cap.
        DROPPED = 1,
        /// Items delivered.
        EXPORTED = 2,
        /// Items in an export that failed or timed out.
        FAILED = 3,
        /// Items waiting in the queue.
        PENDING = 4,
        /// Items in an export that has not settled.
        IN_FLIGHT = 5,
        /// Items offered after shutdown (part of `DROPPED`).
        REFUSED = 6,
        /// Items in exports that timed out (part of `FAILED`).
        TIMED_OUT = 7,
        /// Span fields cut to the ingest field limit.
        TRUNCATED = 8,
        /// Metadata values JSON-encoded to strings.
        FLATTENED = 9,
    }
}

// The trace flags carry a trace's choices in the bits the span flags use (`wasm::spans::choices`).
const _: () = assert!(
    trace_flag::SAMPLE_KEEP == span_flag::SAMPLE_KEEP
        && trace_flag::SAMPLE_DROP == span_flag::SAMPLE_DROP
        && trace_flag::HIDE_INPUTS == span_flag::HIDE_INPUTS
        && trace_flag::HIDE_OUTPUTS == span_flag::HIDE_OUTPUTS
);
