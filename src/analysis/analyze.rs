//! The analysis of a trace: duration, spans per type, token usage and cost (leaf-most usage
//! only), tool calls by name, the handoff chain, errors, the slowest spans, the critical path and
//! a text tree; and totals per group (conversation).

use std::collections::BTreeMap;

use super::cost::PriceTable;
use super::traces::{SpanInfo, TraceInfo};
use super::usage::Usage;
use crate::model::span_data::SpanKind;

/// Calls of one tool.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ToolStats {
    /// The tool's name.
    pub name: String,
    /// Calls.
    pub calls: u64,
    /// Calls that recorded an error.
    pub errors: u64,
    /// Their total duration, ms.
    pub total_ms: i64,
    /// The longest call, ms.
    pub max_ms: i64,
}

/// A span as the analysis lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanRef {
    /// Its type (`task`, `turn` as the SDK means them).
    pub kind: SpanKind,
    /// Its label (name, model, `from → to`).
    pub name: String,
    /// Its duration, ms (when both times are known).
    pub duration_ms: Option<i64>,
    /// Its error message.
    pub error: Option<String>,
}

/// Usage and cost of a trace (or a group of them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    /// Tokens, from the most specific level present in each subtree.
    pub usage: Usage,
    /// Cost in USD of the usage whose model the price table knows.
    pub cost_usd: f64,
    /// Tokens whose cost is unknown (no model, or a model the table does not know).
    pub unpriced: Usage,
    /// Models the price table does not know.
    pub unknown_models: Vec<String>,
}

impl Totals {
    /// Whether every token was priced (then `cost_usd` is the whole cost).
    pub fn cost_known(&self) -> bool {
        self.unpriced == Usage::default()
    }

    fn add(&mut self, other: &Totals) {
        self.usage += other.usage;
        self.cost_usd += other.cost_usd;
        self.unpriced += other.unpriced;
        for model in &other.unknown_models {
            if !self.unknown_models.contains(model) {
                self.unknown_models.push(model.clone());
            }
        }
    }
}

/// The analysis of one trace.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceAnalysis {
    /// `trace_…`.
    pub trace_id: String,
    /// The workflow name (`None` when the trace item was not among the items).
    pub workflow_name: Option<String>,
    /// The group (conversation).
    pub group_id: Option<String>,
    /// First span start to last span end, ms.
    pub duration_ms: Option<i64>,
    /// Spans per type, by type name.
    pub spans_by_type: BTreeMap<&'static str, u64>,
    /// Usage and cost.
    pub totals: Totals,
    /// Tool calls by name, most called first.
    pub tools: Vec<ToolStats>,
    /// The agents in handoff order: the first handoff's `from`, then every `to`.
    pub handoff_chain: Vec<String>,
    /// Spans that recorded an error, in start order.
    pub errors: Vec<SpanRef>,
    /// The slowest spans (at most 5), slowest first.
    pub slowest: Vec<SpanRef>,
    /// From the root that ends last, each time into the child that ends last.
    pub critical_path: Vec<SpanRef>,
    /// The text tree.
    pub tree: String,
}

/// The spans of a trace as a forest: children by index, in start order.
struct Forest<'a> {
    spans: &'a [SpanInfo],
    roots: Vec<usize>,
    children: Vec<Vec<usize>>,
}

impl<'a> Forest<'a> {
    fn new(spans: &'a [SpanInfo]) -> Self {
        let index: BTreeMap<_, _> = spans.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let mut roots = Vec::new();
        let mut children = vec![Vec::new(); spans.len()];
        for (i, span) in spans.iter().enumerate() {
            match span.parent.and_then(|p| index.get(&p)).filter(|&&p| p != i) {
                Some(&parent) => children[parent].push(i),
                None => roots.push(i),
            }
        }
        let by_start = |list: &mut Vec<usize>| list.sort_by_key(|&i| (spans[i].started_ms, i));
        by_start(&mut roots);
        children.iter_mut().for_each(by_start);
        Forest {
            spans,
            roots,
            children,
        }
    }

    /// The usage of the subtree at `node` (the most specific level present in it), as
    /// `(model, usage)` parts; empty when it records none.
    fn usage_parts(&self, node: usize, depth: u32) -> Vec<(Option<String>, Usage)> {
        if depth > 512 {
            return Vec::new();
        }
        let below: Vec<_> = self.children[node]
            .iter()
            .flat_map(|&child| self.usage_parts(child, depth + 1))
            .collect();
        if !below.is_empty() {
            return below;
        }
        let span = &self.spans[node];
        span.usage
            .map(|usage| vec![(span.model.clone(), usage)])
            .unwrap_or_default()
    }

    fn ends(&self, i: usize) -> i64 {
        self.spans[i].ended_ms.unwrap_or(i64::MIN)
    }

    fn critical_path(&self) -> Vec<usize> {
        let mut path = Vec::new();
        let mut next = self
            .roots
            .iter()
            .copied()
            .max_by_key(|&i| (self.ends(i), std::cmp::Reverse(i)));
        while let Some(node) = next {
            if path.len() > 512 {
                break;
            }
            path.push(node);
            next = self.children[node]
                .iter()
                .copied()
                .max_by_key(|&i| (self.ends(i), std::cmp::Reverse(i)));
        }
        path
    }
}

fn span_ref(span: &SpanInfo) -> SpanRef {
    SpanRef {
        kind: span.kind,
        name: span.name.clone(),
        duration_ms: span.duration_ms(),
        error: span.error.clone(),
    }
}

/// `1.84 s`.
pub fn seconds(ms: i64) -> String {
    format!("{:.2} s", ms as f64 / 1000.0)
}

/// A span's line in the tree: `generation gpt-4o (0.95 s, 12 in / 5 out) ERROR: boom`.
fn tree_label(span: &SpanInfo) -> String {
    let mut label = format!("{} {}", span.kind.type_name(), span.name)
        .trim_end()
        .to_owned();
    let mut details = Vec::new();
    if span.kind != SpanKind::Handoff {
        if let Some(ms) = span.duration_ms() {
            details.push(seconds(ms));
        }
    }
    if let Some(usage) = span.usage {
        details.push(format!("{} in / {} out", usage.input, usage.output));
    }
    if !details.is_empty() {
        label.push_str(&format!(" ({})", details.join(", ")));
    }
    if let Some(error) = &span.error {
        label.push_str(&format!(" ERROR: {error}"));
    }
    label
}

impl Forest<'_> {
    fn write_tree(&self, out: &mut String, nodes: &[usize], prefix: &str, depth: u32) {
        for (n, &node) in nodes.iter().enumerate() {
            let last = n + 1 == nodes.len();
            out.push_str(prefix);
            out.push_str(if last { "└─ " } else { "├─ " });
            out.push_str(&tree_label(&self.spans[node]));
            out.push('\n');
            if depth < 256 {
                let deeper = format!("{prefix}{}", if last { "   " } else { "│  " });
                self.write_tree(out, &self.children[node], &deeper, depth + 1);
            }
        }
    }
}

/// Analyses one trace, pricing its usage with `prices`.
pub fn analyze(trace: &TraceInfo, prices: &PriceTable) -> TraceAnalysis {
    let spans = &trace.spans;
    let forest = Forest::new(spans);
    let started = spans.iter().filter_map(|s| s.started_ms).min();
    let ended = spans.iter().filter_map(|s| s.ended_ms).max();
    let duration_ms = started.zip(ended).map(|(s, e)| e - s);

    let mut spans_by_type = BTreeMap::new();
    for span in spans {
        *spans_by_type.entry(span.kind.type_name()).or_insert(0) += 1;
    }

    let mut totals = Totals::default();
    for part in forest
        .roots
        .iter()
        .flat_map(|&root| forest.usage_parts(root, 0))
    {
        let (model, usage) = part;
        totals.usage += usage;
        match model.as_deref().and_then(|m| prices.cost(m, usage)) {
            Some(cost) => totals.cost_usd += cost,
            None => {
                totals.unpriced += usage;
                if let Some(model) = model {
                    if !totals.unknown_models.contains(&model) {
                        totals.unknown_models.push(model);
                    }
                }
            }
        }
    }

    let mut tools: Vec<ToolStats> = Vec::new();
    for span in spans.iter().filter(|s| s.kind == SpanKind::Function) {
        let index = match tools.iter().position(|t| t.name == span.name) {
            Some(index) => index,
            None => {
                tools.push(ToolStats {
                    name: span.name.clone(),
                    ..ToolStats::default()
                });
                tools.len() - 1
            }
        };
        let tool = &mut tools[index];
        tool.calls += 1;
        tool.errors += u64::from(span.error.is_some());
        let ms = span.duration_ms().unwrap_or(0);
        tool.total_ms += ms;
        tool.max_ms = tool.max_ms.max(ms);
    }
    tools.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.name.cmp(&b.name)));

    let mut in_start_order: Vec<&SpanInfo> = spans.iter().collect();
    in_start_order.sort_by_key(|s| s.started_ms);
    let mut handoff_chain: Vec<String> = Vec::new();
    for (from, to) in in_start_order.iter().filter_map(|s| s.handoff.as_ref()) {
        if handoff_chain.is_empty() {
            handoff_chain.push(from.clone());
        }
        handoff_chain.push(to.clone());
    }
    let errors = in_start_order
        .iter()
        .filter(|s| s.error.is_some())
        .map(|s| span_ref(s))
        .collect();

    let mut by_duration: Vec<&SpanInfo> =
        spans.iter().filter(|s| s.duration_ms().is_some()).collect();
    by_duration.sort_by_key(|s| std::cmp::Reverse(s.duration_ms()));
    let slowest = by_duration.iter().take(5).map(|s| span_ref(s)).collect();
    let critical_path = forest
        .critical_path()
        .into_iter()
        .map(|i| span_ref(&spans[i]))
        .collect();

    let workflow = trace
        .workflow_name
        .clone()
        .unwrap_or_else(|| "(trace item missing)".to_owned());
    let mut tree = match duration_ms {
        Some(ms) => format!("{workflow} ({})\n", seconds(ms)),
        None => format!("{workflow}\n"),
    };
    forest.write_tree(&mut tree, &forest.roots, "", 0);

    TraceAnalysis {
        trace_id: trace
            .id
            .map(|id| id.text().as_str().to_owned())
            .unwrap_or_default(),
        workflow_name: trace.workflow_name.clone(),
        group_id: trace.group_id.clone(),
        duration_ms,
        spans_by_type,
        totals,
        tools,
        handoff_chain,
        errors,
        slowest,
        critical_path,
        tree,
    }
}

/// Totals per group (conversation), by group id; traces without one are not grouped.
pub fn group_totals(analyses: &[TraceAnalysis]) -> BTreeMap<String, (u64, Totals)> {
    let mut groups: BTreeMap<String, (u64, Totals)> = BTreeMap::new();
    for analysis in analyses {
        if let Some(group) = &analysis.group_id {
            let entry = groups.entry(group.clone()).or_default();
            entry.0 += 1;
            entry.1.add(&analysis.totals);
        }
    }
    groups
}
