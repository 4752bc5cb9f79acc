//! A stage the host runs (a JS function in the chain). The items that reach it are queued as
//! export item JSON (the `toJSON()` shape), with what that JSON does not carry (the trace's export
//! key and choices), and trace ends in order; the host takes them right after the event, runs its
//! function, and feeds what it passes on back to the stages after this one
//! (`Chain::feed_item`, `Chain::feed_end`). Bounded: past the cap events are dropped, counted.

use std::collections::VecDeque;
use std::rc::Rc;

use crate::abi::span_flag;
use crate::export::json::{write_span_item, write_trace_item};
use crate::json::escape::write_str;
use crate::model::ids::TraceId;
use crate::model::records::{SpanRecord, TraceChoices, TraceRecord};

/// Events queued at most between two takes (a tail sampler may release many at once).
pub const MAX_EVENTS: usize = 65_536;

#[derive(Debug)]
enum HostEvent {
    Item {
        json: Vec<u8>,
        api_key: Option<Rc<str>>,
        choices: TraceChoices,
    },
    TraceEnd(TraceId),
}

/// The queue of a host-run stage, and its counts.
#[derive(Debug, Default)]
pub struct HostStage {
    events: VecDeque<HostEvent>,
    dropped: u64,
    seen: u64,
}

/// A trace's choices as the span flags that carry them.
pub fn choice_flags(choices: TraceChoices) -> u32 {
    (match choices.sampled {
        Some(true) => span_flag::SAMPLE_KEEP,
        Some(false) => span_flag::SAMPLE_DROP,
        None => 0,
    }) | (if choices.hide_inputs {
        span_flag::HIDE_INPUTS
    } else {
        0
    }) | (if choices.hide_outputs {
        span_flag::HIDE_OUTPUTS
    } else {
        0
    })
}

impl HostStage {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    fn push(&mut self, event: HostEvent) {
        if self.events.len() >= MAX_EVENTS {
            self.dropped += 1;
            return;
        }
        self.events.push_back(event);
    }

    fn push_item(&mut self, json: Vec<u8>, api_key: Option<&str>, choices: TraceChoices) {
        self.seen += 1;
        self.push(HostEvent::Item {
            json,
            api_key: api_key.map(Rc::from),
            choices,
        });
    }

    /// A trace started: its item is queued.
    pub fn on_trace_start(&mut self, trace: &TraceRecord<'_>) {
        let mut json = Vec::with_capacity(160);
        write_trace_item(&mut json, trace);
        self.push_item(json, trace.api_key, trace.choices);
    }

    /// A span ended: its item is queued.
    pub fn on_span_end(&mut self, span: &SpanRecord<'_>) {
        let mut json = Vec::with_capacity(512);
        write_span_item(&mut json, span);
        self.push_item(json, span.api_key, span.choices);
    }

    /// A trace ended: queued after its items.
    pub fn on_trace_end(&mut self, id: TraceId) {
        self.push(HostEvent::TraceEnd(id));
    }

    /// Whether events wait.
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// Items seen and events dropped (queue full).
    pub fn counts(&self) -> (u64, u64) {
        (self.seen, self.dropped)
    }

    /// Takes the waiting events as a JSON array: `{"item":…,"key":…|null,"flags":n}` for an item
    /// (`flags`: its trace's choices as span flags), `{"end":"trace_…"}` for a trace's end.
    pub fn take_json(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        out.push(b'[');
        for (i, event) in self.events.drain(..).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match event {
                HostEvent::Item {
                    json,
                    api_key,
                    choices,
                } => {
                    out.extend_from_slice(b"{\"item\":");
                    out.extend_from_slice(&json);
                    out.extend_from_slice(b",\"key\":");
                    match api_key {
                        Some(key) => write_str(&mut out, &key),
                        None => out.extend_from_slice(b"null"),
                    }
                    out.extend_from_slice(b",\"flags\":");
                    out.extend_from_slice(choice_flags(choices).to_string().as_bytes());
                    out.push(b'}');
                }
                HostEvent::TraceEnd(id) => {
                    out.extend_from_slice(b"{\"end\":");
                    write_str(&mut out, id.text().as_str());
                    out.push(b'}');
                }
            }
        }
        out.push(b']');
        out
    }
}
