//! Routing and access: the router that sends each trace's items to the processors of one route,
//! chosen by a trace metadata value (e.g. per tenant) or by span type, and the span filter that
//! drops spans by type. What matches no route goes nowhere (counted), never to another route.

use std::collections::{BTreeMap, VecDeque};

use super::Step;
use crate::json::scan::{object_members, string_value};
use crate::model::ids::TraceId;
use crate::model::records::{SpanRecord, TraceRecord};
use crate::model::span_data::SpanKind;

/// What a router chooses routes by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteBy {
    /// The value of this top-level trace metadata key (a string, or a number / boolean's JSON
    /// text); a trace's spans follow its trace.
    Metadata(String),
    /// The span's type (`agent`, `function`, ...); trace items go to every route.
    SpanType,
}

/// Where an item goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// To every route.
    All,
    /// To one route (its index).
    Route(usize),
    /// Nowhere: it matched no route (counted as unrouted).
    Nowhere,
}

/// The routes of open traces a metadata router remembers, at most (the oldest is forgotten
/// first: its later spans go nowhere, counted).
pub const DEFAULT_MAX_OPEN_TRACES: usize = 10_000;

/// Chooses a route per item.
#[derive(Debug)]
pub struct Router {
    by: RouteBy,
    values: Vec<String>,
    otherwise: Option<usize>,
    open: BTreeMap<TraceId, Option<usize>>,
    open_order: VecDeque<TraceId>,
    max_open: usize,
    routed: Vec<u64>,
    unrouted: u64,
}

impl Router {
    /// A router with no routes yet; a metadata router remembers `max_open` open traces (>= 1).
    pub fn new(by: RouteBy, max_open: usize) -> Self {
        Router {
            by,
            values: Vec::new(),
            otherwise: None,
            open: BTreeMap::new(),
            open_order: VecDeque::new(),
            max_open: max_open.max(1),
            routed: Vec::new(),
            unrouted: 0,
        }
    }

    /// Adds a route for items whose value is `value`; returns its index.
    pub fn add_route(&mut self, value: &str) -> usize {
        self.values.push(value.to_owned());
        self.routed.push(0);
        self.values.len() - 1
    }

    /// Adds the route for items that match no other; returns its index.
    pub fn add_otherwise(&mut self) -> usize {
        let index = self.add_route("");
        self.otherwise = Some(index);
        index
    }

    /// How many routes there are (the otherwise route included).
    pub fn route_count(&self) -> usize {
        self.values.len()
    }

    /// Items sent down each route, and items that matched none.
    pub fn counts(&self) -> (&[u64], u64) {
        (&self.routed, self.unrouted)
    }

    fn route_of(&self, value: Option<&str>) -> Option<usize> {
        let named = value.and_then(|value| {
            self.values
                .iter()
                .enumerate()
                .position(|(index, v)| Some(index) != self.otherwise && v == value)
        });
        named.or(self.otherwise)
    }

    fn count(&mut self, target: Target) -> Target {
        match target {
            Target::Route(index) => self.routed[index] += 1,
            Target::Nowhere => self.unrouted += 1,
            Target::All => self.routed.iter_mut().for_each(|count| *count += 1),
        }
        target
    }

    /// The route of a trace's start (remembered for its spans when routing by metadata).
    pub fn route_trace(&mut self, trace: &TraceRecord<'_>) -> Target {
        let RouteBy::Metadata(key) = &self.by else {
            return self.count(Target::All);
        };
        let value = trace
            .metadata
            .as_deref()
            .and_then(|metadata| metadata_value(metadata, key));
        let route = self.route_of(value.as_deref());
        if self.open.insert(trace.id, route).is_none() {
            self.open_order.push_back(trace.id);
        }
        while self.open_order.len() > self.max_open {
            if let Some(old) = self.open_order.pop_front() {
                self.open.remove(&old);
            }
        }
        self.count(route.map_or(Target::Nowhere, Target::Route))
    }

    /// The route of a span: its trace's, or its type's.
    pub fn route_span(&mut self, span: &SpanRecord<'_>) -> Target {
        let target = match &self.by {
            RouteBy::Metadata(_) => match self.open.get(&span.trace_id) {
                Some(Some(route)) => Target::Route(*route),
                Some(None) | None => Target::Nowhere,
            },
            RouteBy::SpanType => self
                .route_of(Some(span.data.kind().type_name()))
                .map_or(Target::Nowhere, Target::Route),
        };
        self.count(target)
    }

    /// A trace ended: its route is forgotten (spans ending after it go nowhere, counted).
    pub fn on_trace_end(&mut self, id: TraceId) {
        if self.open.remove(&id).is_some() {
            self.open_order.retain(|other| *other != id);
        }
    }
}

/// The value of top-level `key` in a metadata object's text: a string's text, or the JSON text
/// of a number, boolean or null; `None` when absent or an object / array.
pub(crate) fn metadata_value(metadata: &str, key: &str) -> Option<String> {
    let members = object_members(metadata).ok()?;
    let (_, raw) = members.into_iter().find(|(k, _)| k == key)?;
    if let Some(text) = string_value(&raw) {
        return Some(text.into_owned());
    }
    (!raw.starts_with(['{', '['])).then(|| raw.into_owned())
}

/// A bit per span type.
pub fn kind_bit(kind: SpanKind) -> u32 {
    1 << (SpanKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u32)
}

/// Drops spans by type: spans of the types in `mask` are kept (`keep`) or dropped (`!keep`);
/// trace items always pass.
#[derive(Debug)]
pub struct SpanFilter {
    mask: u32,
    keep: bool,
    dropped: u64,
}

impl SpanFilter {
    /// A filter over the types in `mask` (a `kind_bit` per type).
    pub fn new(mask: u32, keep: bool) -> Self {
        SpanFilter {
            mask,
            keep,
            dropped: 0,
        }
    }

    /// A span ended.
    pub fn on_span_end<O>(&mut self, span: &SpanRecord<'_>) -> Step<O> {
        let listed = self.mask & kind_bit(span.data.kind()) != 0;
        let pass = listed == self.keep;
        if !pass {
            self.dropped += 1;
        }
        Step::pass_if(pass)
    }

    /// Whether a span passes, without counting it (for a span's start: its end is counted).
    pub fn passes(&self, span: &SpanRecord<'_>) -> bool {
        (self.mask & kind_bit(span.data.kind()) != 0) == self.keep
    }

    /// Spans dropped.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_values_are_read_as_text() {
        let metadata = r#"{"tenant":"ac\u006de","n":7,"on":true,"o":{"x":1}}"#;
        assert_eq!(metadata_value(metadata, "tenant").as_deref(), Some("acme"));
        assert_eq!(metadata_value(metadata, "n").as_deref(), Some("7"));
        assert_eq!(metadata_value(metadata, "on").as_deref(), Some("true"));
        assert_eq!(metadata_value(metadata, "o"), None);
        assert_eq!(metadata_value(metadata, "missing"), None);
    }

    #[test]
    fn every_kind_has_its_own_bit() {
        let bits: u32 = SpanKind::ALL.iter().map(|k| kind_bit(*k)).sum();
        assert_eq!(bits, (1 << SpanKind::ALL.len()) - 1);
    }
}
