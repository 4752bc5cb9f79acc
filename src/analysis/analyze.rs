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
    /// Tool calls by name, most called first (ties in the order of their first call).
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
    /// The spans in tree order (a waterfall's rows).
    pub rows: Vec<Row>,
}

/// A span as a waterfall row: in tree order, with its depth.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// `span_…`.
    pub span_id: String,
    /// The parent's id, when it is among the trace's spans.
    pub parent_id: Option<String>,
    /// Depth in the tree (0 for a root).
    pub depth: u32,
    /// The span as the lists show it.
    pub span: SpanRef,
    /// Start, ms since the epoch.
    pub started_ms: Option<i64>,
    /// End, ms since the epoch.
    pub ended_ms: Option<i64>,
    /// Its own usage.
    pub usage: Option<Usage>,
    /// Whether it lies on the critical path.
    pub critical: bool,
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
        // By start, then end: siblings that start in the same millisecond come out the same
        // whatever order the file holds them in (short ones first).
        let by_start = |list: &mut Vec<usize>| {
            sort_indices(list, &|i| {
                let span = &spans[i];
                (
                    span.started_ms.unwrap_or(i64::MIN),
                    span.ended_ms.unwrap_or(i64::MAX),
                )
            })
        };
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
        let model = span
            .model
            .clone()
            .or_else(|| self.only_model_below(node, 0));
        span.usage
            .map(|usage| vec![(model, usage)])
            .unwrap_or_default()
    }

    /// The one model the spans below `node` name, if they name exactly one: a turn's (or task's)
    /// usage is then that model's (agents-openai's chat-completions model records usage on the
    /// turn, not on its generation span, when the call succeeds). Several models or none: `None`.
    fn only_model_below(&self, node: usize, depth: u32) -> Option<String> {
        let mut found: Option<&str> = None;
        let mut stack: Vec<(usize, u32)> = self.children[node]
            .iter()
            .map(|&c| (c, depth + 1))
            .collect();
        while let Some((next, level)) = stack.pop() {
            if let Some(model) = self.spans[next].model.as_deref() {
                match found {
                    Some(seen) if seen != model => return None,
                    _ => found = Some(model),
                }
            }
            if level < 512 {
                stack.extend(self.children[next].iter().map(|&c| (c, level + 1)));
            }
        }
        found.map(str::to_owned)
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

/// Sorts indices by `key`, stably (equal keys keep their order). A merge sort written here: the
/// standard library's sorts add ~15-30 KB of wasm per instance (unrolled sorting networks), and
/// this one has a single instance (the key is a `dyn Fn`).
pub fn sort_indices(items: &mut Vec<usize>, key: &dyn Fn(usize) -> (i64, i64)) {
    let mut width = 1;
    let mut buffer = vec![0; items.len()];
    while width < items.len() {
        let mut start = 0;
        while start < items.len() {
            let middle = (start + width).min(items.len());
            let end = (start + 2 * width).min(items.len());
            let (mut left, mut right, mut out) = (start, middle, start);
            while left < middle || right < end {
                let take_left =
                    right >= end || (left < middle && key(items[left]) <= key(items[right]));
                buffer[out] = if take_left { items[left] } else { items[right] };
                if take_left {
                    left += 1;
                } else {
                    right += 1;
                }
                out += 1;
            }
            start = end;
        }
        std::mem::swap(items, &mut buffer);
        width *= 2;
    }
}

/// `1.84 s` (integer arithmetic: float formatting would add ~20 KB to the module).
pub fn seconds(ms: i64) -> String {
    let centis = (ms.unsigned_abs() + 5) / 10;
    let sign = if ms < 0 { "-" } else { "" };
    format!("{sign}{}.{:02} s", centis / 100, centis % 100)
}

/// `amount` rounded to `places` decimals as decimal text (`0.000590`; `trim`: without trailing
/// zeros, `0.00059`), written with integers (float formatting would add ~20 KB to the module).
pub fn decimal(amount: f64, places: u32, trim: bool) -> String {
    let scale = 10u64.pow(places);
    let units = (amount.abs() * scale as f64).round() as u64;
    let sign = if amount < 0.0 && units > 0 { "-" } else { "" };
    let fraction = format!("{:0width$}", units % scale, width = places as usize);
    let fraction = if trim {
        fraction.trim_end_matches('0')
    } else {
        &fraction
    };
    if fraction.is_empty() {
        format!("{sign}{}", units / scale)
    } else {
        format!("{sign}{}.{fraction}", units / scale)
    }
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
    /// The spans under `nodes`, depth first, as waterfall rows.
    fn rows(&self, nodes: &[usize], depth: u32, critical: &[usize], out: &mut Vec<Row>) {
        for &node in nodes {
            let span = &self.spans[node];
            out.push(Row {
                span_id: span.id.text().as_str().to_owned(),
                parent_id: span
                    .parent
                    .filter(|_| depth > 0)
                    .map(|p| p.text().as_str().to_owned()),
                depth,
                span: span_ref(span),
                started_ms: span.started_ms,
                ended_ms: span.ended_ms,
                usage: span.usage,
                critical: critical.contains(&node),
            });
            if depth < 256 {
                self.rows(&self.children[node], depth + 1, critical, out);
            }
        }
    }

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

    let mut in_start_order: Vec<usize> = (0..spans.len()).collect();
    sort_indices(&mut in_start_order, &|i| {
        (spans[i].started_ms.unwrap_or(i64::MIN), 0)
    });
    let in_start_order: Vec<&SpanInfo> = in_start_order.into_iter().map(|i| &spans[i]).collect();
    let mut tools: Vec<ToolStats> = Vec::new();
    for span in in_start_order
        .iter()
        .filter(|s| s.kind == SpanKind::Function)
    {
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
    // Most called first; ties in the order of their first call (the list was built in start
    // order, and the sort is stable).
    let mut names: Vec<usize> = (0..tools.len()).collect();
    sort_indices(&mut names, &|i| (-(tools[i].calls as i64), 0));
    let tools: Vec<ToolStats> = names.into_iter().map(|i| tools[i].clone()).collect();

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

    let mut by_duration: Vec<usize> = (0..spans.len())
        .filter(|&i| spans[i].duration_ms().is_some())
        .collect();
    sort_indices(&mut by_duration, &|i| {
        (-spans[i].duration_ms().unwrap_or(0), 0)
    });
    let slowest = by_duration
        .iter()
        .take(5)
        .map(|&i| span_ref(&spans[i]))
        .collect();
    let critical = forest.critical_path();
    let critical_path = critical.iter().map(|&i| span_ref(&spans[i])).collect();
    let mut rows = Vec::with_capacity(spans.len());
    forest.rows(&forest.roots, 0, &critical, &mut rows);

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
        rows,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_sort_is_a_stable_sort() {
        let keys = [5i64, 3, 5, 1, 3, 9, 0, 5];
        for len in 0..=keys.len() {
            let mut items: Vec<usize> = (0..len).collect();
            sort_indices(&mut items, &|i| (keys[i], 0));
            let mut expected: Vec<usize> = (0..len).collect();
            expected.sort_by_key(|&i| keys[i]);
            assert_eq!(items, expected);
        }
    }

    #[test]
    fn seconds_and_decimals_are_written_without_float_formatting() {
        assert_eq!(seconds(1_844), "1.84 s");
        assert_eq!(seconds(5), "0.01 s");
        assert_eq!(seconds(-1_500), "-1.50 s");
        assert_eq!(decimal(0.000_59, 6, false), "0.000590");
        assert_eq!(decimal(0.000_59, 9, true), "0.00059");
        assert_eq!(decimal(12.0, 9, true), "12");
    }
}
