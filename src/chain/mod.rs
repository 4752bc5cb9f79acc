//! The processor chain: stages that run in order on the records a trace's start, a span's end
//! and a trace's end produce (sampling, redaction, filtering, error tracking), then the
//! processors the chain feeds (batch queues), all of them or one route's (`route`). What a stage
//! passes on is what the next one sees; processors see items as the last stage left them.

pub mod alerts;
pub mod compliance;
pub mod errors;
pub mod host;
pub mod live;
pub mod outbox;
pub mod owned;
pub mod redact;
pub mod redaction;
pub mod route;
pub mod sampling;
pub mod stats;
pub mod store;
pub mod window;

use std::rc::Rc;

use self::alerts::PerfAlerts;
use self::compliance::ComplianceLog;
use self::errors::ErrorTracker;
use self::host::HostStage;
use self::live::LiveEvents;
use self::outbox::Outbox;
use self::owned::{OwnedItem, OwnedSpan, OwnedTrace};
use self::redaction::Redactor;
use self::route::{Router, SpanFilter, Target};
use self::sampling::{HeadSampler, TailSampler};
use self::store::TraceStore;
use crate::error::InputError;
use crate::model::ids::TraceId;
use crate::model::read::{read_item, ItemRecord};
use crate::model::records::{SpanRecord, TraceChoices, TraceRecord};
use crate::model::time::Timestamp;
use crate::processors::{TracingProcessor, Wants};
use crate::provider::SharedProcessor;

/// What a stage did with an item.
#[derive(Debug)]
pub enum Step<O> {
    /// Pass it on, as it now stands.
    Pass,
    /// Drop it (the stage counted it).
    Drop,
    /// The stage keeps it (and may pass it on later).
    Hold,
    /// Pass on this copy instead (the stage gave it text the record could not borrow).
    Replace(O),
}

impl<O> Step<O> {
    /// `Pass` when `pass`, else `Drop`.
    pub fn pass_if(pass: bool) -> Self {
        if pass {
            Step::Pass
        } else {
            Step::Drop
        }
    }
}

/// One stage of a chain.
#[derive(Debug)]
pub enum Stage {
    /// Head sampling.
    Head(HeadSampler),
    /// Tail sampling (boxed: it is much larger than the other stages).
    Tail(Box<TailSampler>),
    /// Redaction.
    Redact(Redactor),
    /// Dropping spans by type.
    Filter(SpanFilter),
    /// Error tracking (passes everything on).
    Errors(ErrorTracker),
    /// Performance alerts (pass everything on).
    Alerts(PerfAlerts),
    /// The compliance log (passes everything on).
    Compliance(ComplianceLog),
    /// A stage the host runs: items wait for it, and what it passes on is fed back.
    Host(HostStage),
    /// Live events for the host (pass everything on).
    Live(LiveEvents),
    /// The trace store (passes everything on).
    Store(TraceStore),
}

impl Stage {
    fn on_trace_start(&mut self, trace: &mut TraceRecord<'_>) -> Step<OwnedTrace> {
        match self {
            Stage::Head(head) => head.on_trace_start(trace),
            Stage::Tail(tail) => tail.on_trace_start(trace),
            Stage::Redact(redactor) => redactor.on_trace_start(trace),
            Stage::Alerts(alerts) => {
                alerts.on_trace_start(trace);
                Step::Pass
            }
            Stage::Compliance(log) => {
                log.on_trace_start(trace);
                Step::Pass
            }
            Stage::Host(host) => {
                host.on_trace_start(trace);
                Step::Hold
            }
            Stage::Live(live) => {
                live.on_trace_start(trace);
                Step::Pass
            }
            Stage::Store(store) => {
                store.on_trace_start(trace);
                Step::Pass
            }
            Stage::Filter(_) | Stage::Errors(_) => Step::Pass,
        }
    }

    fn on_span_end(&mut self, span: &mut SpanRecord<'_>) -> Step<OwnedSpan> {
        match self {
            Stage::Head(head) => head.on_span_end(span),
            Stage::Tail(tail) => tail.on_span_end(span),
            Stage::Redact(redactor) => redactor.on_span_end(span),
            Stage::Filter(filter) => filter.on_span_end(span),
            Stage::Errors(tracker) => {
                tracker.on_span_end(span);
                Step::Pass
            }
            Stage::Alerts(alerts) => {
                alerts.on_span_end(span);
                Step::Pass
            }
            Stage::Compliance(log) => {
                log.on_span_end(span);
                Step::Pass
            }
            Stage::Host(host) => {
                host.on_span_end(span);
                Step::Hold
            }
            Stage::Live(live) => {
                live.on_span_end(span);
                Step::Pass
            }
            Stage::Store(store) => {
                store.on_span_end(span);
                Step::Pass
            }
        }
    }

    /// A span started: samplers and filters decide on it as on its end, redactors redact it,
    /// the live stage writes it; the other stages let it by (a tail sampler cannot hold a start:
    /// it is live by nature; a function stage sees finished items only).
    fn on_span_start(&mut self, span: &mut SpanRecord<'_>) -> bool {
        match self {
            Stage::Head(head) => head.keeps_span(span),
            Stage::Filter(filter) => filter.passes(span),
            Stage::Redact(redactor) => {
                redactor.redact_start(span);
                true
            }
            Stage::Live(live) => {
                live.on_span_start(span);
                true
            }
            _ => true,
        }
    }

    /// A trace ended; returns whether the end goes on to the next stage now (a host stage
    /// passes it on when the host feeds it back).
    fn on_trace_end(&mut self, id: TraceId) -> bool {
        match self {
            Stage::Tail(tail) => tail.on_trace_end(id),
            Stage::Alerts(alerts) => alerts.on_trace_end(id),
            Stage::Compliance(log) => log.on_trace_end(id),
            Stage::Live(live) => live.on_trace_end(id),
            Stage::Store(store) => store.on_trace_end(id),
            Stage::Host(host) => {
                host.on_trace_end(id);
                return false;
            }
            _ => {}
        }
        true
    }

    /// The stage's records for the host, if it writes any.
    pub fn outbox(&mut self) -> Option<&mut Outbox> {
        match self {
            Stage::Alerts(alerts) => Some(alerts.outbox()),
            Stage::Compliance(log) => Some(log.outbox()),
            Stage::Live(live) => Some(live.outbox()),
            Stage::Store(store) => store.outbox(),
            _ => None,
        }
    }

    fn take_released(&mut self) -> Vec<OwnedItem> {
        match self {
            Stage::Tail(tail) => tail.take_released(),
            _ => Vec::new(),
        }
    }
}

/// Where a chain's items go after its stages.
#[derive(Default)]
struct Sinks {
    /// The processors of each route (one route when there is no router).
    routes: Vec<Vec<SharedProcessor>>,
    router: Option<Router>,
}

impl Sinks {
    fn targets(&self, target: Target) -> Vec<&SharedProcessor> {
        let mut out: Vec<&SharedProcessor> = Vec::new();
        let routes: &[Vec<SharedProcessor>] = match target {
            Target::All => &self.routes,
            Target::Route(index) => std::slice::from_ref(&self.routes[index]),
            Target::Nowhere => &[],
        };
        for processor in routes.iter().flatten() {
            // A processor on several routes gets an item once.
            if !out.iter().any(|seen| Rc::ptr_eq(seen, processor)) {
                out.push(processor);
            }
        }
        out
    }
}

/// A chain of stages feeding processors.
#[derive(Default)]
pub struct Chain {
    stages: Vec<Stage>,
    sinks: Sinks,
}

impl Chain {
    /// An empty chain (stages and processors are added in order).
    pub fn new() -> Self {
        Self::default()
    }

    fn has_sinks(&self) -> bool {
        !self.sinks.routes.is_empty() || self.sinks.router.is_some()
    }

    /// Appends a stage; returns its index. Stages come before the processors.
    pub fn add_stage(&mut self, stage: Stage) -> Result<usize, InputError> {
        if self.has_sinks() {
            return Err(InputError::BadChain);
        }
        self.stages.push(stage);
        Ok(self.stages.len() - 1)
    }

    /// The stage at `index`.
    pub fn stage(&self, index: usize) -> Option<&Stage> {
        self.stages.get(index)
    }

    /// The stage at `index`, to change.
    pub fn stage_mut(&mut self, index: usize) -> Option<&mut Stage> {
        self.stages.get_mut(index)
    }

    /// Feeds `processor` every item (no router).
    pub fn add_processor(&mut self, processor: SharedProcessor) -> Result<(), InputError> {
        if self.sinks.router.is_some() {
            return Err(InputError::BadChain);
        }
        if self.sinks.routes.is_empty() {
            self.sinks.routes.push(Vec::new());
        }
        self.sinks.routes[0].push(processor);
        Ok(())
    }

    /// Routes items with `router`, whose routes then get their processors (`add_route_processor`).
    pub fn set_router(&mut self, router: Router) -> Result<(), InputError> {
        if self.has_sinks() {
            return Err(InputError::BadChain);
        }
        self.sinks.routes = vec![Vec::new(); router.route_count()];
        self.sinks.router = Some(router);
        Ok(())
    }

    /// Feeds `processor` the items of route `route`.
    pub fn add_route_processor(
        &mut self,
        route: usize,
        processor: SharedProcessor,
    ) -> Result<(), InputError> {
        match (&self.sinks.router, self.sinks.routes.get_mut(route)) {
            (Some(_), Some(processors)) => {
                processors.push(processor);
                Ok(())
            }
            _ => Err(InputError::BadChain),
        }
    }

    /// The router, if the chain has one.
    pub fn router(&self) -> Option<&Router> {
        self.sinks.router.as_ref()
    }

    /// Every processor the chain feeds, once each.
    pub fn processors(&self) -> Vec<SharedProcessor> {
        self.sinks
            .targets(Target::All)
            .into_iter()
            .cloned()
            .collect()
    }

    fn trace_from(&mut self, from: usize, mut trace: TraceRecord<'_>) -> Wants {
        let mut wants = Wants::default();
        for index in from..self.stages.len() {
            let step = self.stages[index].on_trace_start(&mut trace);
            wants = wants.merge(self.release(index));
            match step {
                Step::Pass => {}
                Step::Drop | Step::Hold => return wants,
                Step::Replace(owned) => {
                    return wants.merge(self.trace_from(index + 1, owned.record()))
                }
            }
        }
        let target = match &mut self.sinks.router {
            Some(router) => router.route_trace(&trace),
            None => Target::All,
        };
        self.sinks.targets(target).iter().fold(wants, |wants, p| {
            wants.merge(p.borrow_mut().on_trace_start(&trace))
        })
    }

    fn span_from(&mut self, from: usize, mut span: SpanRecord<'_>) -> Wants {
        let mut wants = Wants::default();
        for index in from..self.stages.len() {
            let step = self.stages[index].on_span_end(&mut span);
            wants = wants.merge(self.release(index));
            match step {
                Step::Pass => {}
                Step::Drop | Step::Hold => return wants,
                Step::Replace(owned) => {
                    return wants.merge(self.span_from(index + 1, owned.record()))
                }
            }
        }
        let target = match &mut self.sinks.router {
            Some(router) => router.route_span(&span),
            None => Target::All,
        };
        self.sinks.targets(target).iter().fold(wants, |wants, p| {
            wants.merge(p.borrow_mut().on_span_end(&span))
        })
    }

    /// Runs what stage `index` released through the stages after it.
    fn release(&mut self, index: usize) -> Wants {
        let released = self.stages[index].take_released();
        released.into_iter().fold(Wants::default(), |wants, item| {
            wants.merge(match &item {
                OwnedItem::Trace(trace) => self.trace_from(index + 1, trace.record()),
                OwnedItem::Span(span) => self.span_from(index + 1, span.record()),
            })
        })
    }

    fn end_from(&mut self, from: usize, id: TraceId) -> Wants {
        let mut wants = Wants::default();
        for index in from..self.stages.len() {
            let goes_on = self.stages[index].on_trace_end(id);
            wants = wants.merge(self.release(index));
            if !goes_on {
                return wants;
            }
        }
        if let Some(router) = &mut self.sinks.router {
            router.on_trace_end(id);
        }
        self.sinks
            .targets(Target::All)
            .iter()
            .fold(wants, |wants, p| {
                wants.merge(p.borrow_mut().on_trace_end(id))
            })
    }

    /// Decides every trace a stage holds as it stands and passes on what it keeps (a flush).
    pub fn flush(&mut self) -> Wants {
        self.decide_held(TailSampler::flush)
    }

    /// Decides held traces that reached their maximum age at `now`.
    pub fn tick(&mut self, now: Timestamp) -> Wants {
        self.decide_held(|tail| tail.tick(now.millis()))
    }

    /// Runs `decide` on each tail sampler, in order, passing on what it released.
    fn decide_held(&mut self, mut decide: impl FnMut(&mut TailSampler)) -> Wants {
        let mut wants = Wants::default();
        for index in 0..self.stages.len() {
            if let Stage::Tail(tail) = &mut self.stages[index] {
                decide(tail);
            }
            wants = wants.merge(self.release(index));
        }
        self.with_holding(wants)
    }

    /// `wants`, saying whether a stage holds items and whether records or items wait for the
    /// host.
    fn with_holding(&mut self, wants: Wants) -> Wants {
        let waiting = |stage: &mut Stage| match stage {
            Stage::Host(host) => host.has_events(),
            other => other.outbox().is_some_and(|outbox| outbox.has_records()),
        };
        Wants {
            holding: self.holds_items(),
            records: self.stages.iter_mut().any(waiting),
            ..wants
        }
    }

    /// Whether a stage wants span starts (the host sends them only then).
    pub fn wants_span_starts(&self) -> bool {
        self.stages
            .iter()
            .any(|stage| matches!(stage, Stage::Live(_)))
    }

    /// Feeds an item the host stage at `stage` passed on (export item JSON, with its trace's
    /// export key and choices) to the stages after it.
    pub fn feed_item(
        &mut self,
        stage: usize,
        json: &str,
        api_key: Option<&str>,
        choices: TraceChoices,
    ) -> Result<Wants, InputError> {
        let wants = match read_item(json, api_key, choices)? {
            ItemRecord::Trace(trace) => self.trace_from(stage + 1, trace),
            ItemRecord::Span(span) => self.span_from(stage + 1, span),
        };
        Ok(self.with_holding(wants))
    }

    /// Feeds a trace's end the host stage at `stage` passed on to the stages after it.
    pub fn feed_end(&mut self, stage: usize, id: TraceId) -> Wants {
        let wants = self.end_from(stage + 1, id);
        self.with_holding(wants)
    }

    /// Whether a stage holds items (a timer should call `tick`).
    pub fn holds_items(&self) -> bool {
        self.stages
            .iter()
            .any(|stage| matches!(stage, Stage::Tail(tail) if tail.counts().held_items > 0))
    }
}

impl TracingProcessor for Chain {
    fn on_trace_start(&mut self, trace: &TraceRecord<'_>) -> Wants {
        let wants = self.trace_from(0, trace.clone());
        self.with_holding(wants)
    }

    fn on_trace_end(&mut self, trace_id: TraceId) -> Wants {
        let wants = self.end_from(0, trace_id);
        self.with_holding(wants)
    }

    fn on_span_end(&mut self, span: &SpanRecord<'_>) -> Wants {
        let wants = self.span_from(0, span.clone());
        self.with_holding(wants)
    }

    fn on_span_start(&mut self, span: &SpanRecord<'_>) -> Wants {
        let mut span = span.clone();
        for stage in &mut self.stages {
            if !stage.on_span_start(&mut span) {
                break;
            }
        }
        self.with_holding(Wants::default())
    }
}
