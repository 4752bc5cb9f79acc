// The benchmarks inside workerd (the Cloudflare Workers runtime) through miniflare. See bench/README.md.
//
//   node bench/runtimes/workerd.mjs [--mode=processor,body,agent,agent-body,cold,disabled] [--quick] [--n=2000] [--rounds=7]
//
// processor / body / agent / agent-body / disabled: one Worker holding the three adapters of the
// Node harness and its round loop (bench/rounds.mjs), all of a mode in one request; timed with
// the Worker's performance.now(), which workerd steps in whole milliseconds, so a sample is as
// many back-to-back rounds as take 50 ms. cold: a fresh Miniflare (workerd process) per sample; its
// Worker's first request times the dynamic import() of the library plus one trace. Writes
// bench/results/latest-workerd.json.

import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { median, rotated, summarize } from '../rounds.mjs';
import { MODES, REPO_DIR, Report, missingLibraries, onlyLibraries, withTimeout } from './cli.mjs';
import { benchOptions } from '../args.mjs';

const RUNTIMES_DIR = path.join(REPO_DIR, 'bench/runtimes');
const COMPATIBILITY_DATE = '2026-07-01';
const COMPATIBILITY_FLAGS = ['nodejs_compat']; // agents-core's workerd shims import node:*
const MIN_SAMPLE_MS = 50; // the Worker's clock steps in ms: samples of >= 50 ms keep that within ±1%
const MODE_TIMEOUT_MS = 180_000;
const START_TIMEOUT_MS = 60_000;

// gc() inside the Worker, for the forced GC before every sample (miniflare passes these flags to
// V8; the cold Workers get them too, unused).
process.env.MINIFLARE_WORKERD_V8_FLAGS = [process.env.MINIFLARE_WORKERD_V8_FLAGS, '--expose-gc'].filter(Boolean).join(' ');

const NODE_BUILTIN = new RegExp(`^(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/.*)?$`);

const miniflareRequire = createRequire(createRequire(import.meta.url).resolve('miniflare'));
const RUNTIME = `workerd ${miniflareRequire('workerd/package.json').version} (miniflare ${miniflareRequire('miniflare/package.json').version})`;

/**
 * Bundles a Worker: ESM, the export conditions wrangler prefers (workerd, worker, browser), `.wasm`
 * imports kept as separate CompiledWasm modules, node:* left to workerd (nodejs_compat). Platform
 * browser, so the package.json "browser" field maps OTel's platform/node files to platform/browser.
 * "edgetrace" resolves to the repository's dev dependency (node_modules/edgetrace -> pkg/).
 * `entry` is a file or { contents } resolved from bench/runtimes/. Returns Miniflare's `modules`.
 */
async function bundleWorker(entry) {
  const wasmFiles = new Map(); // module name in the Worker -> file on disk
  const wasmModules = {
    name: 'wasm-modules',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, (args) => {
        const file = path.resolve(args.resolveDir, args.path);
        const name = path.basename(file);
        if (wasmFiles.has(name) && wasmFiles.get(name) !== file) throw new Error(`two wasm modules named ${name}`);
        wasmFiles.set(name, file);
        return { path: `./${name}`, external: true };
      });
      // Bare Node built-ins (agents-core's MCP stdio code requires 'fs', 'child_process', …) are
      // workerd's node:* modules under nodejs_compat, as wrangler resolves them.
      b.onResolve({ filter: NODE_BUILTIN }, (args) => ({ path: `node:${args.path}`, external: true }));
    },
  };
  const result = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: RUNTIMES_DIR, sourcefile: 'entry.mjs' } }),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: ['node:*'],
    target: 'es2022',
    write: false,
    outfile: 'worker.mjs',
    logLevel: 'error',
    plugins: [missingLibraries, wasmModules],
  });
  return [
    { type: 'ESModule', path: 'worker.mjs', contents: result.outputFiles[0].text },
    ...[...wasmFiles].map(([name, file]) => ({ type: 'CompiledWasm', path: name, contents: readFileSync(file) })),
  ];
}

function newMiniflare(modules) {
  return new Miniflare({
    host: '127.0.0.1',
    modules,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
  });
}

/** POST `body` as JSON to the Worker; its JSON answer (a 500 carries the Worker's error). */
async function post(mf, body, timeoutMs) {
  const response = await withTimeout(
    mf.dispatchFetch('http://localhost/', { method: 'POST', body: JSON.stringify(body) }),
    timeoutMs,
    `Worker request ${body.action} ${body.mode ?? ''}`,
  );
  const text = await response.text();
  if (!response.ok) throw new Error(`Worker answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

async function dispose(mf) {
  await withTimeout(mf.dispose(), 30_000, 'miniflare dispose').catch((err) => console.log(`> dispose: ${err.message}`));
}

// --- the in-process modes ----------------------------------------------------------------------

/** The benchmark Worker, started; resolves to { mf, info } (info: skipped libraries, gc, clock). */
async function startBenchWorker(only) {
  const mf = newMiniflare(await bundleWorker(path.join(RUNTIMES_DIR, 'workerd-worker.mjs')));
  try {
    await withTimeout(mf.ready, START_TIMEOUT_MS, 'miniflare start');
    const info = await post(mf, { action: 'load', only }, START_TIMEOUT_MS);
    return { mf, info };
  } catch (err) {
    await dispose(mf);
    throw err;
  }
}

// --- cold ---------------------------------------------------------------------------------------

/** One cold sample: a fresh Miniflare whose Worker's first request imports the library + one trace. */
async function coldSample(modules) {
  const t0 = performance.now();
  const mf = newMiniflare(modules);
  try {
    const result = await post(mf, { action: 'cold' }, START_TIMEOUT_MS);
    return { ...result, wall: performance.now() - t0 };
  } finally {
    await dispose(mf);
  }
}

async function runCold(libraries, { rounds }, warn) {
  const runs = [];
  for (const library of libraries) {
    try {
      const modules = await bundleWorker({
        contents: `import { coldWorker } from './workerd-cold-worker.mjs';\n`
          + `export default coldWorker(() => import('./cold/${library}.mjs'));\n`,
      });
      await coldSample(modules); // untimed: the first workerd start also warms the file cache
      runs.push({ library, modules, samples: [], imports: [], walls: [] });
    } catch (err) {
      warn(`${library}: cold failed, skipped: ${String(err?.message ?? err).split('\n')[0]}`);
    }
  }
  for (let i = 0; i < rounds; i++) {
    for (const run of rotated(runs, i)) {
      const { ms, importMs, wall, items, expected } = await coldSample(run.modules);
      if (items !== expected) warn(`${run.library}: cold Worker exported ${items} items, expected ${expected}`);
      run.samples.push(ms);
      run.imports.push(importMs);
      run.walls.push(wall);
    }
  }
  return runs.map((run) =>
    summarize(run.library, run.samples, { 'of which import ms': median(run.imports), 'startup wall ms': median(run.walls) }),
  );
}

// --- main ---------------------------------------------------------------------------------------

async function main() {
  const opts = benchOptions('bench/runtimes/workerd.mjs', MODES);
  const only = onlyLibraries();
  const inProcess = opts.modes.filter((m) => m !== 'cold');
  let bench;
  try {
    let notes = [];
    if (inProcess.length > 0) {
      bench = await startBenchWorker(only);
      notes = [
        `Worker clock: performance.now() steps ${bench.info.clockStepMs} ms; `
          + `a sample is as many back-to-back rounds as take ${MIN_SAMPLE_MS} ms (rounds/sample)`,
        bench.info.gc ? 'forced GC before every sample: gc() (V8 --expose-gc)' : 'no gc() in the Worker: no forced GC',
      ];
    }
    const report = new Report(RUNTIME, 'workerd', opts, [
      `compatibility date ${COMPATIBILITY_DATE}, flags ${COMPATIBILITY_FLAGS.join(', ')}`,
      ...notes,
    ]);
    if (bench) report.skipped(bench.info.skipped);
    for (const mode of opts.modes) {
      try {
        if (mode === 'cold') {
          const warnings = [];
          const rows = await runCold(only, opts, (msg) => warnings.push(msg));
          report.mode(mode, rows, warnings);
        } else {
          const { rows, warnings } = await post(
            bench.mf,
            { action: 'mode', mode, n: opts.n, rounds: opts.rounds, minSampleMs: MIN_SAMPLE_MS },
            MODE_TIMEOUT_MS,
          );
          report.mode(mode, rows, warnings);
        }
      } catch (err) {
        report.failed(mode, err);
      }
    }
    report.write();
  } finally {
    if (bench) await dispose(bench.mf);
  }
}

await main();
