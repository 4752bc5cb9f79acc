// The benchmarks in headless Chromium (/usr/bin/chromium, driven by playwright-core). See bench/README.md.
//
//   node bench/runtimes/chromium.mjs [--mode=processor,body,agent,agent-body,cold,disabled] [--quick] [--n=2000] [--rounds=7]
//
// processor / body / agent / agent-body / disabled: one page holding the three adapters of the
// Node harness and its round loop (bench/rounds.mjs), timed with the page's performance.now()
// (the page is cross-origin isolated, so it steps in 5 µs), gc() before every round
// (--js-flags=--expose-gc).
// cold: a fresh browser context per sample; its page times the import() of a minified bundle of
// the library (fetched from the local server) plus one trace. Writes
// bench/results/latest-chromium.json.

import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { median, rotated, summarize } from '../rounds.mjs';
import { MODES, REPO_DIR, Report, missingLibraries, onlyLibraries, withTimeout } from './cli.mjs';
import { benchOptions } from '../args.mjs';

const RUNTIMES_DIR = path.join(REPO_DIR, 'bench/runtimes');
const CHROMIUM = '/usr/bin/chromium';
const MODE_TIMEOUT_MS = 180_000;
const PAGE_TIMEOUT_MS = 60_000;

// --- what the server serves: esbuild outputs kept in memory, and edgetrace's .wasm ---------------

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };
const files = new Map(); // URL path -> contents

/**
 * Bundles `entry` for the browser (esbuild: bundle, esm, platform browser) to /b/<name>.js. The
 * bundle's edgetrace fetches new URL('../wasm/edgetrace_bg.wasm', import.meta.url), i.e.
 * /wasm/edgetrace_bg.wasm: the package's own layout, what Vite/webpack/Parcel produce, and its
 * first candidate (no 404 before the wasm).
 */
async function bundlePage(entry, name, minify) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify,
    outfile: `/b/${name}.js`,
    write: false,
    logLevel: 'error',
    plugins: [missingLibraries],
  });
  files.set(`/b/${name}.js`, Buffer.from(result.outputFiles[0].contents));
}

const BENCH_HTML = '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/b/bench.js"></script>\n';

// The cold page: the clock starts in an inline module script, before the library's bundle is
// requested; import() then fetches, parses and evaluates it (edgetrace's evaluation fetches and
// compiles its .wasm), and run() registers a processor and records one trace, flushed. The time
// spent waiting on those requests (Resource Timing, request start to response end, merged) is
// reported apart: from 127.0.0.1 in a fresh context on a loaded machine it is 3-40 ms a request
// and says more about the machine than about the library.
const coldHtml = (library) => `<!doctype html><meta charset="utf-8"><title>cold ${library}</title>
<script type="module">
try {
  const t0 = performance.now();
  const { run } = await import('/b/cold-${library}.js');
  const t1 = performance.now();
  const { items, expected } = await run();
  const t2 = performance.now();
  const requests = performance.getEntriesByType('resource').filter((e) => e.startTime >= t0)
    .map((e) => [e.startTime, e.responseEnd]).sort((a, b) => a[0] - b[0]);
  // Time within [from, to] covered by the requests.
  const waiting = (from, to) => {
    let total = 0;
    let end = from;
    for (const [start, stop] of requests) {
      const a = Math.max(start, end);
      const b = Math.min(stop, to);
      if (b > a) total += b - a;
      end = Math.max(end, Math.min(stop, to));
    }
    return total;
  };
  globalThis.benchResult = {
    ms: t2 - t0 - waiting(t0, t2),
    importMs: t1 - t0 - waiting(t0, t1),
    withFetchesMs: t2 - t0,
    requests: requests.length,
    items,
    expected,
  };
} catch (error) {
  globalThis.benchResult = { error: String(error?.stack ?? error) };
}
</script>
`;

async function prepareFiles(libraries) {
  const wasm = path.join(REPO_DIR, 'pkg/wasm/edgetrace_bg.wasm');
  if (existsSync(wasm)) files.set('/wasm/edgetrace_bg.wasm', readFileSync(wasm));
  files.set('/bench.html', Buffer.from(BENCH_HTML));
  await bundlePage(path.join(RUNTIMES_DIR, 'chromium-page.mjs'), 'bench', false);
  const failed = {};
  for (const library of libraries) {
    try {
      // Minified, as a page would ship it.
      await bundlePage(path.join(RUNTIMES_DIR, `cold/${library}.mjs`), `cold-${library}`, true);
      files.set(`/cold-${library}.html`, Buffer.from(coldHtml(library)));
    } catch (err) {
      failed[library] = err;
    }
  }
  return failed;
}

// Cross-origin isolation (COOP + COEP) gives the page a 5 µs performance.now() instead of 100 µs.
function respond(request, response) {
  const { pathname } = new URL(request.url, 'http://127.0.0.1');
  const body = request.method === 'GET' ? files.get(pathname) : undefined;
  if (!body) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  response.writeHead(200, {
    'content-type': TYPES[path.extname(pathname)],
    'content-length': body.length,
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  }).end(body);
}

async function startServer() {
  const server = createServer(respond);
  server.keepAliveTimeout = 1_000;
  await withTimeout(new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  }), 5_000, 'HTTP server listen');
  return server;
}

async function closeServer(server) {
  server.closeAllConnections();
  await withTimeout(new Promise((resolve) => server.close(resolve)), 5_000, 'close server').catch(() => {});
}

// --- pages --------------------------------------------------------------------------------------

/**
 * Opens `pathname` in `context`; resolves to the page once `ready()` is truthy in it (or throws
 * the page's error). Polled every 100 ms, not every animation frame, to stay out of the page's way.
 */
async function openPage(context, origin, pathname, ready) {
  const page = await withTimeout(context.newPage(), 10_000, 'new page');
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error?.stack ?? error)));
  const response = await page.goto(origin + pathname, { timeout: PAGE_TIMEOUT_MS });
  if (!response?.ok()) throw new Error(`GET ${pathname}: HTTP ${response?.status()}`);
  try {
    await page.waitForFunction(ready, null, { timeout: PAGE_TIMEOUT_MS, polling: 100 });
  } catch (err) {
    throw new Error(`${pathname}: ${errors[0] || err.message}`);
  }
  return page;
}

/** One cold sample: a fresh context (no HTTP or code cache), the library imported + one trace. */
async function coldSample(browser, origin, library) {
  const context = await withTimeout(browser.newContext(), 10_000, 'new browser context');
  try {
    const page = await openPage(context, origin, `/cold-${library}.html`, () => globalThis.benchResult);
    const result = await page.evaluate(() => globalThis.benchResult);
    if (result.error) throw new Error(result.error);
    return result;
  } finally {
    await withTimeout(context.close(), 10_000, 'close context').catch(() => {});
  }
}

async function runCold(browser, origin, libraries, failedBundles, { rounds }, warn) {
  const runs = [];
  for (const library of libraries) {
    try {
      if (failedBundles[library]) throw failedBundles[library];
      await coldSample(browser, origin, library); // untimed
      runs.push({ library, samples: [], imports: [], withFetches: [], requests: [] });
    } catch (err) {
      warn(`${library}: cold failed, skipped: ${String(err?.message ?? err).split('\n')[0]}`);
    }
  }
  for (let i = 0; i < rounds; i++) {
    for (const run of rotated(runs, i)) {
      const { ms, importMs, withFetchesMs, requests, items, expected } = await coldSample(browser, origin, run.library);
      if (items !== expected) warn(`${run.library}: cold page exported ${items} items, expected ${expected}`);
      run.samples.push(ms);
      run.imports.push(importMs);
      run.withFetches.push(withFetchesMs);
      run.requests.push(requests);
    }
  }
  return runs.map((run) => summarize(run.library, run.samples, {
    'of which import ms': median(run.imports),
    'with fetches ms': median(run.withFetches),
    requests: String(median(run.requests)),
  }));
}

// --- main ---------------------------------------------------------------------------------------

async function main() {
  const opts = benchOptions('bench/runtimes/chromium.mjs', MODES);
  const only = onlyLibraries();
  let server;
  let browser;
  try {
    const failedBundles = await prepareFiles(only);
    server = await startServer();
    const origin = `http://127.0.0.1:${server.address().port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30_000,
      // As tests/js/runners/chromium.mjs, plus gc() in pages.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc'],
    });
    const inProcess = opts.modes.filter((m) => m !== 'cold');
    let benchPage;
    let info;
    if (inProcess.length > 0) {
      const context = await withTimeout(browser.newContext(), 10_000, 'new browser context');
      benchPage = await openPage(context, origin, '/bench.html', () => globalThis.benchReady);
      info = await withTimeout(benchPage.evaluate((names) => globalThis.bench.load(names), only), PAGE_TIMEOUT_MS, 'load libraries');
    }
    const notes = info
      ? [
        `page clock: performance.now() steps ${(info.clockStepMs * 1000).toFixed(1)} µs (cross-origin isolated: ${info.crossOriginIsolated})`,
        info.gc ? 'forced GC before every round: gc() (--js-flags=--expose-gc)' : 'no gc() in the page: no forced GC',
      ]
      : [];
    const report = new Report(`chromium ${browser.version()}`, 'chromium', opts, ['headless, one page for the in-process modes', ...notes]);
    if (info) report.skipped(info.skipped);
    for (const mode of opts.modes) {
      try {
        if (mode === 'cold') {
          const warnings = [];
          const rows = await runCold(browser, origin, only, failedBundles, opts, (msg) => warnings.push(msg));
          report.mode(mode, rows, warnings);
        } else {
          const { rows, warnings } = await withTimeout(
            benchPage.evaluate(([m, o]) => globalThis.bench.mode(m, o), [mode, { n: opts.n, rounds: opts.rounds }]),
            MODE_TIMEOUT_MS,
            `mode ${mode}`,
          );
          report.mode(mode, rows, warnings);
        }
      } catch (err) {
        report.failed(mode, err);
      }
    }
    report.write();
  } finally {
    await withTimeout(browser?.close() ?? Promise.resolve(), 10_000, 'close Chromium').catch(() => {});
    if (server) await closeServer(server);
  }
}

await main();
