// The inspector's open-to-drawn time on a 10,000-span trace, in headless Chromium: a trace of
// 10,000 spans (an agent run's shapes, repeated: agents, turns, generations with messages, tools)
// written as JSONL into a collector's data folder; the page opens it (?src=/v1/traces.jsonl
// &open=first) and the time from navigation start to the waterfall drawn is read from the page.
// Medians of 5 fresh pages.
//
//   node bench/inspector.mjs [--spans=10000] [--rounds=5]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startCollector } from '../pkg/bin/collector.mjs';

const { values } = parseArgs({ options: { spans: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '5' } } });
const spans = Number(values.spans);
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const traceId = `trace_${'a'.repeat(32)}`;
const hex = (n, width) => n.toString(16).padStart(width, '0');
const iso = (ms) => new Date(Date.UTC(2026, 11, 1) + ms).toISOString();
const lines = [JSON.stringify({ object: 'trace', id: traceId, workflow_name: 'big run', group_id: 'conv-big', metadata: {} })];
const rootId = `span_${hex(0, 24)}`;
lines.push(JSON.stringify({ object: 'trace.span', id: rootId, trace_id: traceId, parent_id: null, started_at: iso(0), ended_at: iso(spans * 10), span_data: { type: 'agent', name: 'Planner' }, error: null }));
for (let i = 1; i < spans; i++) {
  const kind = i % 3;
  const span_data = kind === 0
    ? { type: 'generation', model: 'gpt-4o', input: [{ role: 'user', content: `step ${i}: plan the next action for the customer` }], output: [{ role: 'assistant', content: 'call a tool' }], usage: { input_tokens: 120, output_tokens: 12 } }
    : kind === 1 ? { type: 'function', name: `tool_${i % 7}`, input: JSON.stringify({ query: `q${i}` }), output: '{"ok":true}' } : { type: 'custom', name: 'note', data: { step: i } };
  lines.push(JSON.stringify({ object: 'trace.span', id: `span_${hex(i, 24)}`, trace_id: traceId, parent_id: rootId, started_at: iso(i * 10), ended_at: iso(i * 10 + 8), span_data, error: i % 997 === 0 ? { message: 'boom' } : null }));
}
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'edgetrace-inspector-bench-'));
writeFileSync(path.join(dataDir, 'big.jsonl'), `${lines.join('\n')}\n`);
const collector = await startCollector({ port: 0, dataDir, wwwDir: path.join(root, 'www') });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
const times = [];
try {
  for (let r = 0; r < Number(values.rounds); r++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${collector.url}/www/?src=/v1/traces.jsonl&open=first`);
    await page.waitForFunction(() => globalThis.edgetraceInspector?.state.drawnAt !== undefined, null, { timeout: 60_000 });
    const rows = await page.$$eval('#rows .row', (r) => r.length);
    if (rows === 0) throw new Error('no rows drawn');
    times.push(await page.evaluate(() => globalThis.edgetraceInspector.state.drawnAt));
    await page.close();
  }
} finally {
  await browser.close();
  await collector.close();
  rmSync(dataDir, { recursive: true, force: true });
}
const sorted = [...times].sort((a, b) => a - b);
console.log('## inspector\n');
console.log(`A ${spans}-span trace (${(lines.join('\n').length / 1e6).toFixed(1)} MB of JSONL), headless Chromium: navigation start to the waterfall drawn, ${times.length} fresh pages\n`);
console.log(`median ${sorted[sorted.length >> 1].toFixed(0)} ms (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)}); target 1,000 ms: ${sorted[sorted.length >> 1] <= 1000 ? 'met' : 'NOT met'}`);
