// Backpressure: 300,000 spans through a batch processor whose exporter is slow (200 ms a call) or
// hung (its promise never settles), for edgetrace and @openai/agents-core, each case in a fresh
// process (a case the library cannot finish would otherwise go on under the next). Prints, per
// case, the most exports in flight at once, the RSS growth after a GC, and edgetrace's counters.
// Run: `node bench/backpressure.mjs [--spans=300000]` (`make bench` runs it); every case is
// bounded (the span loop at 20 s, then a flush at 2 s).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { spans: { type: 'string', default: '300000' }, case: { type: 'string' } } });
const SPANS = Number(values.spans);
if (!(Number.isInteger(SPANS) && SPANS >= 10)) {
  console.error('usage: node bench/backpressure.mjs [--spans=300000]');
  process.exit(2);
}
const SPANS_PER_TRACE = 10;
const MB = 1024 * 1024;
const RUN_BOUND_MS = 20_000;

/** An exporter that counts the exports it has in flight; `delayMs` undefined: never settles. */
function exporter(delayMs) {
  const seen = { inFlight: 0, maxInFlight: 0, calls: 0 };
  return {
    seen,
    export(items, signal) {
      seen.calls += 1;
      seen.inFlight += 1;
      seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
      if (delayMs === undefined) return new Promise(() => {});
      return new Promise((resolve) => {
        const done = () => {
          seen.inFlight -= 1;
          resolve();
        };
        const timer = setTimeout(done, delayMs);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          done();
        }, { once: true });
      });
    },
  };
}

const macrotask = () => new Promise((resolve) => setImmediate(resolve));

function rss() {
  globalThis.gc?.();
  return process.memoryUsage().rss;
}

/** Runs `SPANS` function spans through `api` (the agents-core tracing API), yielding often. */
async function run(api) {
  const provider = api.getGlobalTraceProvider();
  for (let t = 0; t < SPANS / SPANS_PER_TRACE; t++) {
    const trace = provider.createTrace({ name: 'backpressure' });
    await trace.start();
    for (let s = 0; s < SPANS_PER_TRACE; s++) {
      const span = api.createFunctionSpan({ data: { name: 'tool', input: '{"q":1}', output: 'result text' } }, trace);
      span.start();
      span.end();
    }
    await trace.end();
    if (t % 10 === 0) await macrotask();
  }
}

async function measure(library, api, delayMs, exportTimeout) {
  const exp = exporter(delayMs);
  const processor = new api.BatchTraceProcessor(exp, exportTimeout === undefined ? undefined : { exportTimeout });
  api.setTraceProcessors([processor]);
  const before = rss();
  const started = performance.now();
  // agents-core awaits a triggered export inside onTraceStart, so `await trace.start()` waits for
  // the exporter (for ever when it hangs). The loop is given RUN_BOUND_MS at most.
  let bound;
  const finished = await Promise.race([
    run(api).then(() => true),
    new Promise((resolve) => { bound = setTimeout(() => resolve(false), RUN_BOUND_MS); }),
  ]);
  clearTimeout(bound);
  const seconds = (performance.now() - started) / 1000;
  const grown = (rss() - before) / MB;
  await Promise.race([processor.forceFlush(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  const stats = typeof processor.stats === 'function' ? processor.stats() : undefined;
  api.setTraceProcessors([]);
  const name = delayMs === undefined ? 'hung' : `${delayMs} ms`;
  return { library, exporter: exportTimeout === undefined ? name : `${name}, exportTimeout ${exportTimeout} ms`, finished, seconds, grown, seen: exp.seen, stats };
}

/** One case in this process: prints its row as JSON. */
async function child([library, delay, exportTimeout]) {
  const api = library === 'edgetrace' ? await import('edgetrace') : await import('@openai/agents-core');
  api.setTraceProcessors([]);
  const row = await measure(library, api, delay === 'hung' ? undefined : Number(delay),
    exportTimeout === undefined ? undefined : Number(exportTimeout));
  process.stdout.write(`${JSON.stringify(row)}\n`);
  process.exit(0);
}

if (values.case !== undefined) await child(values.case.split(':'));
const script = fileURLToPath(import.meta.url);
const rows = [];
// The last case: edgetrace with a short export time bound (the SDK has none to set).
const cases = ['edgetrace:200', 'agents-core:200', 'edgetrace:hung', 'agents-core:hung', 'edgetrace:hung:500'];
for (const name of cases) {
  const out = execFileSync(process.execPath, ['--expose-gc', script, `--spans=${SPANS}`, `--case=${name}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
  rows.push(JSON.parse(out.trim().split('\n').pop()));
}

console.log(`# Backpressure: ${SPANS.toLocaleString('en')} spans, Node ${process.version}\n`);
console.log('| library | exporter | exports running at once, max (abandoned ones included) | export calls | RSS growth, MB | span loop, s | counters after a 2 s flush |');
console.log('|---|---|---:|---:|---:|---:|---|');
for (const r of rows) {
  const counters = r.stats === undefined ? '(none)' : Object.entries(r.stats).filter(([, v]) => v !== 0).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`| ${r.library} | ${r.exporter} | ${r.seen.maxInFlight} | ${r.seen.calls} | ${r.grown.toFixed(1)} | ${r.finished ? r.seconds.toFixed(1) : `not done at ${RUN_BOUND_MS / 1000} s`} | ${counters} |`);
}
process.exit(0);
