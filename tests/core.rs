//! Native tests of the core through its public API: provider fan-out, the batch queue, the
//! export JSON of both span data paths, and the sensitive-data policy.

use std::cell::RefCell;
use std::rc::Rc;

use edgetrace::export::json::{write_span_item, write_trace_item};
use edgetrace::model::ids::{IdGenerator, SpanId, TraceId};
use edgetrace::model::records::{parse_metadata, SpanError, SpanRecord, TraceRecord};
use edgetrace::model::sensitive::SensitivePolicy;
use edgetrace::model::span_data::{SpanData, SpanKind};
use edgetrace::model::time::Timestamp;
use edgetrace::processors::batch::{Batch, BatchConfig, BatchQueue, BatchStats, Export};
use edgetrace::processors::flights::ExportKind;
use edgetrace::processors::{TracingProcessor, Wants};
use edgetrace::provider::{span_json, SharedProcessor, TraceProvider};

/// Records the order of events it sees, tagged with its own name.
struct Recorder {
    name: &'static str,
    log: Rc<RefCell<Vec<String>>>,
}

impl TracingProcessor for Recorder {
    fn on_trace_start(&mut self, trace: &TraceRecord<'_>) -> Wants {
        self.log.borrow_mut().push(format!(
            "{}:trace_start:{}",
            self.name,
            trace.workflow_name.as_raw()
        ));
        Wants::default()
    }
    fn on_trace_end(&mut self, _trace_id: TraceId) -> Wants {
        self.log
            .borrow_mut()
            .push(format!("{}:trace_end", self.name));
        Wants::default()
    }
    fn on_span_end(&mut self, span: &SpanRecord<'_>) -> Wants {
        let mut item = Vec::new();
        write_span_item(&mut item, span);
        let text = String::from_utf8(item).unwrap();
        self.log
            .borrow_mut()
            .push(format!("{}:span_end:{}", self.name, text));
        Wants::default()
    }
}

fn ms(value: f64) -> Timestamp {
    Timestamp::from_millis(value).unwrap()
}

fn trace_record(id: TraceId) -> TraceRecord<'static> {
    TraceRecord {
        id,
        workflow_name: "wf".into(),
        group_id: None,
        metadata: None,
        api_key: None,
        choices: Default::default(),
    }
}

fn span<'a>(trace_id: TraceId, span_id: SpanId, data: SpanData<'a>) -> SpanRecord<'a> {
    SpanRecord {
        trace_id,
        span_id,
        parent_id: None,
        started_at: Some(ms(1_000.0)),
        ended_at: Some(ms(2_500.0)),
        data,
        error: None,
        api_key: None,
        choices: Default::default(),
    }
}

/// A function span named `name`, with empty input and output.
fn empty_function_span(trace_id: TraceId, span_id: SpanId, name: &str) -> SpanRecord<'_> {
    span(
        trace_id,
        span_id,
        SpanData::Function {
            name,
            input: "",
            output: "",
        },
    )
}

fn ids() -> (TraceId, SpanId) {
    let mut generator = IdGenerator::new();
    generator.seed(7);
    (generator.trace_id().unwrap(), generator.span_id().unwrap())
}

#[test]
fn every_processor_sees_every_event_in_order() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut provider = TraceProvider::new();
    for name in ["a", "b"] {
        let recorder: SharedProcessor = Rc::new(RefCell::new(Recorder {
            name,
            log: log.clone(),
        }));
        provider.add_processor(recorder);
    }
    let (trace_id, span_id) = ids();
    provider.start_trace(&trace_record(trace_id));
    let data = SpanData::Function {
        name: "f",
        input: "i",
        output: "o",
    };
    provider.end_span(span(trace_id, span_id, data), SensitivePolicy::ALL, None);
    provider.end_trace(trace_id);
    let events: Vec<String> = log
        .borrow()
        .iter()
        .map(|e| e.split(":{").next().unwrap().to_owned())
        .collect();
    assert_eq!(
        events,
        [
            "a:trace_start:wf",
            "b:trace_start:wf",
            "a:span_end",
            "b:span_end",
            "a:trace_end",
            "b:trace_end"
        ]
    );
}

#[test]
fn span_item_has_the_sdk_shape() {
    let (trace_id, span_id) = ids();
    let data = SpanData::Function {
        name: "f",
        input: "in \"q\"",
        output: "",
    };
    let mut record = span(trace_id, span_id, data);
    record.parent_id = Some(SpanId([1; 12]));
    let json = String::from_utf8(span_json(record, SensitivePolicy::ALL)).unwrap();
    let expected = format!(
        concat!(
            r#"{{"object":"trace.span","id":"{}","trace_id":"{}","parent_id":"span_010101010101010101010101","#,
            r#""started_at":"1970-01-01T00:00:01.000Z","ended_at":"1970-01-01T00:00:02.500Z","#,
            r#""span_data":{{"type":"function","input":"in \"q\"","output":"","name":"f"}},"error":null}}"#
        ),
        span_id.text().as_str(),
        trace_id.text().as_str()
    );
    assert_eq!(json, expected);
}

#[test]
fn fast_and_generic_function_paths_write_the_same_json() {
    let (trace_id, span_id) = ids();
    let generic_json = r#"{"type":"function","input":"é\n","output":"x","name":"tool"}"#;
    for policy in [
        SensitivePolicy::ALL,
        SensitivePolicy {
            include_data: false,
            include_audio: true,
        },
    ] {
        let fast = SpanData::Function {
            name: "tool",
            input: "é\n",
            output: "x",
        };
        let generic = SpanData::from_json(SpanKind::Function, generic_json).unwrap();
        assert_eq!(
            span_json(span(trace_id, span_id, fast), policy),
            span_json(span(trace_id, span_id, generic), policy)
        );
    }
}

#[test]
fn end_never_precedes_start_and_errors_are_written() {
    let (trace_id, span_id) = ids();
    let data = SpanData::from_json(SpanKind::Custom, r#"{"data":{},"name":"c"}"#).unwrap();
    let mut record = span(trace_id, span_id, data);
    record.ended_at = Some(ms(500.0));
    record.error = Some(SpanError::new("boom".into(), r#"{"code":1}"#).unwrap());
    let json = String::from_utf8(span_json(record, SensitivePolicy::ALL)).unwrap();
    assert!(json.contains(
        r#""started_at":"1970-01-01T00:00:01.000Z","ended_at":"1970-01-01T00:00:01.000Z""#
    ));
    assert!(json.ends_with(r#""error":{"message":"boom","data":{"code":1}}}"#));
}

#[test]
fn trace_item_defaults_metadata_to_an_empty_object() {
    let (trace_id, _) = ids();
    let mut out = Vec::new();
    write_trace_item(&mut out, &trace_record(trace_id));
    let expected = format!(
        r#"{{"object":"trace","id":"{}","workflow_name":"wf","group_id":null,"metadata":{{}}}}"#,
        trace_id.text().as_str()
    );
    assert_eq!(String::from_utf8(out).unwrap(), expected);
    let metadata = parse_metadata(r#"{"k":"v"}"#).unwrap();
    let mut out = Vec::new();
    let record = TraceRecord {
        group_id: Some("g".into()),
        metadata: Some(metadata.into()),
        ..trace_record(trace_id)
    };
    write_trace_item(&mut out, &record);
    assert!(String::from_utf8(out)
        .unwrap()
        .ends_with(r#""group_id":"g","metadata":{"k":"v"}}"#));
}

#[test]
fn batch_queue_drops_when_full_counts_and_hands_out_in_order() {
    let config = BatchConfig {
        max_queue_size: 3,
        max_batch_size: 2,
        ..BatchConfig::default()
    };
    let mut queue = BatchQueue::new(config).unwrap();
    let (trace_id, span_id) = ids();
    let first = queue.on_trace_start(&trace_record(trace_id));
    assert!(first.timer, "the first item asks for the timer");
    for name in ["a", "b", "c"] {
        queue.on_span_end(&empty_function_span(trace_id, span_id, name));
    }
    let stats = queue.stats();
    assert_eq!((stats.queued, stats.dropped, stats.pending), (4, 1, 3));
    assert!(queue.take_first_drop_report());
    assert!(
        !queue.take_first_drop_report(),
        "the first drop is reported once"
    );
    let (flight, batch) = begin(&mut queue, ExportKind::Scheduled, usize::MAX);
    assert_eq!(batch.len(), 2);
    let items: Vec<&[u8]> = batch.items().collect();
    assert!(items[0].starts_with(br#"{"object":"trace","#));
    assert!(items[1].windows(10).any(|w| w == br#""name":"a""#));
    queue.settle(flight, 2, true);
    queue.end_export(flight);
    let (flight, rest) = begin(&mut queue, ExportKind::All, usize::MAX);
    assert_eq!(rest.len(), 1);
    let body = rest.body().unwrap();
    assert!(body.starts_with(br#"{"data":[{"object":"trace.span""#) && body.ends_with(b"}]}"));
    queue.settle(flight, 1, true);
    queue.end_export(flight);
    assert_eq!(queue.stats().exported, 3);
    assert!(queue.is_empty());
    assert_adds_up(queue.stats());
}

/// Starts an export of `kind` and returns its id and first batch (one must start).
fn begin(queue: &mut BatchQueue, kind: ExportKind, max_bytes: usize) -> (u32, Batch) {
    match queue.begin_export(kind, max_bytes) {
        Export::Batch { flight, batch } => (flight, batch),
        other => panic!("no export started: {other:?}"),
    }
}

/// Every item offered is in exactly one counter.
fn assert_adds_up(stats: BatchStats) {
    assert_eq!(
        stats.queued,
        stats.pending + stats.in_flight + stats.exported + stats.failed + stats.dropped,
        "{stats:?}"
    );
}

/// A queue holding `count` empty function spans.
fn queue_of(config: BatchConfig, count: usize) -> BatchQueue {
    let mut queue = BatchQueue::new(config).unwrap();
    let (trace_id, span_id) = ids();
    for _ in 0..count {
        queue.on_span_end(&empty_function_span(trace_id, span_id, "f"));
    }
    queue
}

#[test]
fn one_export_is_in_flight_at_a_time() {
    let config = BatchConfig {
        max_batch_size: 2,
        ..BatchConfig::default()
    };
    let mut queue = queue_of(config, 5);
    let (flight, batch) = begin(&mut queue, ExportKind::Scheduled, usize::MAX);
    assert_eq!(batch.len(), 2);
    assert_eq!(
        queue.begin_export(ExportKind::Scheduled, usize::MAX),
        Export::None
    );
    assert_eq!(
        queue.begin_export(ExportKind::All, usize::MAX),
        Export::None
    );
    let (page, keepalive) = begin(&mut queue, ExportKind::Keepalive, 1);
    assert_eq!(keepalive.len(), 1, "a page going away does not wait");
    let stats = queue.stats();
    assert_eq!((stats.pending, stats.in_flight), (2, 3));
    assert_adds_up(stats);
    queue.settle(page, 1, true);
    queue.end_export(page);
    queue.settle(flight, 2, false);
    let wants = queue.end_export(flight);
    assert!(wants.timer && !wants.export_now);
    let stats = queue.stats();
    assert_eq!((stats.exported, stats.failed, stats.in_flight), (1, 2, 0));
    assert_adds_up(stats);
    let (_, rest) = begin(&mut queue, ExportKind::All, usize::MAX);
    assert_eq!(rest.len(), 2);
}

#[test]
fn an_export_that_times_out_fails_once_and_abandoned_exports_are_capped() {
    let config = BatchConfig {
        max_batch_size: 2,
        max_abandoned_exports: 1,
        ..BatchConfig::default()
    };
    let mut queue = queue_of(config, 6);
    let (hung, _) = begin(&mut queue, ExportKind::Scheduled, usize::MAX);
    assert!(queue.time_out(hung));
    assert!(!queue.time_out(hung), "counted once");
    let stats = queue.stats();
    assert_eq!((stats.failed, stats.timed_out, stats.in_flight), (2, 2, 0));
    assert_eq!(
        queue.begin_export(ExportKind::Scheduled, usize::MAX),
        Export::Dropped(2),
        "past the cap, batches are dropped, not exported"
    );
    queue.settle(hung, 2, true);
    assert_eq!(queue.stats().exported, 0, "a late success is not counted");
    queue.end_export(hung);
    let (next, batch) = begin(&mut queue, ExportKind::Scheduled, usize::MAX);
    assert_eq!(batch.len(), 2, "once it settled, exports start again");
    queue.settle(next, 2, true);
    let stats = queue.stats();
    assert_eq!((stats.exported, stats.dropped), (2, 2));
    assert_adds_up(stats);
}

#[test]
fn a_closed_queue_refuses_items_and_gives_its_memory_back() {
    let mut queue = queue_of(BatchConfig::default(), 3);
    queue.close();
    let (trace_id, span_id) = ids();
    queue.on_span_end(&empty_function_span(trace_id, span_id, "late"));
    queue.on_trace_start(&trace_record(trace_id));
    let stats = queue.stats();
    assert_eq!((stats.refused, stats.dropped, stats.pending), (2, 2, 3));
    let (flight, batch) = begin(&mut queue, ExportKind::All, usize::MAX);
    assert_eq!(batch.len(), 3, "what was queued before is still exported");
    queue.settle(flight, 3, true);
    queue.end_export(flight);
    assert_adds_up(queue.stats());
    assert!(queue.is_closed() && queue.is_empty());
}

#[test]
fn batch_queue_asks_for_export_past_the_trigger_ratio() {
    let config = BatchConfig {
        max_queue_size: 10,
        export_trigger_ratio: 0.5,
        ..BatchConfig::default()
    };
    let mut queue = BatchQueue::new(config).unwrap();
    let (trace_id, _) = ids();
    let wants: Vec<bool> = (0..7)
        .map(|_| queue.on_trace_start(&trace_record(trace_id)).export_now)
        .collect();
    assert_eq!(wants, [false, false, false, false, false, true, true]);
}

#[test]
fn batch_options_are_validated() {
    let bad = [
        BatchConfig {
            max_queue_size: 0,
            ..BatchConfig::default()
        },
        BatchConfig {
            max_batch_size: 0,
            ..BatchConfig::default()
        },
        BatchConfig {
            export_trigger_ratio: 0.0,
            ..BatchConfig::default()
        },
        BatchConfig {
            export_trigger_ratio: 1.5,
            ..BatchConfig::default()
        },
        BatchConfig {
            schedule_delay_ms: f64::NAN,
            ..BatchConfig::default()
        },
        BatchConfig {
            export_timeout_ms: 0.0,
            ..BatchConfig::default()
        },
    ];
    for config in bad {
        assert!(BatchQueue::new(config).is_err(), "{config:?}");
    }
    let defaults = BatchConfig::default();
    assert_eq!(
        (defaults.max_queue_size, defaults.max_batch_size),
        (1000, 100)
    );
    assert_eq!(
        (defaults.schedule_delay_ms, defaults.export_trigger_ratio),
        (5000.0, 0.8)
    );
}

#[test]
fn environment_switches_read_like_the_python_sdk() {
    let mut provider = TraceProvider::new();
    provider.apply_env(Some(" TRUE "), Some("off"), Some("sk-env"));
    assert_eq!(provider.config().export_api_key.as_deref(), Some("sk-env"));
    provider.set_export_api_key(Some("sk-set".to_owned()));
    provider.apply_env(None, None, Some("sk-env"));
    assert_eq!(
        provider.config().export_api_key.as_deref(),
        Some("sk-set"),
        "a set key wins"
    );
    assert!(provider.config().disabled);
    assert!(!provider.config().sensitive.include_data);
    provider.apply_env(Some("maybe"), None, None);
    assert!(provider.config().disabled, "unknown values change nothing");
    provider.apply_env(Some("0"), Some("Yes"), None);
    assert!(!provider.config().disabled);
    assert!(provider.config().sensitive.include_data);
    let trace_policy = provider.policy_for(Some(false), None);
    assert!(!trace_policy.include_data && trace_policy.include_audio);
}

#[test]
fn batches_hold_one_export_key_each_in_order() {
    let mut queue = BatchQueue::new(BatchConfig::default()).unwrap();
    let (trace_id, span_id) = ids();
    let keyed = |key: Option<&'static str>, name: &'static str| SpanRecord {
        api_key: key,
        choices: Default::default(),
        ..empty_function_span(trace_id, span_id, name)
    };
    for (key, name) in [
        (Some("k0"), "z"),
        (None, "a"),
        (Some("k1"), "b"),
        (None, "c"),
        (Some("k2"), "d"),
        (Some("k1"), "e"),
    ] {
        queue.on_span_end(&keyed(key, name));
    }
    let (flight, zeroth) = begin(&mut queue, ExportKind::All, usize::MAX);
    assert_eq!(
        zeroth.api_key.as_deref(),
        Some("k0"),
        "a keyed first item keeps its key"
    );
    assert_eq!(zeroth.len(), 1);
    let names = |batch: &edgetrace::processors::batch::Batch| -> Vec<String> {
        batch
            .items()
            .map(|item| {
                let text = std::str::from_utf8(item).unwrap();
                text[text.find(r#""name":""#).unwrap() + 8..][..1].to_owned()
            })
            .collect()
    };
    let more = |queue: &mut BatchQueue| {
        queue
            .take_more(flight, ExportKind::All, usize::MAX)
            .unwrap()
    };
    let first = more(&mut queue);
    assert_eq!(
        (first.api_key.as_deref(), names(&first)),
        (None, vec!["a".to_owned(), "c".to_owned()])
    );
    let second = more(&mut queue);
    assert_eq!(
        (second.api_key.as_deref(), names(&second)),
        (Some("k1"), vec!["b".to_owned(), "e".to_owned()])
    );
    let third = more(&mut queue);
    assert_eq!(
        (third.api_key.as_deref(), names(&third)),
        (Some("k2"), vec!["d".to_owned()])
    );
    assert!(queue.is_empty());
    assert_eq!(
        queue.stats().in_flight,
        6,
        "one export of every key's items"
    );
}

#[test]
fn batches_can_be_bounded_in_bytes() {
    let mut queue = BatchQueue::new(BatchConfig::default()).unwrap();
    let (trace_id, span_id) = ids();
    for name in ["a", "b", "c"] {
        queue.on_span_end(&empty_function_span(trace_id, span_id, name));
    }
    queue.on_span_end(&empty_function_span(trace_id, span_id, "d"));
    let (flight, first) = begin(&mut queue, ExportKind::All, 1);
    assert_eq!(first.len(), 1, "at least one item, even past the bound");
    let item_bytes = queue
        .take_more(flight, ExportKind::All, 1)
        .unwrap()
        .bytes
        .len();
    let fits = queue
        .take_more(flight, ExportKind::All, item_bytes)
        .unwrap();
    assert_eq!(fits.len(), 1);
    assert_eq!(
        queue
            .take_more(flight, ExportKind::All, usize::MAX)
            .unwrap()
            .len(),
        1
    );
    assert!(queue.is_empty());
}
