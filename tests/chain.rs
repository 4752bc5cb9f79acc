//! Native tests of the processor chain through its public API: each stage's behaviour as the
//! processors after it see it (item JSON), and their counts.

use std::cell::RefCell;
use std::rc::Rc;

use edgetrace::chain::errors::ErrorTracker;
use edgetrace::chain::redact::RedactRules;
use edgetrace::chain::redaction::Redactor;
use edgetrace::chain::route::{kind_bit, RouteBy, Router, SpanFilter};
use edgetrace::chain::sampling::{in_ratio, HeadSampler, TailConfig, TailSampler};
use edgetrace::chain::{Chain, Stage};
use edgetrace::export::json::{write_span_item, write_trace_item};
use edgetrace::model::ids::{SpanId, TraceId};
use edgetrace::model::records::{SpanError, SpanRecord, TraceChoices, TraceRecord};
use edgetrace::model::span_data::{SpanData, SpanKind};
use edgetrace::model::time::Timestamp;
use edgetrace::processors::{TracingProcessor, Wants};
use edgetrace::provider::SharedProcessor;

/// Collects the item JSON of every event it sees.
#[derive(Default)]
struct Sink {
    items: Vec<String>,
}

impl TracingProcessor for Sink {
    fn on_trace_start(&mut self, trace: &TraceRecord<'_>) -> Wants {
        let mut out = Vec::new();
        write_trace_item(&mut out, trace);
        self.items.push(String::from_utf8(out).unwrap());
        Wants::default()
    }
    fn on_span_end(&mut self, span: &SpanRecord<'_>) -> Wants {
        let mut out = Vec::new();
        write_span_item(&mut out, span);
        self.items.push(String::from_utf8(out).unwrap());
        Wants::default()
    }
}

fn sink() -> Rc<RefCell<Sink>> {
    Rc::new(RefCell::new(Sink::default()))
}

fn items(sink: &Rc<RefCell<Sink>>) -> Vec<String> {
    std::mem::take(&mut sink.borrow_mut().items)
}

fn ms(value: f64) -> Option<Timestamp> {
    Some(Timestamp::from_millis(value).unwrap())
}

fn id(n: u8) -> TraceId {
    let mut bytes = [n; 16];
    bytes[15] = n;
    TraceId(bytes)
}

fn trace(id: TraceId, metadata: Option<&str>) -> TraceRecord<'_> {
    TraceRecord {
        id,
        workflow_name: "wf".into(),
        group_id: None,
        metadata: metadata.map(Into::into),
        api_key: None,
        choices: TraceChoices::default(),
    }
}

fn span(trace_id: TraceId, n: u8, data: SpanData<'_>, start: f64, end: f64) -> SpanRecord<'_> {
    SpanRecord {
        trace_id,
        span_id: SpanId([n; 12]),
        parent_id: None,
        started_at: ms(start),
        ended_at: ms(end),
        data,
        error: None,
        api_key: None,
        choices: TraceChoices::default(),
    }
}

fn tool<'a>(name: &'a str, input: &'a str, output: &'a str) -> SpanData<'a> {
    SpanData::Function {
        name,
        input,
        output,
    }
}

fn chain_into(stages: Vec<Stage>, sink: &Rc<RefCell<Sink>>) -> Chain {
    let mut chain = Chain::new();
    for stage in stages {
        chain.add_stage(stage).unwrap();
    }
    chain
        .add_processor(sink.clone() as SharedProcessor)
        .unwrap();
    chain
}

/// A trace id in or out of a ratio of 0.5 (its last 8 bytes decide).
fn id_with_low(high_bit: bool, n: u8) -> TraceId {
    let mut bytes = [n; 16];
    bytes[8] = if high_bit { 0xf0 } else { 0x10 };
    TraceId(bytes)
}

#[test]
fn head_sampling_decides_from_the_trace_id_for_every_span_alike() {
    let out = sink();
    let mut chain = chain_into(vec![Stage::Head(HeadSampler::new(0.5).unwrap())], &out);
    let (kept, dropped) = (id_with_low(false, 1), id_with_low(true, 2));
    assert!(in_ratio(kept, 0.5) && !in_ratio(dropped, 0.5));
    for trace_id in [kept, dropped] {
        chain.on_trace_start(&trace(trace_id, None));
        for n in 0..3 {
            chain.on_span_end(&span(trace_id, n, tool("t", "", ""), 0.0, 1.0));
        }
    }
    let seen = items(&out);
    assert_eq!(seen.len(), 4);
    assert!(seen
        .iter()
        .all(|item| item.contains(&kept.text().as_str().to_owned())));

    // The trace's own choice wins, on its trace item and on each span.
    let mut forced = trace(dropped, None);
    forced.choices.sampled = Some(true);
    chain.on_trace_start(&forced);
    let mut child = span(dropped, 9, tool("t", "", ""), 0.0, 1.0);
    child.choices.sampled = Some(true);
    chain.on_span_end(&child);
    assert_eq!(items(&out).len(), 2);

    // About the ratio of many random ids is kept.
    let mut ids = edgetrace::model::ids::IdGenerator::new();
    ids.seed(42);
    let kept = (0..10_000)
        .filter(|_| in_ratio(ids.trace_id().unwrap(), 0.25))
        .count();
    assert!((2_300..2_700).contains(&kept), "{kept}");
    assert!(in_ratio(dropped, 1.0) && !in_ratio(kept_id(), 0.0));
}

fn kept_id() -> TraceId {
    TraceId([0; 16])
}

fn tail(config: TailConfig) -> Stage {
    Stage::Tail(Box::new(TailSampler::new(config).unwrap()))
}

fn tail_counts(chain: &Chain) -> edgetrace::chain::sampling::TailCounts {
    match chain.stage(0) {
        Some(Stage::Tail(tail)) => tail.counts(),
        _ => panic!("stage 0 is not a tail sampler"),
    }
}

#[test]
fn tail_sampling_keeps_traces_with_errors_or_slow_ones_and_drops_the_rest() {
    let out = sink();
    let config = TailConfig {
        ratio: 0.0,
        keep_errors: true,
        slower_than_ms: Some(1_000.0),
        ..TailConfig::default()
    };
    let mut chain = chain_into(vec![tail(config)], &out);
    let (failing, slow, plain) = (id(1), id(2), id(3));
    for trace_id in [failing, slow, plain] {
        chain.on_trace_start(&trace(trace_id, None));
    }
    let mut failed = span(failing, 1, tool("t", "", ""), 0.0, 10.0);
    failed.error = Some(SpanError::new("boom".into(), "").unwrap());
    chain.on_span_end(&failed);
    chain.on_span_end(&span(slow, 2, tool("t", "", ""), 0.0, 600.0));
    chain.on_span_end(&span(slow, 3, tool("t", "", ""), 500.0, 1_500.0));
    chain.on_span_end(&span(plain, 4, tool("t", "", ""), 0.0, 10.0));
    assert!(items(&out).is_empty(), "held until the traces end");
    assert_eq!(tail_counts(&chain).held_traces, 3);
    assert_eq!(tail_counts(&chain).held_items, 7);

    for trace_id in [failing, slow, plain] {
        chain.on_trace_end(trace_id);
    }
    let seen = items(&out);
    // The failing trace (trace + 1 span) and the slow one (trace + 2 spans), in arrival order.
    assert_eq!(seen.len(), 5);
    assert!(
        seen[0].starts_with(r#"{"object":"trace""#)
            && seen[0].contains(&failing.text().as_str().to_owned())
    );
    assert!(seen[1].contains("\"error\":{\"message\":\"boom\"}"));
    assert!(
        seen[2].starts_with(r#"{"object":"trace""#)
            && seen[2].contains(&slow.text().as_str().to_owned())
    );
    let counts = tail_counts(&chain);
    assert_eq!((counts.kept_for_error, counts.kept_for_latency), (1, 1));
    assert_eq!(
        (counts.decided.traces_kept, counts.decided.traces_dropped),
        (2, 1)
    );
    assert_eq!(
        (counts.decided.spans_kept, counts.decided.spans_dropped),
        (3, 1)
    );
    assert_eq!(
        (counts.held_traces, counts.held_items, counts.held_bytes),
        (0, 0, 0)
    );

    // Items after the decision follow it.
    chain.on_span_end(&span(failing, 5, tool("late", "", ""), 20.0, 30.0));
    chain.on_span_end(&span(plain, 6, tool("late", "", ""), 20.0, 30.0));
    let late = items(&out);
    assert_eq!(late.len(), 1);
    assert!(late[0].contains(&failing.text().as_str().to_owned()));
    assert_eq!(tail_counts(&chain).late, 2);
}

#[test]
fn tail_sampling_decides_old_traces_on_tick_and_everything_on_flush() {
    let out = sink();
    let config = TailConfig {
        ratio: 1.0,
        max_trace_age_ms: 60_000.0,
        ..TailConfig::default()
    };
    let mut chain = chain_into(vec![tail(config)], &out);
    chain.on_trace_start(&trace(id(1), None));
    chain.on_span_end(&span(id(1), 1, tool("t", "", ""), 1_000.0, 2_000.0));
    chain.on_trace_start(&trace(id(2), None));
    assert!(chain.holds_items());
    chain.tick(ms(30_000.0).unwrap());
    assert!(items(&out).is_empty());
    // The first trace is 60 s old (from its first span's start); the second was first seen at the
    // first tick.
    chain.tick(ms(61_000.0).unwrap());
    assert_eq!(items(&out).len(), 2);
    assert_eq!(tail_counts(&chain).decided_by_age, 1);
    chain.flush();
    assert_eq!(items(&out).len(), 1);
    assert!(!chain.holds_items());
}

#[test]
fn tail_sampling_caps_what_it_holds_by_deciding_the_oldest_early() {
    let out = sink();
    let config = TailConfig {
        ratio: 1.0,
        max_traces: 2,
        max_items: 5,
        max_bytes: 100_000,
        ..TailConfig::default()
    };
    let mut chain = chain_into(vec![tail(config)], &out);
    for n in 1..=3 {
        chain.on_trace_start(&trace(id(n), None));
    }
    // Three traces, cap two: the first was decided (kept: ratio 1) when the third came.
    assert_eq!(items(&out).len(), 1);
    for n in 0..4 {
        chain.on_span_end(&span(id(3), n, tool("t", "", ""), 0.0, 1.0));
    }
    // Six items held, cap five: the oldest trace (2) is decided.
    assert_eq!(items(&out).len(), 1);
    let counts = tail_counts(&chain);
    assert_eq!(counts.decided_early, 2);
    assert_eq!((counts.held_traces, counts.held_items), (1, 5));

    // A byte cap bounds one huge trace too.
    let big = "x".repeat(40_000);
    let out = sink();
    let config = TailConfig {
        ratio: 0.0,
        max_bytes: 100_000,
        ..TailConfig::default()
    };
    let mut chain = chain_into(vec![tail(config)], &out);
    for n in 0..3 {
        chain.on_span_end(&span(id(7), n, tool("t", &big, ""), 0.0, 1.0));
    }
    let counts = tail_counts(&chain);
    assert_eq!(counts.decided_early, 1);
    assert_eq!(counts.decided.spans_dropped, 3);
    assert!(counts.held_bytes == 0 && items(&out).is_empty());
}

fn redactor() -> Stage {
    Stage::Redact(Redactor::new(RedactRules::with_defaults(), false, false))
}

#[test]
fn redaction_rewrites_span_data_errors_and_metadata_before_the_processors() {
    let out = sink();
    let mut chain = chain_into(vec![redactor()], &out);
    chain.on_trace_start(&trace(
        id(1),
        Some(r#"{"user":"ann@example.com","api_key":"k-123","plan":"pro"}"#),
    ));
    let data = SpanData::from_json(
        SpanKind::Generation,
        r#"{"input":[{"role":"user","content":"my key is sk-proj-abcdefghijklmnopqrstuv, café"}],"usage":{"input_tokens":12,"output_tokens":3}}"#,
    )
    .unwrap();
    chain.on_span_end(&span(id(1), 1, data, 0.0, 1.0));
    chain.on_span_end(&span(
        id(1),
        2,
        tool(
            "lookup",
            r#"{"password":"hunter2","q":"x"}"#,
            "Bearer abc.def.ghi",
        ),
        0.0,
        1.0,
    ));
    let mut failed = span(id(1), 3, tool("t", "", ""), 0.0, 1.0);
    failed.error =
        Some(SpanError::new("failed for bob@example.org".into(), r#"{"token":"t0k"}"#).unwrap());
    chain.on_span_end(&failed);
    let seen = items(&out);
    assert!(
        seen[0].ends_with(
            r#""metadata":{"user":"[REDACTED:email]","api_key":"[REDACTED]","plan":"pro"}}"#
        ),
        "{}",
        seen[0]
    );
    assert!(
        seen[1].contains(r#""content":"my key is [REDACTED:openai_key], café""#),
        "{}",
        seen[1]
    );
    assert!(seen[1].contains(r#""usage":{"input_tokens":12,"output_tokens":3}"#));
    assert!(seen[2].contains(
        r#""span_data":{"type":"function","name":"lookup","input":"{\"password\":\"[REDACTED]\",\"q\":\"x\"}","output":"[REDACTED:bearer]"}"#
    ), "{}", seen[2]);
    assert!(
        seen[3].contains(
            r#""error":{"message":"failed for [REDACTED:email]","data":{"token":"[REDACTED]"}}"#
        ),
        "{}",
        seen[3]
    );
    let Some(Stage::Redact(stage)) = chain.stage(0) else {
        panic!()
    };
    let counts = stage.counts();
    assert_eq!((counts.items, counts.keys, counts.patterns), (4, 3, 4));
}

#[test]
fn hiding_inputs_and_outputs_for_all_traces_or_one() {
    let out = sink();
    let mut chain = chain_into(
        vec![Stage::Redact(Redactor::new(
            RedactRules::empty(),
            false,
            true,
        ))],
        &out,
    );
    let mut hidden_inputs = span(id(1), 1, tool("t", "in", "out"), 0.0, 1.0);
    hidden_inputs.choices.hide_inputs = true;
    chain.on_span_end(&hidden_inputs);
    let generation = SpanData::from_json(
        SpanKind::Generation,
        r#"{"input":[1],"output":[2],"model":"m"}"#,
    )
    .unwrap();
    chain.on_span_end(&span(id(1), 2, generation, 0.0, 1.0));
    let seen = items(&out);
    assert!(seen[0].contains(r#""input":"","output":"""#), "{}", seen[0]);
    assert!(
        seen[1].contains(r#""span_data":{"type":"generation","input":[1],"model":"m"}"#),
        "{}",
        seen[1]
    );
}

#[test]
fn routing_by_metadata_keeps_each_tenant_to_its_own_processors() {
    let (acme, globex) = (sink(), sink());
    let mut router = Router::new(RouteBy::Metadata("tenant".into()), 100);
    let (a, g) = (router.add_route("acme"), router.add_route("globex"));
    let mut chain = Chain::new();
    chain.set_router(router).unwrap();
    chain.add_route_processor(a, acme.clone()).unwrap();
    chain.add_route_processor(g, globex.clone()).unwrap();
    chain.on_trace_start(&trace(id(1), Some(r#"{"tenant":"acme"}"#)));
    chain.on_trace_start(&trace(id(2), Some(r#"{"tenant":"globex"}"#)));
    chain.on_trace_start(&trace(id(3), Some(r#"{"tenant":"initech"}"#)));
    chain.on_trace_start(&trace(id(4), None));
    for n in 1..=4 {
        chain.on_span_end(&span(id(n), n, tool("t", "", ""), 0.0, 1.0));
    }
    // A span of a trace the router never saw start goes nowhere.
    chain.on_span_end(&span(id(9), 9, tool("t", "", ""), 0.0, 1.0));
    let (acme_items, globex_items) = (items(&acme), items(&globex));
    assert_eq!((acme_items.len(), globex_items.len()), (2, 2));
    let acme_id = id(1).text().as_str().to_owned();
    let globex_id = id(2).text().as_str().to_owned();
    assert!(acme_items
        .iter()
        .all(|i| i.contains(&acme_id) && !i.contains(&globex_id)));
    assert!(globex_items
        .iter()
        .all(|i| i.contains(&globex_id) && !i.contains(&acme_id)));
    let (routed, unrouted) = chain.router().unwrap().counts();
    assert_eq!((routed, unrouted), (&[2u64, 2][..], 5));

    // After the trace ends, its late spans go nowhere (its route is forgotten).
    chain.on_trace_end(id(1));
    chain.on_span_end(&span(id(1), 7, tool("t", "", ""), 0.0, 1.0));
    assert!(items(&acme).is_empty());
}

#[test]
fn routing_by_span_type_with_an_otherwise_route() {
    let (models, rest) = (sink(), sink());
    let mut router = Router::new(RouteBy::SpanType, 100);
    let generation = router.add_route("generation");
    let otherwise = router.add_otherwise();
    let mut chain = Chain::new();
    chain.set_router(router).unwrap();
    chain
        .add_route_processor(generation, models.clone())
        .unwrap();
    chain.add_route_processor(otherwise, rest.clone()).unwrap();
    chain.on_trace_start(&trace(id(1), None));
    let data = SpanData::from_json(SpanKind::Generation, r#"{"model":"m"}"#).unwrap();
    chain.on_span_end(&span(id(1), 1, data, 0.0, 1.0));
    chain.on_span_end(&span(id(1), 2, tool("t", "", ""), 0.0, 1.0));
    // The trace item goes down every route; each span down its type's.
    let (model_items, rest_items) = (items(&models), items(&rest));
    assert_eq!((model_items.len(), rest_items.len()), (2, 2));
    assert!(model_items[1].contains("\"generation\""));
    assert!(rest_items[1].contains("\"function\""));
}

#[test]
fn filters_and_the_error_tracker_see_what_earlier_stages_passed() {
    let out = sink();
    let mut chain = chain_into(
        vec![
            Stage::Head(HeadSampler::new(1.0).unwrap()),
            Stage::Filter(SpanFilter::new(kind_bit(SpanKind::Custom), false)),
            Stage::Errors(ErrorTracker::new(10)),
        ],
        &out,
    );
    let custom = SpanData::from_json(SpanKind::Custom, r#"{"name":"noise","data":{}}"#).unwrap();
    chain.on_span_end(&span(id(1), 1, custom, 0.0, 1.0));
    let mut failed = span(id(1), 2, tool("search", "", ""), 0.0, 5.0);
    failed.error = Some(SpanError::new("timeout".into(), "").unwrap());
    chain.on_span_end(&failed);
    assert_eq!(items(&out).len(), 1);
    let Some(Stage::Errors(tracker)) = chain.stage(2) else {
        panic!()
    };
    assert_eq!(tracker.groups()[0].name, "search");
    let Some(Stage::Filter(filter)) = chain.stage(1) else {
        panic!()
    };
    assert_eq!(filter.dropped(), 1);
}

#[test]
fn a_chain_is_stages_then_processors() {
    let mut chain = Chain::new();
    chain.add_processor(sink()).unwrap();
    assert!(chain.add_stage(redactor()).is_err());
    assert!(chain.set_router(Router::new(RouteBy::SpanType, 1)).is_err());
    let mut routed = Chain::new();
    routed
        .set_router(Router::new(RouteBy::SpanType, 1))
        .unwrap();
    assert!(routed.add_processor(sink()).is_err());
    assert!(routed.add_route_processor(0, sink()).is_err());
}

#[test]
fn a_redactor_after_a_tail_sampler_redacts_what_it_releases() {
    let out = sink();
    let config = TailConfig {
        ratio: 1.0,
        ..TailConfig::default()
    };
    let mut chain = chain_into(vec![tail(config), redactor()], &out);
    chain.on_trace_start(&trace(id(1), Some(r#"{"email":"a@b.co"}"#)));
    chain.on_span_end(&span(id(1), 1, tool("t", "call a@b.co", ""), 0.0, 1.0));
    chain.on_trace_end(id(1));
    let seen = items(&out);
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|item| !item.contains("a@b.co")), "{seen:?}");
}

use edgetrace::chain::alerts::{AlertRule, AlertTarget, PerfAlerts};
use edgetrace::chain::compliance::ComplianceLog;

fn take_records(chain: &mut Chain, stage: usize) -> String {
    chain
        .stage_mut(stage)
        .and_then(Stage::outbox)
        .map(|outbox| outbox.take_json())
        .unwrap()
}

#[test]
fn perf_alerts_fire_for_slow_spans_of_a_type_or_name_and_slow_traces() {
    let out = sink();
    let mut alerts = PerfAlerts::new(10, 10);
    alerts.add_rule(AlertRule {
        target: AlertTarget::Span {
            kind: Some(SpanKind::Function),
            name: Some("search".into()),
        },
        threshold_ms: 100.0,
    });
    alerts.add_rule(AlertRule {
        target: AlertTarget::Trace,
        threshold_ms: 1_000.0,
    });
    let mut chain = chain_into(vec![Stage::Alerts(alerts)], &out);
    chain.on_trace_start(&trace(id(1), None));
    chain.on_span_end(&span(id(1), 1, tool("search", "", ""), 0.0, 150.0));
    chain.on_span_end(&span(id(1), 2, tool("search", "", ""), 0.0, 50.0));
    chain.on_span_end(&span(id(1), 3, tool("other", "", ""), 0.0, 900.0));
    let wants = chain.on_span_end(&span(id(1), 4, tool("other", "", ""), 1_000.0, 1_500.0));
    assert!(wants.records);
    chain.on_trace_end(id(1));
    let records = take_records(&mut chain, 0);
    let alerts: serde_json::Value = serde_json::from_str(&records).unwrap();
    assert_eq!(alerts.as_array().unwrap().len(), 2, "{records}");
    assert_eq!(alerts[0]["kind"], "span");
    assert_eq!(alerts[0]["name"], "search");
    assert_eq!(
        (
            alerts[0]["duration_ms"].as_i64(),
            alerts[0]["rule"].as_u64()
        ),
        (Some(150), Some(0))
    );
    assert_eq!(alerts[1]["kind"], "trace");
    assert_eq!(alerts[1]["workflow_name"], "wf");
    assert_eq!(
        (
            alerts[1]["duration_ms"].as_i64(),
            alerts[1]["rule"].as_u64()
        ),
        (Some(1_500), Some(1))
    );
    assert_eq!(items(&out).len(), 5, "every item passes on");
}

#[test]
fn the_compliance_log_writes_one_record_per_trace_without_sensitive_data() {
    assert!(ComplianceLog::new(10, true, 10).add_key("api_key").is_err());
    let out = sink();
    let mut log = ComplianceLog::new(10, true, 1);
    log.add_key("user_id").unwrap();
    log.add_key("tenant").unwrap();
    let mut chain = chain_into(vec![redactor(), Stage::Compliance(log)], &out);
    chain.on_trace_start(&trace(
        id(1),
        Some(r#"{"user_id":"u-42","tenant":"acme","note":"secret plan","password":"x"}"#),
    ));
    let mut failed = span(id(1), 1, tool("t", "private input", ""), 1_000.0, 2_000.0);
    failed.error = Some(SpanError::new("boom".into(), "").unwrap());
    chain.on_span_end(&failed);
    chain.on_span_end(&span(id(1), 2, tool("t", "", ""), 500.0, 1_500.0));
    chain.on_trace_end(id(1));
    // A second trace pushes out a third's (cap 1): its record says it is incomplete.
    chain.on_trace_start(&trace(id(2), None));
    chain.on_trace_start(&trace(id(3), None));
    let records: serde_json::Value = serde_json::from_str(&take_records(&mut chain, 1)).unwrap();
    let first = &records[0];
    assert_eq!(
        first["who"],
        serde_json::json!({"user_id": "u-42", "tenant": "acme"})
    );
    assert_eq!(
        (first["spans"].as_u64(), first["errors"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(first["started_at"], "1970-01-01T00:00:00.500Z");
    assert_eq!(first["ended_at"], "1970-01-01T00:00:02.000Z");
    assert_eq!(first["span_types"], serde_json::json!(["function"]));
    assert_eq!(first["complete"], true);
    let text = first.to_string();
    assert!(
        !text.contains("secret plan") && !text.contains("private input") && !text.contains("boom")
    );
    assert_eq!(records[1]["complete"], false);
    assert_eq!(records.as_array().unwrap().len(), 2);
}

use edgetrace::chain::host::HostStage;

#[test]
fn a_host_stage_queues_items_and_trace_ends_in_order_and_what_is_fed_back_goes_on() {
    let out = sink();
    let mut chain = chain_into(vec![Stage::Host(HostStage::new()), redactor()], &out);
    let mut start = trace(id(1), None);
    start.api_key = Some("sk-tenant");
    start.choices.hide_inputs = true;
    chain.on_trace_start(&start);
    let mut child = span(id(1), 1, tool("t", "a@b.co", ""), 0.0, 1.0);
    child.choices.hide_inputs = true;
    let wants = chain.on_span_end(&child);
    chain.on_trace_end(id(1));
    assert!(wants.records && items(&out).is_empty(), "held for the host");
    let Some(Stage::Host(host)) = chain.stage_mut(0) else {
        panic!()
    };
    let events: serde_json::Value = serde_json::from_slice(&host.take_json()).unwrap();
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["item"]["object"], "trace");
    assert_eq!(events[0]["key"], "sk-tenant");
    assert_eq!(events[1]["item"]["span_data"]["input"], "a@b.co");
    assert_eq!(events[2]["end"], id(1).text().as_str());
    // The host passes the span on changed, with the trace's choices: the redactor after it runs.
    let flags = events[1]["flags"].as_u64().unwrap() as u32;
    let mut item = events[1]["item"].clone();
    item["span_data"]["output"] = "from the host a@b.co".into();
    let choices = TraceChoices {
        hide_inputs: flags & edgetrace::abi::span_flag::HIDE_INPUTS != 0,
        ..TraceChoices::default()
    };
    chain
        .feed_item(0, &item.to_string(), Some("sk-tenant"), choices)
        .unwrap();
    let seen = items(&out);
    assert!(seen[0].contains(r#""input":"""#), "{seen:?}");
    assert!(seen[0].contains(r#""output":"from the host [REDACTED:email]""#));
    assert!(chain
        .feed_item(0, "{\"object\":\"nope\"}", None, choices)
        .is_err());
}

use edgetrace::chain::live::LiveEvents;

#[test]
fn live_events_report_starts_and_ends_as_they_happen_as_the_stages_before_left_them() {
    let out = sink();
    let mut chain = chain_into(
        vec![
            Stage::Head(HeadSampler::new(1.0).unwrap()),
            redactor(),
            Stage::Live(LiveEvents::new(100)),
        ],
        &out,
    );
    assert!(chain.wants_span_starts());
    chain.on_trace_start(&trace(id(1), None));
    let mut open = span(id(1), 1, tool("t", "mail a@b.co", ""), 0.0, 0.0);
    open.ended_at = None;
    let wants = chain.on_span_start(&open);
    assert!(wants.records);
    chain.on_span_end(&span(id(1), 1, tool("t", "mail a@b.co", "done"), 0.0, 5.0));
    chain.on_trace_end(id(1));
    let events: serde_json::Value = serde_json::from_str(&take_records(&mut chain, 2)).unwrap();
    let types: Vec<_> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["trace.start", "span.start", "span.end", "trace.end"]
    );
    assert_eq!(events[1]["item"]["ended_at"], serde_json::Value::Null);
    assert_eq!(
        events[1]["item"]["span_data"]["input"],
        "mail [REDACTED:email]"
    );
    assert_eq!(events[3]["item"]["id"], id(1).text().as_str());
    // A start goes to the stages only: the processors see finished spans.
    assert_eq!(items(&out).len(), 2);
    assert!(!chain_into(vec![redactor()], &sink()).wants_span_starts());
}

use edgetrace::chain::store::{Query, TraceStore};

fn store_of(chain: &mut Chain, stage: usize) -> &mut TraceStore {
    match chain.stage_mut(stage) {
        Some(Stage::Store(store)) => store,
        _ => panic!("not a store"),
    }
}

#[test]
fn the_trace_store_keeps_completed_traces_bounded_answers_queries_and_forgets_old_ones() {
    let out = sink();
    let mut chain = chain_into(vec![Stage::Store(TraceStore::new(2, 1 << 20, 10))], &out);
    for (n, (group, start, failed)) in [
        ("a", 1_000.0, false),
        ("b", 5_000.0, true),
        ("a", 9_000.0, false),
    ]
    .into_iter()
    .enumerate()
    {
        let trace_id = id(n as u8 + 1);
        let mut start_item = trace(trace_id, None);
        start_item.group_id = Some(group.into());
        chain.on_trace_start(&start_item);
        let mut child = span(trace_id, n as u8, tool("t", "", ""), start, start + 500.0);
        if failed {
            child.error = Some(SpanError::new("boom".into(), "").unwrap());
        }
        chain.on_span_end(&child);
        chain.on_trace_end(trace_id);
    }
    let store = store_of(&mut chain, 0);
    // Cap 2: the first trace was evicted.
    let (counts, sink) = store.counts();
    assert_eq!((counts.traces, counts.stored, counts.evicted), (2, 3, 1));
    assert_eq!(
        sink,
        (3, 0, 0, 3),
        "each completed trace waits for the sink"
    );
    let all: serde_json::Value =
        serde_json::from_str(&store.query_json(&Query::default())).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[0]["traceId"], id(3).text().as_str(), "newest first");
    let mut query = |q: Query| -> usize {
        serde_json::from_str::<serde_json::Value>(&store_of(&mut chain, 0).query_json(&q))
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(
        query(Query {
            has_error: Some(true),
            ..Query::default()
        }),
        1
    );
    assert_eq!(
        query(Query {
            group_id: Some("a".into()),
            ..Query::default()
        }),
        1
    );
    assert_eq!(
        query(Query {
            workflow_name: Some("wf".into()),
            limit: 1,
            ..Query::default()
        }),
        1
    );
    assert_eq!(
        query(Query {
            since_ms: Some(9_000),
            ..Query::default()
        }),
        1
    );
    assert_eq!(
        query(Query {
            until_ms: Some(5_000),
            ..Query::default()
        }),
        0
    );
    let store = store_of(&mut chain, 0);
    let items = String::from_utf8(store.items(id(2)).unwrap().to_vec()).unwrap();
    assert_eq!(items.lines().count(), 2);
    assert!(items.starts_with(r#"{"object":"trace""#));
    assert_eq!(store.delete_before(6_000), 1);
    assert_eq!(store.counts().0.traces, 1);
    assert_eq!(items_len(&out), 6, "every item passes on");
}

fn items_len(sink: &Rc<RefCell<Sink>>) -> usize {
    sink.borrow().items.len()
}
