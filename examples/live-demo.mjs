// The main job (`make demo`): starts the collector, prints the inspector's URL, and runs the
// scripted support agent in Node, Deno and workerd (miniflare), each exporting through
// OpenAITracingExporter to the collector, where the traces appear live in the page. Then keeps
// serving (and runs the agents again every 20 s) until Ctrl-C.
//   node examples/live-demo.mjs [--once] [--port N] [--delay-ms N]
// --once (or DEMO_ONCE=1): run the agents once after --delay-ms (1,500 by default: time to open
// the page), print what arrived from each runtime, exit (non-zero if a runtime's trace is
// missing): for tests and CI.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Miniflare } from 'miniflare';
import { startCollector } from '../pkg/bin/collector.mjs';
import { bundleWorker } from '../tests/js/runners/workerd-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { once: { type: 'boolean' }, port: { type: 'string', default: '7373' }, 'delay-ms': { type: 'string', default: '1500' } } });
const once = values.once === true || process.env.DEMO_ONCE === '1';
// A run of its own once (what it reports must be this run's), else kept across restarts.
const dataDir = once ? mkdtempSync(path.join(os.tmpdir(), 'edgetrace-demo-')) : path.join(root, 'target/demo-data');
mkdirSync(dataDir, { recursive: true });
const collector = await startCollector({ port: Number(values.port), dataDir, wwwDir: path.join(root, 'www') });
const endpoint = `${collector.url}/v1/traces/ingest`;
console.log(`edgetrace demo: open ${collector.url}/www/?src=/v1/traces.jsonl&live  (traces from Node, Deno and workerd appear there)`);

/** Runs a command to its end; rejects on a non-zero exit. */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
  });
}

const mf = new Miniflare({
  host: '127.0.0.1',
  modules: await bundleWorker(path.join(root, 'examples/demo-worker.mjs')),
  compatibilityDate: '2026-07-01',
  compatibilityFlags: ['nodejs_compat'],
  bindings: { TRACE_ENDPOINT: endpoint },
});
await mf.ready;

async function runAgents() {
  const results = await Promise.allSettled([
    run(process.execPath, ['examples/demo-agent.mjs', endpoint, 'node']),
    run(path.join(root, 'node_modules/.bin/deno'), ['run', '--allow-net=127.0.0.1', 'examples/demo-agent.mjs', endpoint, 'deno']),
    mf.dispatchFetch('http://localhost/').then(async (response) => {
      if (!response.ok) throw new Error(`the Worker answered ${response.status}: ${await response.text()}`);
    }),
  ]);
  for (const [i, result] of results.entries()) {
    if (result.status === 'rejected') console.log(`edgetrace demo: the ${['node', 'deno', 'workerd'][i]} agent failed: ${result.reason?.message ?? result.reason}`);
  }
}

await new Promise((resolve) => setTimeout(resolve, Number(values['delay-ms'])));
await runAgents();
if (once) {
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // open pages get the last events
  const stored = await (await fetch(`${collector.url}/v1/traces.jsonl`)).text();
  const runtimes = new Set(stored.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((i) => i.object === 'trace').map((i) => i.metadata.runtime));
  const missing = ['node', 'deno', 'workerd'].filter((r) => !runtimes.has(r));
  console.log(`edgetrace demo: traces arrived from ${[...runtimes].sort().join(', ')}${missing.length ? `; MISSING ${missing.join(', ')}` : ''}`);
  await mf.dispose();
  await collector.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(missing.length === 0 ? 0 : 1);
}
const again = setInterval(() => { runAgents().catch(() => {}); }, 20_000);
process.on('SIGINT', async () => {
  clearInterval(again);
  await mf.dispose();
  await collector.close();
  process.exit(0);
});
