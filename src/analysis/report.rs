//! Reports of analysed traces: JSON (camelCase keys, what the JS API returns and `edgetrace
//! analyze --json` prints) and text (the tree of each trace, then its figures, then totals).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::analyze::{decimal, seconds, SpanRef, Totals, TraceAnalysis};
use super::cost::PriceTable;
use super::usage::Usage;
use crate::json::escape::write_str;

fn string(out: &mut String, text: &str) {
    let mut bytes = Vec::with_capacity(text.len() + 2);
    write_str(&mut bytes, text);
    out.push_str(&String::from_utf8(bytes).unwrap_or_default());
}

fn opt_string(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.push_str("null"),
    }
}

fn opt_number(out: &mut String, value: Option<i64>) {
    match value {
        Some(value) => {
            let _ = write!(out, "{value}");
        }
        None => out.push_str("null"),
    }
}

fn usage_json(out: &mut String, usage: Usage) {
    let _ = write!(
        out,
        "{{\"inputTokens\":{},\"outputTokens\":{},\"cachedInputTokens\":{},\"reasoningTokens\":{}}}",
        usage.input, usage.output, usage.cached_input, usage.reasoning
    );
}

/// The cost as reported: the priced part, or null when nothing could be priced.
fn cost_value(totals: &Totals) -> Option<f64> {
    let nothing_priced = totals.unpriced == totals.usage && totals.usage != Usage::default();
    (!nothing_priced).then_some(totals.cost_usd)
}

fn totals_json(out: &mut String, totals: &Totals) {
    out.push_str("\"usage\":");
    usage_json(out, totals.usage);
    match cost_value(totals) {
        Some(cost) => {
            let _ = write!(out, ",\"costUsd\":{}", decimal(cost, 9, true));
        }
        None => out.push_str(",\"costUsd\":null"),
    }
    let _ = write!(out, ",\"costComplete\":{}", totals.cost_known());
    out.push_str(",\"unpricedUsage\":");
    usage_json(out, totals.unpriced);
    out.push_str(",\"unknownModels\":[");
    for (i, model) in totals.unknown_models.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, model);
    }
    out.push(']');
}

fn spans_json(out: &mut String, key: &str, spans: &[SpanRef]) {
    let _ = write!(out, ",\"{key}\":[");
    for (i, span) in spans.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"type\":");
        string(out, span.kind.type_name());
        out.push_str(",\"name\":");
        string(out, &span.name);
        out.push_str(",\"durationMs\":");
        opt_number(out, span.duration_ms);
        out.push_str(",\"error\":");
        opt_string(out, span.error.as_deref());
        out.push('}');
    }
    out.push(']');
}

fn rows_json(out: &mut String, rows: &[super::analyze::Row]) {
    out.push_str(",\"rows\":[");
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"spanId\":");
        string(out, &row.span_id);
        out.push_str(",\"parentId\":");
        opt_string(out, row.parent_id.as_deref());
        let _ = write!(out, ",\"depth\":{},\"type\":", row.depth);
        string(out, row.span.kind.type_name());
        out.push_str(",\"name\":");
        string(out, &row.span.name);
        out.push_str(",\"startedMs\":");
        opt_number(out, row.started_ms);
        out.push_str(",\"endedMs\":");
        opt_number(out, row.ended_ms);
        out.push_str(",\"error\":");
        opt_string(out, row.span.error.as_deref());
        out.push_str(",\"usage\":");
        match row.usage {
            Some(usage) => usage_json(out, usage),
            None => out.push_str("null"),
        }
        let _ = write!(out, ",\"critical\":{}}}", row.critical);
    }
    out.push(']');
}

/// The report as JSON: `{traces: [...], groups: {id: {traces, usage, costUsd, ...}}, prices:
/// {date, source}}`.
pub fn report_json(
    analyses: &[TraceAnalysis],
    groups: &BTreeMap<String, (u64, Totals)>,
    prices: &PriceTable,
) -> String {
    let mut out = String::from("{\"traces\":[");
    for (i, a) in analyses.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"traceId\":");
        string(&mut out, &a.trace_id);
        out.push_str(",\"workflowName\":");
        opt_string(&mut out, a.workflow_name.as_deref());
        out.push_str(",\"groupId\":");
        opt_string(&mut out, a.group_id.as_deref());
        out.push_str(",\"durationMs\":");
        opt_number(&mut out, a.duration_ms);
        out.push_str(",\"spansByType\":{");
        for (n, (kind, count)) in a.spans_by_type.iter().enumerate() {
            let _ = write!(out, "{}\"{kind}\":{count}", if n > 0 { "," } else { "" });
        }
        out.push_str("},");
        totals_json(&mut out, &a.totals);
        out.push_str(",\"tools\":[");
        for (n, tool) in a.tools.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            out.push_str("{\"name\":");
            string(&mut out, &tool.name);
            let _ = write!(
                out,
                ",\"calls\":{},\"errors\":{},\"totalMs\":{},\"maxMs\":{}}}",
                tool.calls, tool.errors, tool.total_ms, tool.max_ms
            );
        }
        out.push_str("],\"handoffChain\":[");
        for (n, agent) in a.handoff_chain.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            string(&mut out, agent);
        }
        out.push(']');
        spans_json(&mut out, "errors", &a.errors);
        spans_json(&mut out, "slowest", &a.slowest);
        spans_json(&mut out, "criticalPath", &a.critical_path);
        out.push_str(",\"tree\":");
        string(&mut out, &a.tree);
        rows_json(&mut out, &a.rows);
        out.push('}');
    }
    out.push_str("],\"groups\":{");
    for (n, (group, (traces, totals))) in groups.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        string(&mut out, group);
        let _ = write!(out, ":{{\"traces\":{traces},");
        totals_json(&mut out, totals);
        out.push('}');
    }
    out.push_str("},\"prices\":{\"date\":");
    string(&mut out, &prices.date);
    out.push_str(",\"source\":");
    string(&mut out, &prices.source);
    out.push_str("}}");
    out
}

fn tokens(usage: Usage) -> String {
    let mut text = format!("{} in", usage.input);
    if usage.cached_input > 0 {
        let _ = write!(text, " ({} cached)", usage.cached_input);
    }
    let _ = write!(text, " / {} out", usage.output);
    if usage.reasoning > 0 {
        let _ = write!(text, " ({} reasoning)", usage.reasoning);
    }
    text
}

/// `$0.000365`, `$0.000225 + unknown for 400 in / 40 out (models not in the price table: x)`.
fn cost_text(totals: &Totals) -> String {
    let known = match cost_value(totals) {
        Some(cost) => format!("${}", decimal(cost, 6, false)),
        None => "unknown".to_owned(),
    };
    if totals.cost_known() {
        return known;
    }
    let why = if totals.unknown_models.is_empty() {
        "no model recorded".to_owned()
    } else {
        format!(
            "models not in the price table: {}",
            totals.unknown_models.join(", ")
        )
    };
    if cost_value(totals).is_some() {
        format!("{known} + unknown for {} ({why})", tokens(totals.unpriced))
    } else {
        format!("unknown ({why})")
    }
}

fn span_line(span: &SpanRef) -> String {
    let mut text = format!("{} {}", span.kind.type_name(), span.name);
    if let Some(ms) = span.duration_ms {
        let _ = write!(text, " {}", seconds(ms));
    }
    text
}

/// The report as text: each trace's tree and figures, then group totals.
pub fn report_text(
    analyses: &[TraceAnalysis],
    groups: &BTreeMap<String, (u64, Totals)>,
    prices: &PriceTable,
) -> String {
    let mut out = String::new();
    for a in analyses {
        out.push_str(&a.tree);
        let spans: u64 = a.spans_by_type.values().sum();
        let by_type: Vec<String> = a
            .spans_by_type
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "  trace    {}{}",
            a.trace_id,
            a.group_id
                .as_ref()
                .map_or(String::new(), |g| format!(" · group {g}"))
        );
        let _ = writeln!(out, "  spans    {spans} ({})", by_type.join(", "));
        let _ = writeln!(out, "  tokens   {}", tokens(a.totals.usage));
        let _ = writeln!(out, "  cost     {}", cost_text(&a.totals));
        if !a.tools.is_empty() {
            let tools: Vec<String> = a
                .tools
                .iter()
                .map(|t| {
                    let errors = if t.errors > 0 {
                        format!(", {} failed", t.errors)
                    } else {
                        String::new()
                    };
                    format!("{} ×{} ({}{errors})", t.name, t.calls, seconds(t.total_ms))
                })
                .collect();
            let _ = writeln!(out, "  tools    {}", tools.join(", "));
        }
        if !a.handoff_chain.is_empty() {
            let _ = writeln!(out, "  handoffs {}", a.handoff_chain.join(" → "));
        }
        for error in &a.errors {
            let _ = writeln!(
                out,
                "  error    {} {}: {}",
                error.kind.type_name(),
                error.name,
                error.error.as_deref().unwrap_or("")
            );
        }
        let slowest: Vec<String> = a.slowest.iter().take(3).map(span_line).collect();
        if !slowest.is_empty() {
            let _ = writeln!(out, "  slowest  {}", slowest.join(", "));
        }
        let path: Vec<String> = a.critical_path.iter().map(span_line).collect();
        if !path.is_empty() {
            let _ = writeln!(out, "  critical {}", path.join(" → "));
        }
        out.push('\n');
    }
    for (group, (traces, totals)) in groups {
        let _ = writeln!(
            out,
            "group {group}: {traces} traces, {}, cost {}",
            tokens(totals.usage),
            cost_text(totals)
        );
    }
    let _ = writeln!(
        out,
        "{} traces; prices of {} ({})",
        analyses.len(),
        prices.date,
        prices.source
    );
    out
}
