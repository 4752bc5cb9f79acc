//! A chain's counters as JSON: one object per stage, then the router's, with camelCase keys (what
//! the JS API's `stats()` methods return).

use std::fmt::Write;

use super::{Chain, Stage};

/// Appends `"key":value` pairs to an object being written.
fn counts(out: &mut String, pairs: &[(&str, u64)]) {
    for (key, value) in pairs {
        let _ = write!(out, ",\"{key}\":{value}");
    }
}

/// A stage that writes records: `{stage, written, dropped, delivered, pending}`.
fn outbox_stats(
    out: &mut String,
    stage: &str,
    (written, dropped, delivered, pending): (u64, u64, u64, u64),
) {
    let _ = write!(out, "{{\"stage\":\"{stage}\"");
    counts(
        out,
        &[
            ("written", written),
            ("dropped", dropped),
            ("delivered", delivered),
            ("pending", pending),
        ],
    );
}

/// The counters of every stage, in order, and of the router last: a JSON array of objects, each
/// naming its `stage`.
pub fn stats_json(chain: &Chain) -> String {
    let mut out = String::from("[");
    for (index, stage) in chain.stages.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        match stage {
            Stage::Head(head) => {
                let c = head.counts();
                out.push_str("{\"stage\":\"headSampler\"");
                counts(
                    &mut out,
                    &[
                        ("tracesKept", c.traces_kept),
                        ("tracesDropped", c.traces_dropped),
                        ("spansKept", c.spans_kept),
                        ("spansDropped", c.spans_dropped),
                    ],
                );
            }
            Stage::Tail(tail) => {
                let c = tail.counts();
                out.push_str("{\"stage\":\"tailSampler\"");
                counts(
                    &mut out,
                    &[
                        ("tracesKept", c.decided.traces_kept),
                        ("tracesDropped", c.decided.traces_dropped),
                        ("spansKept", c.decided.spans_kept),
                        ("spansDropped", c.decided.spans_dropped),
                        ("heldTraces", c.held_traces),
                        ("heldItems", c.held_items),
                        ("heldBytes", c.held_bytes),
                        ("keptForError", c.kept_for_error),
                        ("keptForLatency", c.kept_for_latency),
                        ("decidedEarly", c.decided_early),
                        ("decidedByAge", c.decided_by_age),
                        ("late", c.late),
                    ],
                );
            }
            Stage::Redact(redactor) => {
                let c = redactor.counts();
                out.push_str("{\"stage\":\"redactor\"");
                counts(
                    &mut out,
                    &[
                        ("items", c.items),
                        ("keys", c.keys),
                        ("patterns", c.patterns),
                        ("hidden", c.hidden),
                    ],
                );
            }
            Stage::Filter(filter) => {
                out.push_str("{\"stage\":\"spanFilter\"");
                counts(&mut out, &[("dropped", filter.dropped())]);
            }
            Stage::Alerts(alerts) => outbox_stats(&mut out, "perfAlerts", alerts.counts()),
            Stage::Compliance(log) => outbox_stats(&mut out, "complianceLog", log.counts()),
            Stage::Live(live) => outbox_stats(&mut out, "liveEvents", live.counts()),
            Stage::Store(store) => {
                let (c, (written, dropped, delivered, pending)) = store.counts();
                out.push_str("{\"stage\":\"traceStore\"");
                counts(
                    &mut out,
                    &[
                        ("sinkWritten", written),
                        ("sinkDropped", dropped),
                        ("sinkDelivered", delivered),
                        ("sinkPending", pending),
                        ("traces", c.traces),
                        ("bytes", c.bytes),
                        ("stored", c.stored),
                        ("evicted", c.evicted),
                        ("deleted", c.deleted),
                        ("forgotten", c.forgotten),
                    ],
                );
            }
            Stage::Host(host) => {
                let (seen, dropped) = host.counts();
                out.push_str("{\"stage\":\"function\"");
                counts(&mut out, &[("items", seen), ("overflow", dropped)]);
            }
            Stage::Errors(tracker) => {
                let (errors, ungrouped) = tracker.counts();
                out.push_str("{\"stage\":\"errorTracker\"");
                counts(
                    &mut out,
                    &[
                        ("errors", errors),
                        ("groups", tracker.groups().len() as u64),
                        ("ungrouped", ungrouped),
                    ],
                );
            }
        }
        out.push('}');
    }
    if let Some(router) = chain.router() {
        if !chain.stages.is_empty() {
            out.push(',');
        }
        let (routed, unrouted) = router.counts();
        out.push_str("{\"stage\":\"router\",\"routed\":[");
        for (index, count) in routed.iter().enumerate() {
            let _ = write!(out, "{}{count}", if index > 0 { "," } else { "" });
        }
        let _ = write!(out, "],\"unrouted\":{unrouted}}}");
    }
    out.push(']');
    out
}
