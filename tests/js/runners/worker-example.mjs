// Runs examples/worker.mjs under miniflare (nodejs_compat) against a real HTTP collector on
// 127.0.0.1: three requests, and each one's trace must arrive at the collector through
// ctx.waitUntil(forceFlush()) with the SDK's ingest shape. Prints "worker-example: N passed,
// M failed" (one check per request) and exits non-zero on failure.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { bundleWorker } from './workerd-bundle.mjs';

const CITIES = ['Paris', 'Lagos', 'Osaka'];
const DEADLINE_MS = 20_000;

const bodies = [];
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    response.writeHead(200).end();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${server.address().port}/v1/traces/ingest`;

const mf = new Miniflare({
  host: '127.0.0.1',
  modules: await bundleWorker(fileURLToPath(new URL('../../../examples/worker.mjs', import.meta.url))),
  compatibilityDate: '2026-07-01',
  compatibilityFlags: ['nodejs_compat'],
  bindings: { TRACE_ENDPOINT: endpoint },
});

let passed = 0;
let failed = 0;
try {
  for (const city of CITIES) {
    const response = await mf.dispatchFetch(`http://localhost/?city=${city}`);
    const text = await response.text();
    if (text !== `Forecast: sunny in ${city}`) throw new Error(`unexpected reply ${text}`);
  }
  // waitUntil work finishes after the responses: wait, bounded, for every trace to arrive.
  const started = Date.now();
  const items = () => bodies.flatMap((body) => body.data);
  while (items().filter((i) => i.object === 'trace').length < CITIES.length && Date.now() - started < DEADLINE_MS) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const city of CITIES) {
    const trace = items().find((i) => i.object === 'trace' && i.metadata.city === city);
    const spans = items().filter((i) => i.object === 'trace.span' && i.trace_id === trace?.id);
    const agent = spans.find((s) => s.span_data.type === 'agent');
    const tool = spans.find((s) => s.span_data.type === 'function');
    const ok = trace?.workflow_name === 'Weather request'
      && agent?.span_data.name === 'Weather agent'
      && tool?.parent_id === agent?.id
      && tool?.span_data.output === `sunny in ${city}`;
    if (ok) passed += 1;
    else {
      failed += 1;
      console.log(`FAIL trace for ${city} did not arrive whole: ${JSON.stringify({ trace, spans })}`);
    }
  }
} catch (error) {
  failed = CITIES.length - passed;
  console.log(`FAIL ${error?.stack ?? error}`);
} finally {
  await mf.dispose();
  server.close();
}
console.log(`worker-example: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
