//! Bindings for processor chains: create one, append its stages (configured by number and string
//! arguments), its batch queues or router, drive its flush and age timer, read its counters and
//! error groups (as JSON, through the output words), free it. Failures return NaN (see `state`).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::state::{
    call_error, fallible, free_slot, insert_slot, set_output, wants_bits, with_state, CallError,
    State,
};
use crate::chain::alerts::{AlertRule, AlertTarget, PerfAlerts};
use crate::chain::compliance::ComplianceLog;
use crate::chain::errors::ErrorTracker;
use crate::chain::host::HostStage;
use crate::chain::live::LiveEvents;
use crate::chain::redact::{RedactRules, RuleError};
use crate::chain::redaction::Redactor;
use crate::chain::route::{RouteBy, Router, SpanFilter};
use crate::chain::sampling::{HeadSampler, TailConfig, TailSampler};
use crate::chain::stats::stats_json;
use crate::chain::store::{Query, TraceStore};
use crate::chain::{Chain, Stage};
use crate::error::InputError;
use crate::json::scan::{array_items, string_value};
use crate::model::ids::TraceId;
use crate::model::span_data::SpanKind;
use crate::model::time::Timestamp;
use crate::provider::SharedProcessor;

use super::batch::queue;
use super::spans::choices;

fn chain(state: &State, id: u32) -> Result<Rc<RefCell<Chain>>, CallError> {
    state
        .chains
        .get(id as usize)
        .and_then(Option::clone)
        .ok_or_else(|| call_error(InputError::UnknownHandle))
}

/// The chain of `handle` (rejected unless it is live).
pub(crate) fn chain_processor(state: &State, id: u32) -> Result<SharedProcessor, CallError> {
    chain(state, id).map(|c| c as SharedProcessor)
}

/// Creates an empty chain; returns its handle (a freed one's slot is reused).
#[wasm_bindgen]
pub fn chain_new() -> f64 {
    with_state(|s| {
        f64::from(insert_slot(
            &mut s.chains,
            Rc::new(RefCell::new(Chain::new())),
        ))
    })
}

/// Frees a chain's slot (its processor is gone).
#[wasm_bindgen]
pub fn chain_free(id: u32) {
    with_state(|s| free_slot(&mut s.chains, id));
}

fn add_stage(id: u32, make: impl FnOnce() -> Result<Stage, InputError>) -> f64 {
    fallible(|s| {
        let stage = make().map_err(call_error)?;
        let index = chain(s, id)?
            .borrow_mut()
            .add_stage(stage)
            .map_err(call_error)?;
        Ok(index as f64)
    })
}

/// Appends head sampling keeping `ratio` of traces; returns the stage's index.
#[wasm_bindgen]
pub fn chain_add_head_sampler(id: u32, ratio: f64) -> f64 {
    add_stage(id, || HeadSampler::new(ratio).map(Stage::Head))
}

/// Appends tail sampling (`slower_than_ms` NaN: no latency rule); returns the stage's index.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn chain_add_tail_sampler(
    id: u32,
    ratio: f64,
    keep_errors: bool,
    slower_than_ms: f64,
    max_trace_age_ms: f64,
    max_traces: u32,
    max_items: u32,
    max_bytes: f64,
) -> f64 {
    add_stage(id, || {
        let config = TailConfig {
            ratio,
            keep_errors,
            slower_than_ms: (!slower_than_ms.is_nan()).then_some(slower_than_ms),
            max_trace_age_ms,
            max_traces: max_traces as usize,
            max_items: max_items as usize,
            max_bytes: max_bytes as usize,
            ..TailConfig::default()
        };
        TailSampler::new(config).map(|tail| Stage::Tail(Box::new(tail)))
    })
}

/// Appends a redactor (`defaults`: the default keys and patterns, else none); returns the stage's
/// index.
#[wasm_bindgen]
pub fn chain_add_redactor(id: u32, defaults: bool, hide_inputs: bool, hide_outputs: bool) -> f64 {
    add_stage(id, || {
        let rules = if defaults {
            RedactRules::with_defaults()
        } else {
            RedactRules::empty()
        };
        Ok(Stage::Redact(Redactor::new(
            rules,
            hide_inputs,
            hide_outputs,
        )))
    })
}

fn with_rules(
    id: u32,
    stage: u32,
    change: impl FnOnce(&mut RedactRules) -> Result<(), RuleError>,
) -> f64 {
    fallible(|s| {
        let chain = chain(s, id)?;
        let mut chain = chain.borrow_mut();
        match chain.stage_mut(stage as usize) {
            Some(Stage::Redact(redactor)) => change(redactor.rules_mut())
                .map(|()| 0.0)
                .map_err(rule_error),
            _ => Err(call_error(InputError::UnknownHandle)),
        }
    })
}

fn rule_error(error: RuleError) -> CallError {
    if error.is_range() {
        CallError::Range(error.message())
    } else {
        CallError::Type(error.message())
    }
}

/// Adds a sensitive key to a redactor.
#[wasm_bindgen]
pub fn chain_redactor_key(id: u32, stage: u32, key: &str) -> f64 {
    with_rules(id, stage, |rules| rules.add_key(key))
}

/// Adds (or replaces) a named pattern of a redactor.
#[wasm_bindgen]
pub fn chain_redactor_pattern(id: u32, stage: u32, name: &str, pattern: &str) -> f64 {
    with_rules(id, stage, |rules| {
        // A pattern of that name (a default one too) is replaced.
        rules.remove_pattern(name).ok();
        rules.add_pattern(name, pattern)
    })
}

/// Removes a named pattern of a redactor (a `TypeError` when it has none of that name).
#[wasm_bindgen]
pub fn chain_redactor_remove_pattern(id: u32, stage: u32, name: &str) -> f64 {
    with_rules(id, stage, |rules| rules.remove_pattern(name))
}

/// Appends a span filter over the span type codes in `mask` (bit per code): `keep` keeps only
/// those types, else drops them.
#[wasm_bindgen]
pub fn chain_add_span_filter(id: u32, mask: u32, keep: bool) -> f64 {
    add_stage(id, || Ok(Stage::Filter(SpanFilter::new(mask, keep))))
}

/// Appends an error tracker keeping `max_groups` groups.
#[wasm_bindgen]
pub fn chain_add_error_tracker(id: u32, max_groups: u32) -> f64 {
    add_stage(id, || {
        Ok(Stage::Errors(ErrorTracker::new(max_groups as usize)))
    })
}

/// Appends a performance alert stage (rules added with `chain_perf_alert_rule`); at most
/// `max_pending` alerts wait (the oldest dropped past it), `max_open_traces` traces followed.
#[wasm_bindgen]
pub fn chain_add_perf_alerts(id: u32, max_pending: u32, max_open_traces: u32) -> f64 {
    add_stage(id, || {
        Ok(Stage::Alerts(PerfAlerts::new(
            max_pending as usize,
            max_open_traces as usize,
        )))
    })
}

/// Adds a rule to the alert stage at `stage`: whole traces (`traces`), else spans of type code
/// `kind` (`any_kind`: any) and `name` (`any_name`: any), slower than `threshold_ms`.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn chain_perf_alert_rule(
    id: u32,
    stage: u32,
    traces: bool,
    any_kind: bool,
    kind: u32,
    any_name: bool,
    name: &str,
    threshold_ms: f64,
) -> f64 {
    fallible(|s| {
        let target = if traces {
            AlertTarget::Trace
        } else {
            AlertTarget::Span {
                kind: if any_kind {
                    None
                } else {
                    Some(SpanKind::from_code(kind).map_err(call_error)?)
                },
                name: (!any_name).then(|| name.to_owned()),
            }
        };
        let chain = chain(s, id)?;
        let mut chain = chain.borrow_mut();
        let Some(Stage::Alerts(alerts)) = chain.stage_mut(stage as usize) else {
            return Err(call_error(InputError::UnknownHandle));
        };
        alerts.add_rule(AlertRule {
            target,
            threshold_ms,
        });
        Ok(0.0)
    })
}

/// Appends a compliance log (copying no metadata key yet: see `chain_compliance_key`); at most
/// `max_records` records wait (`drop_oldest`, else the newest is dropped).
#[wasm_bindgen]
pub fn chain_add_compliance_log(
    id: u32,
    max_records: u32,
    drop_oldest: bool,
    max_open_traces: u32,
) -> f64 {
    add_stage(id, || {
        Ok(Stage::Compliance(ComplianceLog::new(
            max_records as usize,
            drop_oldest,
            max_open_traces as usize,
        )))
    })
}

/// Makes the compliance log at `stage` copy the metadata `key` (a `TypeError` for a sensitive
/// key).
#[wasm_bindgen]
pub fn chain_compliance_key(id: u32, stage: u32, key: &str) -> f64 {
    fallible(|s| {
        let chain = chain(s, id)?;
        let mut chain = chain.borrow_mut();
        match chain.stage_mut(stage as usize) {
            Some(Stage::Compliance(log)) => log.add_key(key).map(|()| 0.0).map_err(call_error),
            _ => Err(call_error(InputError::UnknownHandle)),
        }
    })
}

/// Appends a live events stage holding at most `max_pending` events between two takes (the host
/// then sends span starts).
#[wasm_bindgen]
pub fn chain_add_live_events(id: u32, max_pending: u32) -> f64 {
    add_stage(id, || {
        Ok(Stage::Live(LiveEvents::new(max_pending as usize)))
    })
}

/// Appends a stage the host runs (a JS function): its items wait for `chain_take_records`.
#[wasm_bindgen]
pub fn chain_add_host_stage(id: u32) -> f64 {
    add_stage(id, || Ok(Stage::Host(HostStage::new())))
}

/// Feeds an item the host stage at `stage` passed on (export item JSON; its trace's export key
/// when `has_key`; its trace's choices as span flags) to the stages after it; returns status bits.
#[wasm_bindgen]
pub fn chain_feed_item(
    id: u32,
    stage: u32,
    json: &str,
    has_key: bool,
    key: &str,
    flags: u32,
) -> f64 {
    fallible(|s| {
        let wants = chain(s, id)?
            .borrow_mut()
            .feed_item(stage as usize, json, has_key.then_some(key), choices(flags))
            .map_err(call_error)?;
        Ok(f64::from(wants_bits(wants)))
    })
}

/// Feeds the end of trace `trace_id` (its text) the host stage at `stage` passed on; returns
/// status bits.
#[wasm_bindgen]
pub fn chain_feed_end(id: u32, stage: u32, trace_id: &str) -> f64 {
    fallible(|s| {
        let trace = TraceId::parse(trace_id).map_err(call_error)?;
        let wants = chain(s, id)?.borrow_mut().feed_end(stage as usize, trace);
        Ok(f64::from(wants_bits(wants)))
    })
}

/// Takes what waits in the stage at `stage` as a JSON array, as the output: alerts or
/// compliance records, or a host stage's events (`host::HostStage::take_json`).
#[wasm_bindgen]
pub fn chain_take_records(id: u32, stage: u32) -> f64 {
    fallible(|s| {
        let chain = chain(s, id)?;
        let mut chain = chain.borrow_mut();
        let json = match chain.stage_mut(stage as usize) {
            Some(Stage::Host(host)) => host.take_json(),
            Some(other) => match other.outbox() {
                Some(outbox) => outbox.take_json().into_bytes(),
                None => return Err(call_error(InputError::UnknownHandle)),
            },
            None => return Err(call_error(InputError::UnknownHandle)),
        };
        set_output(s, json);
        Ok(0.0)
    })
}

/// Feeds batch queue `batch` every item of the chain.
#[wasm_bindgen]
pub fn chain_add_batch(id: u32, batch: u32) -> f64 {
    fallible(|s| {
        let processor = queue(s, batch)? as SharedProcessor;
        chain(s, id)?
            .borrow_mut()
            .add_processor(processor)
            .map_err(call_error)?;
        Ok(0.0)
    })
}

/// Routes the chain's items: by span type (`by_span_type`), else by the trace metadata value of
/// `key`; `values_json` is a JSON array of the routes' values (their indexes are the routes), and
/// `otherwise` adds a last route for the rest.
#[wasm_bindgen]
pub fn chain_set_router(
    id: u32,
    by_span_type: bool,
    key: &str,
    values_json: &str,
    otherwise: bool,
    max_open_traces: u32,
) -> f64 {
    fallible(|s| {
        let by = if by_span_type {
            RouteBy::SpanType
        } else {
            RouteBy::Metadata(key.to_owned())
        };
        let mut router = Router::new(by, max_open_traces as usize);
        let values = array_items(values_json).map_err(|_| call_error(InputError::BadChain))?;
        for raw in values {
            let value = string_value(raw).ok_or_else(|| call_error(InputError::BadChain))?;
            router.add_route(&value);
        }
        if otherwise {
            router.add_otherwise();
        }
        chain(s, id)?
            .borrow_mut()
            .set_router(router)
            .map_err(call_error)?;
        Ok(0.0)
    })
}

/// Feeds batch queue `batch` the items of route `route`.
#[wasm_bindgen]
pub fn chain_add_route_batch(id: u32, route: u32, batch: u32) -> f64 {
    fallible(|s| {
        let processor = queue(s, batch)? as SharedProcessor;
        chain(s, id)?
            .borrow_mut()
            .add_route_processor(route as usize, processor)
            .map_err(call_error)?;
        Ok(0.0)
    })
}

/// Decides every held trace and passes on what is kept; returns status bits.
#[wasm_bindgen]
pub fn chain_flush(id: u32) -> f64 {
    fallible(|s| Ok(f64::from(wants_bits(chain(s, id)?.borrow_mut().flush()))))
}

/// Decides held traces older than their maximum age at `now_ms`; returns status bits.
#[wasm_bindgen]
pub fn chain_tick(id: u32, now_ms: f64) -> f64 {
    fallible(|s| {
        let now = Timestamp::from_millis(now_ms).map_err(call_error)?;
        Ok(f64::from(wants_bits(chain(s, id)?.borrow_mut().tick(now))))
    })
}

/// The chain's counters as JSON (`stats::stats_json`), as the output.
#[wasm_bindgen]
pub fn chain_stats(id: u32) -> f64 {
    fallible(|s| {
        let json = stats_json(&chain(s, id)?.borrow());
        set_output(s, json.into_bytes());
        Ok(0.0)
    })
}

/// The error groups of the error tracker at `stage` as JSON, as the output; `clear`: then
/// forgets them.
#[wasm_bindgen]
pub fn chain_error_groups(id: u32, stage: u32, clear: bool) -> f64 {
    fallible(|s| {
        let chain = chain(s, id)?;
        let mut chain = chain.borrow_mut();
        let Some(Stage::Errors(tracker)) = chain.stage_mut(stage as usize) else {
            return Err(call_error(InputError::UnknownHandle));
        };
        let json = tracker.groups_json();
        if clear {
            tracker.clear();
        }
        set_output(s, json);
        Ok(0.0)
    })
}

fn with_store(
    id: u32,
    stage: u32,
    f: impl FnOnce(&mut crate::chain::store::TraceStore) -> Result<(f64, Option<Vec<u8>>), CallError>,
) -> f64 {
    fallible(|s| {
        let chain = chain(s, id)?;
        let mut chain = chain.borrow_mut();
        let Some(Stage::Store(store)) = chain.stage_mut(stage as usize) else {
            return Err(call_error(InputError::UnknownHandle));
        };
        let (value, output) = f(store)?;
        if let Some(output) = output {
            set_output(s, output);
        }
        Ok(value)
    })
}

/// Appends a trace store keeping at most `max_traces` completed traces and `max_bytes` of
/// their items; `sink_records` completed traces at most wait for the host's sink (0: none).
#[wasm_bindgen]
pub fn chain_add_trace_store(id: u32, max_traces: u32, max_bytes: f64, sink_records: u32) -> f64 {
    add_stage(id, || {
        Ok(Stage::Store(TraceStore::new(
            max_traces as usize,
            max_bytes as usize,
            sink_records as usize,
        )))
    })
}

/// The stored traces that match, as JSON (the output); NaN times: no bound; `has_error` 0 any,
/// 1 with, 2 without; `limit` 0: all.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn chain_store_query(
    id: u32,
    stage: u32,
    workflow_name: Option<String>,
    group_id: Option<String>,
    since_ms: f64,
    until_ms: f64,
    has_error: u32,
    limit: u32,
) -> f64 {
    let bound = |ms: f64| (!ms.is_nan()).then_some(ms as i64);
    let query = Query {
        workflow_name,
        group_id,
        since_ms: bound(since_ms),
        until_ms: bound(until_ms),
        has_error: match has_error {
            1 => Some(true),
            2 => Some(false),
            _ => None,
        },
        limit: limit as usize,
    };
    with_store(id, stage, |store| {
        Ok((0.0, Some(store.query_json(&query).into_bytes())))
    })
}

/// The items of stored trace `trace_id` as JSONL (the output); 0 when it is not stored, else 1.
#[wasm_bindgen]
pub fn chain_store_items(id: u32, stage: u32, trace_id: &str) -> f64 {
    let trace = TraceId::parse(trace_id);
    with_store(id, stage, |store| {
        let trace = trace.map_err(call_error)?;
        Ok(match store.items(trace) {
            Some(items) => (1.0, Some(items.to_vec())),
            None => (0.0, None),
        })
    })
}

/// Removes the stored traces that ended before `ms`; returns how many.
#[wasm_bindgen]
pub fn chain_store_delete_before(id: u32, stage: u32, ms: f64) -> f64 {
    with_store(id, stage, |store| {
        Ok((store.delete_before(ms as i64) as f64, None))
    })
}

/// Hands an export item made elsewhere (its `toJSON()` text: `@openai/agents-core`'s own spans
/// and traces, through the adapter) to the native processors as if edgetrace had recorded it: a
/// trace item starts a trace, a span item ends a span (its data as the SDK already shaped it).
/// `has_key`: the trace's own export key. Returns status bits.
#[wasm_bindgen]
pub fn ingest_item(json: &str, has_key: bool, key: &str) -> f64 {
    fallible(|s| {
        let record =
            crate::model::read::read_item(json, has_key.then_some(key), Default::default())
                .map_err(call_error)?;
        let wants = match record {
            crate::model::read::ItemRecord::Trace(trace) => s.provider.start_trace(&trace),
            crate::model::read::ItemRecord::Span(span) => {
                s.provider
                    .end_span(span, crate::model::sensitive::SensitivePolicy::ALL, None)
            }
        };
        Ok(f64::from(wants_bits(wants)))
    })
}

/// Ends trace `trace_id` (its text) for the native processors; returns status bits.
#[wasm_bindgen]
pub fn ingest_trace_end(trace_id: &str) -> f64 {
    fallible(|s| {
        let id = TraceId::parse(trace_id).map_err(call_error)?;
        Ok(f64::from(wants_bits(s.provider.end_trace(id))))
    })
}
