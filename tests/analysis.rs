//! Native tests of trace analysis: known traces read from fixture files (an ingest body with
//! children before parents, a JSONL file), analysed to the numbers worked out by hand.

use edgetrace::analysis::analyze::{analyze, group_totals, TraceAnalysis};
use edgetrace::analysis::cost::PriceTable;
use edgetrace::analysis::input::{InputError, TraceFileReader};
use edgetrace::analysis::traces::TraceSet;
use edgetrace::analysis::usage::Usage;
use edgetrace::model::span_data::SpanKind;

/// Reads files into a trace set, in chunks of `chunk` bytes.
fn read(files: &[&str], chunk: usize) -> TraceSet {
    let mut set = TraceSet::new();
    for file in files {
        let bytes = std::fs::read(format!("tests/fixtures/{file}")).unwrap();
        let mut reader = TraceFileReader::new();
        let mut add = |item: &str| {
            set.add_item(item).map_err(|_| InputError {
                line: 0,
                offset: 0,
                message: "bad item",
            })
        };
        for piece in bytes.chunks(chunk) {
            reader.feed(piece, &mut add).unwrap();
        }
        reader.finish(&mut add).unwrap();
    }
    set
}

fn analyses() -> Vec<TraceAnalysis> {
    let prices = PriceTable::default();
    read(&["support-run.json", "levels.jsonl"], 97)
        .traces()
        .map(|trace| analyze(trace, &prices))
        .collect()
}

#[test]
fn a_support_run_reads_back_whole_whatever_the_item_order() {
    let all = analyses();
    assert_eq!(all.len(), 2);
    let run = &all[0];
    assert_eq!(run.workflow_name.as_deref(), Some("support-workflow"));
    assert_eq!(run.duration_ms, Some(1_840));
    assert_eq!(run.spans_by_type.get("generation"), Some(&2));
    assert_eq!(run.spans_by_type.get("agent"), Some(&2));
    assert_eq!(run.tools.len(), 1);
    assert_eq!(
        (
            run.tools[0].name.as_str(),
            run.tools[0].calls,
            run.tools[0].errors,
            run.tools[0].total_ms
        ),
        ("lookup", 1, 1, 200)
    );
    assert_eq!(run.handoff_chain, ["Triage", "Billing"]);
    assert_eq!(run.errors.len(), 1);
    assert_eq!(run.errors[0].error.as_deref(), Some("boom"));
    assert_eq!(run.slowest[0].name, "Triage");
    let path: Vec<_> = run
        .critical_path
        .iter()
        .map(|s| (s.kind, s.name.as_str()))
        .collect();
    assert_eq!(
        path,
        [
            (SpanKind::Agent, "Billing"),
            (SpanKind::Generation, "gpt-4o-mini-2024-07-18")
        ]
    );
    assert_eq!(
        run.tree,
        "support-workflow (1.84 s)\n\
         ├─ agent Triage (1.80 s)\n\
         │  ├─ generation gpt-4o (0.95 s, 12 in / 5 out)\n\
         │  ├─ function lookup (0.20 s) ERROR: boom\n\
         │  └─ handoff Triage → Billing\n\
         └─ agent Billing (0.64 s)\n   \
         └─ generation gpt-4o-mini-2024-07-18 (0.62 s, 2000 in / 100 out)\n"
    );
}

#[test]
fn usage_comes_from_the_most_specific_level_in_each_subtree_and_cost_never_guesses() {
    let all = analyses();
    let run = &all[0].totals;
    assert_eq!(
        run.usage,
        Usage {
            input: 2_012,
            output: 105,
            cached_input: 1_000,
            reasoning: 0
        }
    );
    // gpt-4o: 12 x 2.50 + 5 x 10.00; gpt-4o-mini (a dated snapshot): 1000 x 0.15 + 1000 cached x 0.075 + 100 x 0.60.
    assert!(
        (run.cost_usd - (0.000_080 + 0.000_285)).abs() < 1e-12,
        "{}",
        run.cost_usd
    );
    assert!(run.cost_known());

    // A task (1000/1000) over two turns: the first's generation (100/10, gpt-5) counts, not the
    // turn or the task; the second turn has no generation usage below it, so its own (400/40)
    // counts, with no model: its cost is unknown, not guessed.
    let levels = &all[1].totals;
    assert_eq!(
        levels.usage,
        Usage {
            input: 500,
            output: 50,
            cached_input: 0,
            reasoning: 0
        }
    );
    assert!(
        (levels.cost_usd - 0.000_225).abs() < 1e-12,
        "{}",
        levels.cost_usd
    );
    assert_eq!(
        levels.unpriced,
        Usage {
            input: 400,
            output: 40,
            cached_input: 0,
            reasoning: 0
        }
    );
    assert!(!levels.cost_known());
    assert_eq!(all[1].spans_by_type.get("task"), Some(&1));
    assert_eq!(all[1].spans_by_type.get("turn"), Some(&2));

    let groups = group_totals(&all);
    let (traces, conversation) = &groups["conv-1"];
    assert_eq!(*traces, 2);
    assert_eq!(conversation.usage.input, 2_512);
}

#[test]
fn a_model_the_table_does_not_know_is_listed_and_unpriced() {
    let mut prices = PriceTable::default();
    prices.prices.retain(|p| p.model != "gpt-4o");
    let set = read(&["support-run.json"], 4096);
    let run = analyze(set.traces().next().unwrap(), &prices);
    assert_eq!(run.totals.unknown_models, ["gpt-4o"]);
    assert_eq!(
        run.totals.unpriced,
        Usage {
            input: 12,
            output: 5,
            cached_input: 0,
            reasoning: 0
        }
    );
}

use edgetrace::analysis::files::Analyzer;

fn analyzer_of(files: &[&str]) -> Analyzer {
    let mut analyzer = Analyzer::new();
    for file in files {
        let bytes = std::fs::read(format!("tests/fixtures/{file}")).unwrap();
        for piece in bytes.chunks(1000) {
            analyzer.feed(piece).unwrap();
        }
        analyzer.end_file().unwrap();
    }
    analyzer
}

#[test]
fn reports_give_the_tree_then_the_figures_as_text_and_as_json() {
    let analyzer = analyzer_of(&["support-run.json", "levels.jsonl"]);
    let text = analyzer.report(false);
    assert!(
        text.starts_with("support-workflow (1.84 s)\n├─ agent Triage (1.80 s)\n"),
        "{text}"
    );
    for line in [
        "  tokens   2012 in (1000 cached) / 105 out\n",
        "  cost     $0.000365\n",
        "  tools    lookup ×1 (0.20 s, 1 failed)\n",
        "  handoffs Triage → Billing\n",
        "  error    function lookup: boom\n",
        "  critical agent Billing 0.64 s → generation gpt-4o-mini-2024-07-18 0.62 s\n",
        "  cost     $0.000225 + unknown for 400 in / 40 out (no model recorded)\n",
        "group conv-1: 2 traces, 2512 in (1000 cached) / 155 out, cost $0.000590 + unknown",
        "2 traces; prices of 2026-06-30",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let json: serde_json::Value = serde_json::from_str(&analyzer.report(true)).unwrap();
    let run = &json["traces"][0];
    assert_eq!(run["durationMs"], 1840);
    assert_eq!(run["usage"]["cachedInputTokens"], 1000);
    assert_eq!(run["costComplete"], true);
    assert_eq!(json["traces"][1]["costComplete"], false);
    assert_eq!(json["groups"]["conv-1"]["traces"], 2);
    assert_eq!(run["tools"][0]["name"], "lookup");
    assert_eq!(json["prices"]["date"], "2026-06-30");
}

#[test]
fn a_price_table_can_be_replaced_and_bad_files_say_where() {
    let mut analyzer = analyzer_of(&["support-run.json"]);
    assert!(analyzer.set_prices(
        r#"{"date":"2026-12-01","source":"ours","prices":[{"model":"gpt-4o","input":1000000,"output":0}]}"#
    ));
    let json: serde_json::Value = serde_json::from_str(&analyzer.report(true)).unwrap();
    assert_eq!(json["traces"][0]["costUsd"], 12.0);
    assert_eq!(
        json["traces"][0]["unknownModels"][0],
        "gpt-4o-mini-2024-07-18"
    );
    assert!(!analyzer.set_prices(r#"{"prices":[]}"#));

    let mut bad = Analyzer::new();
    let error = bad
        .feed(b"{\"object\":\"trace\",\"id\":\"x\"}\n")
        .unwrap_err();
    assert_eq!(error.line, 1);
    assert!(error.message.starts_with("not an export item"));
    let mut truncated = Analyzer::new();
    truncated.feed(b"{\"data\":[").unwrap();
    assert!(truncated
        .end_file()
        .unwrap_err()
        .message
        .contains("ends inside"));
}

#[test]
fn a_recorded_agents_core_run_analyses_to_the_scripted_numbers() {
    // Recorded by tests/fixtures/record-agents-core-run.mjs from two real @openai/agents-core
    // 0.20.0 runs with a scripted gpt-4o model; every expected number below is the script's.
    let prices = PriceTable::default();
    let set = read(&["agents-core-run.jsonl"], 61);
    let all: Vec<TraceAnalysis> = set.traces().map(|trace| analyze(trace, &prices)).collect();
    assert_eq!(all.len(), 2);
    for run in &all {
        assert_eq!(run.workflow_name.as_deref(), Some("Customer support"));
        assert_eq!(run.group_id.as_deref(), Some("conv-order-A-1001"));
    }
    // The tree without its durations (real ones, new at each recording): `(0.17 s, 12 in / 5 out)`
    // becomes `(12 in / 5 out)`, ` (0.12 s)` goes.
    let untimed = |tree: &str| -> String {
        let mut out = String::new();
        for line in tree.lines() {
            let (head, rest) = line.split_once(" (").unwrap_or((line, ""));
            let time = rest.split_once(" s").filter(|(time, _)| {
                !time.is_empty() && time.chars().all(|c| c.is_ascii_digit() || c == '.')
            });
            match time {
                Some((_, after)) => match after.strip_prefix(", ") {
                    Some(details) => out.push_str(&format!("{head} ({details}")),
                    None => out.push_str(&format!("{head}{}", &after[1..])),
                },
                None => out.push_str(line),
            }
            out.push('\n');
        }
        out
    };

    // Run 1: triage (guardrail, lookup_order, check_refund that throws, transfer_to_billing),
    // then billing answers.
    let run = &all[0];
    let types: Vec<_> = run.spans_by_type.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        types,
        [
            ("agent", 2),
            ("function", 2),
            ("generation", 3),
            ("guardrail", 1),
            ("handoff", 1),
            ("task", 1),
            ("turn", 3)
        ]
    );
    let mut tools: Vec<_> = run
        .tools
        .iter()
        .map(|t| (t.name.as_str(), t.calls, t.errors))
        .collect();
    tools.sort();
    assert_eq!(tools, [("check_refund", 1, 1), ("lookup_order", 1, 0)]);
    assert_eq!(run.handoff_chain, ["triage", "billing"]);
    assert_eq!(run.errors.len(), 1);
    assert_eq!(
        (run.errors[0].kind, run.errors[0].name.as_str()),
        (SpanKind::Function, "check_refund")
    );
    assert_eq!(
        run.errors[0].error.as_deref(),
        Some("Error running tool (non-fatal)")
    );
    // The generations' usage (412/37, 604/11 with 512 cached, 686/58), not the turns' copies of
    // it nor the task's sum of them.
    assert_eq!(
        run.totals.usage,
        Usage {
            input: 412 + 604 + 686,
            output: 37 + 11 + 58,
            cached_input: 512,
            reasoning: 0
        }
    );
    // gpt-4o: 1190 uncached x 2.50 + 512 cached x 1.25 + 106 out x 10.00, per million.
    let cost = (1_190.0 * 2.50 + 512.0 * 1.25 + 106.0 * 10.00) / 1e6;
    assert!(
        (run.totals.cost_usd - cost).abs() < 1e-12,
        "{}",
        run.totals.cost_usd
    );
    assert!((cost - 0.004_675).abs() < 1e-12);
    assert!(run.totals.cost_known());
    let path: Vec<_> = run
        .critical_path
        .iter()
        .map(|s| (s.kind, s.name.as_str()))
        .collect();
    assert_eq!(
        path,
        [
            (SpanKind::Task, "Customer support"),
            (SpanKind::Agent, "billing"),
            (SpanKind::Turn, "3 billing"),
            (SpanKind::Generation, "gpt-4o")
        ]
    );
    // The task span encloses the whole run.
    assert_eq!(run.duration_ms, run.critical_path[0].duration_ms);
    // Siblings are in start order, and the guardrail starts in the same millisecond as the turn
    // it runs beside in some recordings: its place is not checked, the rest of the tree is.
    let tree = untimed(&run.tree);
    assert_eq!(tree.lines().count(), 1 + 13, "{tree}");
    for part in [
        "Customer support\n\
         └─ task Customer support (1702 in / 106 out)\n   \
         ├─ agent triage\n",
        "   │  ├─ turn 1 triage (412 in / 37 out)\n   \
         │  │  ├─ generation gpt-4o (412 in / 37 out)\n   \
         │  │  ├─ function lookup_order\n   \
         │  │  └─ function check_refund ERROR: Error running tool (non-fatal)\n",
        "   │  ├─ guardrail no_card_numbers\n",
        "   │  └─ turn 2 triage (604 in / 11 out)\n   \
         │     ├─ generation gpt-4o (604 in / 11 out)\n   \
         │     └─ handoff triage → billing\n   \
         └─ agent billing\n      \
         └─ turn 3 billing (686 in / 58 out)\n         \
         └─ generation gpt-4o (686 in / 58 out)\n",
    ] {
        assert!(tree.contains(part), "missing {part:?} in\n{tree}");
    }

    // Run 2, same group: triage answers at once (129/9).
    let again = &all[1];
    let types: Vec<_> = again.spans_by_type.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        types,
        [
            ("agent", 1),
            ("generation", 1),
            ("guardrail", 1),
            ("task", 1),
            ("turn", 1)
        ]
    );
    assert!(again.tools.is_empty() && again.handoff_chain.is_empty() && again.errors.is_empty());
    assert_eq!(
        again.totals.usage,
        Usage {
            input: 129,
            output: 9,
            cached_input: 0,
            reasoning: 0
        }
    );
    let again_cost = (129.0 * 2.50 + 9.0 * 10.00) / 1e6;
    assert!((again.totals.cost_usd - again_cost).abs() < 1e-12);

    let groups = group_totals(&all);
    let (traces, conversation) = &groups["conv-order-A-1001"];
    assert_eq!(*traces, 2);
    assert_eq!(
        conversation.usage,
        Usage {
            input: 1_831,
            output: 115,
            cached_input: 512,
            reasoning: 0
        }
    );
    assert!((conversation.cost_usd - (cost + again_cost)).abs() < 1e-12);
    assert!(conversation.cost_known());
}

#[test]
fn turn_usage_is_priced_with_the_one_model_its_generations_name() {
    // agents-openai's chat-completions model records a successful call's usage on the turn, not
    // on its generation span: the turn's usage is that generation's model's.
    let items = [
        r#"{"object":"trace","id":"trace_00000000000000000000000000000009","workflow_name":"w","group_id":null,"metadata":{}}"#,
        r#"{"object":"trace.span","id":"span_000000000000000000000090","trace_id":"trace_00000000000000000000000000000009","parent_id":null,"started_at":"2026-12-01T00:00:00.000Z","ended_at":"2026-12-01T00:00:01.000Z","span_data":{"type":"custom","name":"turn","data":{"sdk_span_type":"turn","turn":1,"agent_name":"A","usage":{"input_tokens":1000000,"output_tokens":0}}},"error":null}"#,
        r#"{"object":"trace.span","id":"span_000000000000000000000091","trace_id":"trace_00000000000000000000000000000009","parent_id":"span_000000000000000000000090","started_at":"2026-12-01T00:00:00.100Z","ended_at":"2026-12-01T00:00:00.900Z","span_data":{"type":"generation","model":"gpt-4o"},"error":null}"#,
    ];
    let mut set = TraceSet::new();
    for item in items {
        set.add_item(item).unwrap();
    }
    let run = analyze(set.traces().next().unwrap(), &PriceTable::default());
    assert!(run.totals.cost_known());
    assert!(
        (run.totals.cost_usd - 2.5).abs() < 1e-9,
        "{}",
        run.totals.cost_usd
    );
}
