// Type-level usage of every `edgetrace/processors` export: a chain of every stage into a router,
// the trace options the stages read, and the counters. `make typecheck` compiles it (no emit).
import { BatchTraceProcessor, addTraceProcessor, withTrace, type SpanData } from 'edgetrace';
import {
  ComplianceLog,
  ErrorTracker,
  HeadSampler,
  LiveEvents,
  PerfAlerts,
  ProcessorChain,
  Redactor,
  Router,
  SpanFilter,
  TailSampler,
  TraceAnalyzer,
  TraceFileReader,
  TraceStore,
  exportItemsOf,
  agentsCoreProcessor,
  jsonlFileSink,
  kvSink,
  type TraceAnalysis,
  type ComplianceRecord,
  type ErrorGroup,
  type ExportItemJSON,
  type PerfAlert,
} from 'edgetrace/processors';

const exporter = { async export(): Promise<void> {} };
const errors = new ErrorTracker({ maxGroups: 64 });
const alerts: PerfAlert[] = [];
const audit: ComplianceRecord[] = [];

const chain = new ProcessorChain([
  new HeadSampler({ ratio: 0.5 }),
  new TailSampler({ ratio: 0.1, keepErrors: true, slowerThanMs: 5_000, maxTraceAgeMs: 60_000, maxTraces: 100, maxItems: 1_000, maxBytes: 1 << 20 }),
  new Redactor({ keys: ['ssn'], patterns: { order: 'ORD-\\d+', ticket: /tkt_[a-z]+/i }, removePatterns: ['email'], hideInputs: false, hideOutputs: true }),
  new SpanFilter({ drop: ['custom'] }),
  (item: ExportItemJSON) => (item.object === 'trace.span' && item.span_data.type === 'custom' ? null : item),
  errors,
  new PerfAlerts({ rules: [{ spanType: 'function', name: 'search', thresholdMs: 100 }, { traces: true, thresholdMs: 1_000 }], onAlert: (alert) => { alerts.push(alert); } }),
  new TraceStore({ maxTraces: 100, sink: jsonlFileSink('/tmp/traces.jsonl') }),
  new TraceStore({ sink: kvSink({ put: async () => undefined }, { prefix: 'p/' }) }),
  new LiveEvents({ onEvent: (event) => { if (event.type === 'span.start') console.log(event.item.object); } }),
  new ComplianceLog({ keys: ['user_id'], sink: async (records) => { audit.push(...records); }, maxRecords: 100, dropPolicy: 'drop-newest', sinkTimeoutMs: 5_000 }),
  new Router({ byMetadata: 'tenant', routes: { acme: new BatchTraceProcessor(exporter), globex: [new BatchTraceProcessor(exporter)] }, otherwise: new BatchTraceProcessor(exporter), maxOpenTraces: 1_000 }),
]);
addTraceProcessor(chain);
const adapter = agentsCoreProcessor();
void adapter.forceFlush();
new ProcessorChain([new Redactor(), new BatchTraceProcessor(exporter)]);
new Router({ bySpanType: true, routes: { generation: new BatchTraceProcessor(exporter) } });

export async function run(): Promise<void> {
  await withTrace('typed', async () => {}, { metadata: { tenant: 'acme' }, sampled: true, hideInputs: true, hideOutputs: false });
  await chain.forceFlush({ timeoutMs: 1_000 });
  const groups: ErrorGroup[] = errors.groups({ clear: true });
  const type: SpanData['type'] = groups[0]?.type ?? 'function';
  const stats = chain.stats();
  const first = stats.stages[0];
  if (first?.stage === 'headSampler') console.log(first.tracesKept, type, stats.processors[0]?.exported);
  await chain.shutdown(1_000);
}

export function analyse(body: Uint8Array): number {
  const analyzer = new TraceAnalyzer({ prices: { date: '2026-12-01', source: 'ours', prices: [{ model: 'gpt-4o', input: 2.5, output: 10 }] } });
  analyzer.feed(body, 'body.json');
  analyzer.endFile('body.json');
  analyzer.addItems([{ object: 'trace', id: 'trace_0', workflow_name: 'w', group_id: null, metadata: {} }]);
  const { traces, groups } = analyzer.analyze();
  const first: TraceAnalysis | undefined = traces[0];
  console.log(analyzer.report(), groups['conv']?.traces, first?.criticalPath[0]?.name);
  return first?.costUsd ?? 0;
}

export function split(chunks: Array<Uint8Array | string>): string[] {
  const reader = new TraceFileReader('trace.jsonl', { bodiesOnly: false });
  const items: string[] = chunks.flatMap((chunk) => reader.feed(chunk));
  items.push(...reader.end());
  const objects: ExportItemJSON[] = exportItemsOf(items.join('\n'), 'trace.jsonl');
  return objects.length === items.length ? items : [];
}
