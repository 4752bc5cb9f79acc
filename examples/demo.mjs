// A scripted agent run (no network): a triage agent calls a model, runs a tool, hands off to a
// specialist, whose guarded answer ends the run. Traced with edgetrace, exported through a
// BatchTraceProcessor; prints the trace tree and the exported ingest body.
import {
  withTrace, withAgentSpan, withGenerationSpan, withFunctionSpan, withHandoffSpan,
  withGuardrailSpan, withTurnSpan, BatchTraceProcessor, setTraceProcessors, forceFlush,
} from 'edgetrace';

/** @type {string} */
let body = '';
setTraceProcessors([new BatchTraceProcessor({ exportBody(bytes) { body = new TextDecoder().decode(bytes); } })]);

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A model that answers `reply` after a short wait, recording output and usage on its span.
 * @param {import('edgetrace').Span<import('edgetrace').GenerationSpanData> | import('edgetrace').NoopSpan<import('edgetrace').GenerationSpanData>} span
 * @param {string} prompt
 * @param {string} reply
 */
async function fakeModel(span, prompt, reply) {
  await sleep(3);
  span.spanData.output = [{ role: 'assistant', content: reply }];
  span.spanData.usage = { input_tokens: prompt.length, output_tokens: reply.length };
  return reply;
}

await withTrace('Customer support', async () => {
  await withAgentSpan(() => withTurnSpan(async () => {
    await withGenerationSpan((span) => fakeModel(span, 'Where is order 42?', 'call lookup_order'),
      { data: { model: 'gpt-5-mini', input: [{ role: 'user', content: 'Where is order 42?' }] } });
    await withFunctionSpan(async (span) => {
      await sleep(2);
      span.spanData.output = JSON.stringify({ order: 42, status: 'delayed' });
    }, { data: { name: 'lookup_order', input: '{"order":42}' } });
    await withHandoffSpan(async () => {}, { data: { from_agent: 'Triage', to_agent: 'Shipping' } });
  }, { data: { turn: 1, agent_name: 'Triage' } }), { data: { name: 'Triage', tools: ['lookup_order'], handoffs: ['Shipping'] } });

  await withAgentSpan(async () => {
    await withGuardrailSpan(async () => {}, { data: { name: 'no_refund_promises' } });
    await withGenerationSpan((span) => fakeModel(span, 'order 42 delayed', 'Your order ships Friday.'),
      { data: { model: 'gpt-5', input: [{ role: 'user', content: 'order 42 delayed' }] } });
  }, { data: { name: 'Shipping', output_type: 'text' } });
}, { groupId: 'conversation-7', metadata: { channel: 'chat' } });

await forceFlush();

/** @typedef {{id: string, workflow_name: string, group_id: string | null}} TraceItem */
/** @typedef {{id: string, parent_id: string | null, started_at: string, ended_at: string, span_data: Record<string, any>}} SpanItem */
/** @type {{data: [TraceItem, ...SpanItem[]]}} */
const { data: items } = JSON.parse(body);
const [trace, ...spans] = items;
/** @type {Map<string, SpanItem[]>} */
const children = new Map();
for (const span of spans) {
  const parent = span.parent_id ?? trace.id;
  children.set(parent, [...(children.get(parent) ?? []), span]);
}
/** @param {Record<string, any>} d */
const label = (d) => (d.type === 'custom' ? `${d.name} ${d.data.agent_name ?? ''}` : `${d.type} ${d.name ?? d.model ?? `${d.from_agent} -> ${d.to_agent}`}`);
/**
 * @param {string} id
 * @param {number} depth
 */
function print(id, depth) {
  const kids = (children.get(id) ?? []).sort((a, b) => a.started_at.localeCompare(b.started_at));
  for (const span of kids) {
    const ms = Date.parse(span.ended_at) - Date.parse(span.started_at);
    console.log(`${'  '.repeat(depth)}- ${label(span.span_data).trim()} (${ms} ms)`);
    print(span.id, depth + 1);
  }
}
console.log(`Trace "${trace.workflow_name}" ${trace.id} group=${trace.group_id}`);
print(trace.id, 1);
console.log(`\nIngest body (${body.length} bytes, ${items.length} items), as POSTed to /v1/traces/ingest:`);
console.log(JSON.stringify(JSON.parse(body), null, 2));
