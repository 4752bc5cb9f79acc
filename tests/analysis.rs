//! Native tests of trace analysis: known traces read from fixture files (an ingest body with
//! children before parents, a JSONL file), analysed to the numbers worked out by hand.

use edgetrace::analysis::analyze::{analyze, group_totals, TraceAnalysis};
use edgetrace::analysis::cost::PriceTable;
use edgetrace::analysis::input::ItemSplitter;
use edgetrace::analysis::traces::TraceSet;
use edgetrace::analysis::usage::Usage;
use edgetrace::model::span_data::SpanKind;

/// Reads files into a trace set, in chunks of `chunk` bytes.
fn read(files: &[&str], chunk: usize) -> TraceSet {
    let mut set = TraceSet::new();
    for file in files {
        let bytes = std::fs::read(format!("tests/fixtures/{file}")).unwrap();
        let mut splitter = ItemSplitter::new();
        for piece in bytes.chunks(chunk) {
            splitter
                .feed(piece, &mut |item| {
                    set.add_item(item)
                        .map_err(|_| edgetrace::analysis::input::InputError {
                            line: 0,
                            offset: 0,
                            message: "bad item",
                        })
                })
                .unwrap();
        }
        splitter.finish().unwrap();
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
