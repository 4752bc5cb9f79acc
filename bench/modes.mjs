// How each mode measures. Every runner takes the loaded adapters and returns one row per library:
// { library, median, min, max, samples, extra: {column: value}, note }. Problems that do not stop
// the run (dropped items, a library failing one mode) go to `warn`.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { ITEMS_PER_TRACE } from './workload.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

// Collect garbage between rounds, outside the timing, so one library's garbage is not collected
// on the next library's clock. Node: `gc()` turned on without a command-line flag; Bun: Bun.gc.
const gc = globalThis.Bun ? () => globalThis.Bun.gc(true) : exposeV8Gc();

function exposeV8Gc() {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function summarize(library, samples, extra, note = '') {
  return {
    library,
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples,
    extra,
    note,
  };
}

/** Round `i` starts at a different library, so no library always runs first or last. */
function rotated(xs, i) {
  const k = i % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

/** `fn()`, or null after a warning: one library failing a mode does not stop the others. */
async function orSkip(name, mode, warn, fn) {
  try {
    return await fn();
  } catch (err) {
    warn(`${name}: ${mode} failed, skipped: ${err?.message ?? err}`);
    return null;
  }
}

// Traces in the untimed warm-up round (at least): enough for the JIT to settle even with --quick.
const WARMUP_TRACES = 2000;

/**
 * processor / body / disabled: one untimed warm-up round per library that also checks the exported
 * item count, then `rounds` timed rounds interleaved across libraries. A round is N traces and the
 * flush; ns per span = round time / (N x 11).
 */
export async function runInProcess(mode, adapters, { n, rounds }, warn) {
  const warmupTraces = Math.max(n, WARMUP_TRACES);
  const setUp = [];
  for (const adapter of adapters) {
    const run = await orSkip(adapter.name, mode, warn, () => adapter.setup(mode, warmupTraces));
    if (run) setUp.push({ adapter, samples: [], ...run });
  }
  // Warm up only once every library is set up: if one library's setup disturbed another's
  // (a shared global provider, say), that one's item count is off.
  const runs = [];
  for (const run of setUp) {
    if (await orSkip(run.adapter.name, mode, warn, () => warmUp(run, mode, warmupTraces, warn))) runs.push(run);
  }
  for (let i = 0; i < rounds; i++) {
    for (const run of rotated(runs, i)) {
      run.counter.reset();
      gc();
      const t0 = process.hrtime.bigint();
      await run.round(n);
      const ns = Number(process.hrtime.bigint() - t0);
      run.samples.push(ns / (n * ITEMS_PER_TRACE));
    }
  }
  return runs.map((run) => {
    const extra = mode === 'body' ? { 'bytes/span': run.counter.bytes / (n * ITEMS_PER_TRACE) } : {};
    return summarize(run.adapter.name, run.samples, extra, run.note);
  });
}

/** One untimed round with item counting on; warns on a count mismatch. Resolves true. */
async function warmUp(run, mode, n, warn) {
  const expected = mode === 'disabled' ? 0 : n * ITEMS_PER_TRACE;
  run.counter.check = true;
  await run.round(n);
  run.counter.check = false;
  if (run.counter.items !== expected) {
    warn(`${run.adapter.name}: exported ${run.counter.items} items in the warm-up round, expected ${expected}`);
  }
  return true;
}

/**
 * cold: a fresh `node` per sample running bench/cold/<script>; the child reports the ms from its
 * first line to the flushed first trace. One untimed warm-up child per library (file cache).
 */
export async function runCold(adapters, { rounds }, warn) {
  const runs = [];
  for (const adapter of adapters) {
    if (await orSkip(adapter.name, 'cold', warn, () => coldChild(adapter))) {
      runs.push({ adapter, samples: [], walls: [] });
    }
  }
  for (let i = 0; i < rounds; i++) {
    for (const run of rotated(runs, i)) {
      const { ms, wall, items, expected } = coldChild(run.adapter);
      if (items !== expected) warn(`${run.adapter.name}: cold child exported ${items} items, expected ${expected}`);
      run.samples.push(ms);
      run.walls.push(wall);
    }
  }
  return runs.map((run) =>
    summarize(run.adapter.name, run.samples, { 'process wall ms': median(run.walls) }),
  );
}

function coldChild(adapter) {
  const script = path.join(BENCH_DIR, 'cold', adapter.cold.script);
  const t0 = performance.now();
  const child = spawnSync(process.execPath, [script, ...adapter.cold.args], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (child.status !== 0) {
    const lines = child.stderr.trim().split('\n');
    throw new Error(`child exited ${child.status}: ${lines.find((l) => /Error/.test(l)) ?? lines.at(-1)}`);
  }
  return { ...JSON.parse(child.stdout), wall };
}

/**
 * size: esbuild bundle of the adapter's tiny entry (minified, browser, ESM, .wasm as a file);
 * size = sum of gzip -9 sizes of every emitted file, in KB (1024 bytes).
 */
export async function runSize(adapters, _opts, warn) {
  const rows = [];
  for (const adapter of adapters) {
    const files = await orSkip(adapter.name, 'size', warn, () => bundle(adapter.sizeEntry));
    if (!files) continue;
    const hasWasm = files.some((f) => f.name.endsWith('.wasm'));
    const referenced = files.flatMap((f) => f.text.match(/[\w.-]+\.wasm/g) ?? []);
    if (!hasWasm && referenced.length > 0) {
      // Loaded at run time through new URL(..., import.meta.url): esbuild does not emit the file,
      // but the page still downloads it, so count it.
      const wasmFile = adapter.wasmFiles?.find((file) => referenced.includes(path.basename(file)));
      if (wasmFile) files.push(gzipFile(wasmFile));
      else warn(`${adapter.name}: the bundle loads ${referenced[0]} but the adapter names no such file: size is JS only`);
    }
    const kb = files.reduce((sum, f) => sum + f.gzip, 0) / 1024;
    const list = files.map((f) => `${f.name} ${(f.gzip / 1024).toFixed(1)}`).join(', ');
    rows.push(summarize(adapter.name, [kb], { 'files (KB gzip)': list }));
  }
  return rows;
}

function gzipFile(file) {
  const contents = fs.readFileSync(file);
  return { name: path.basename(file), text: '', gzip: zlib.gzipSync(contents, { level: 9 }).length };
}

// platform 'browser' already resolves the `browser` export condition and package.json "browser"
// field; no anchor needs node builtins marked external.
async function bundle(contents) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: BENCH_DIR, sourcefile: 'entry.mjs' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    loader: { '.wasm': 'file' },
    outdir: path.join(os.tmpdir(), 'edgetrace-bench-size'), // names the outputs; nothing is written
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles.map((f) => ({
    name: path.basename(f.path),
    text: f.path.endsWith('.js') ? f.text : '',
    gzip: zlib.gzipSync(f.contents, { level: 9 }).length,
  }));
}
