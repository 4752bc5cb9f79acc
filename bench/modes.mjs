// How each mode measures. Every runner takes the loaded adapters and returns one row per library:
// { library, median, min, max, samples, extra: {column: value}, note }. Problems that do not stop
// the run (dropped items, a library failing one mode) go to `warn`.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { median, orSkip, rotated, runInProcess as runRounds, summarize } from './rounds.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.dirname(BENCH_DIR);

// Collect garbage between rounds, outside the timing, so one library's garbage is not collected
// on the next library's clock. Node: `gc()` turned on without a command-line flag; Bun: Bun.gc.
const gc = globalThis.Bun ? () => globalThis.Bun.gc(true) : exposeV8Gc();

function exposeV8Gc() {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
}

const HRTIME_CLOCK = {
  start: () => process.hrtime.bigint(),
  elapsedNs: (t0) => Number(process.hrtime.bigint() - t0),
};

/**
 * The in-process modes (processor, body, agent, agent-body, disabled): see rounds.mjs, timed
 * with process.hrtime.bigint().
 */
export function runInProcess(mode, adapters, opts, warn) {
  return runRounds(mode, adapters, opts, warn, { gc, clock: HRTIME_CLOCK });
}

/**
 * http: the processor workload exported through each library's real HTTP exporter to a sink
 * (bench/http-sink.mjs, a child process on 127.0.0.1 that discards bodies); a round ends when
 * its flush has delivered everything. Bytes sent are counted at the sink.
 */
export async function runHttp(adapters, opts, warn) {
  const sink = spawn(process.execPath, [path.join(BENCH_DIR, 'http-sink.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const url = await new Promise((resolve, reject) => {
      sink.stdout.once('data', (line) => resolve(String(line).trim()));
      sink.once('exit', (code) => reject(new Error(`the HTTP sink exited (${code})`)));
    });
    return await runRounds('http', adapters, opts, warn, { gc, clock: HRTIME_CLOCK, context: { sink: url } });
  } finally {
    sink.stdin.end();
  }
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
      // Loaded at run time through new URL(..., import.meta.url): esbuild does not emit the files,
      // but the page still downloads them, so count them.
      const wasmFiles = (adapter.wasmFiles ?? []).map((file) => path.join(REPO_DIR, file))
        .filter((file) => referenced.includes(path.basename(file)));
      if (wasmFiles.length > 0) files.push(...wasmFiles.map(gzipFile));
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
