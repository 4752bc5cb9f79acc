// The header, tables and JSON file shared by runtimes/workerd.mjs and
// runtimes/chromium.mjs, in the format of bench/run.mjs (tables from ../report.mjs).

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addRatios, checkTarget, formatMode, modeHeading } from '../report.mjs';
import { TARGETS, UNITS } from '../targets.mjs';
import { workloadOf } from '../workload.mjs';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_DIR = path.dirname(BENCH_DIR);
export const MODES = ['processor', 'body', 'agent', 'agent-body', 'cold', 'disabled'];
export const LIBRARIES = ['otel', 'agents-core', 'edgetrace'];

/** `promise`, or a rejection naming `what` after `ms`: a stuck runtime never hangs the run. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * esbuild plugin: a library that does not resolve (edgetrace before `make build`) becomes a module
 * that throws when imported, so the bundle still builds and that library is skipped, as in run.mjs.
 */
export const missingLibraries = {
  name: 'missing-libraries',
  setup(b) {
    const libraries = /^(edgetrace|@openai\/agents-core|@opentelemetry\/[\w-]+)$/;
    b.onResolve({ filter: libraries }, async (args) => {
      if (args.pluginData?.inner) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { inner: true } });
      if (resolved.errors.length === 0) return resolved;
      return { path: args.path, namespace: 'missing-library', pluginData: resolved.errors[0].text };
    });
    b.onLoad({ filter: /.*/, namespace: 'missing-library' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`cannot import ${args.path}: ${args.pluginData}`)});`,
      loader: 'js',
    }));
  },
};

/** The libraries to measure: all, or those in BENCH_ONLY (comma-separated), as bench/run.mjs. */
export function onlyLibraries() {
  const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
  return only?.length ? LIBRARIES.filter((name) => only.includes(name)) : LIBRARIES;
}

/**
 * Collects the run for the JSON file and prints as it goes. `runtime` is the header's name
 * ("workerd 1.2026… (miniflare 4.…)"); `file` the runtime's short name (latest-<file>.json).
 */
export class Report {
  constructor(runtime, file, opts, notes = []) {
    this.file = file;
    this.date = new Date().toISOString();
    this.results = { runtime, cpus: os.cpus().length, date: this.date, options: opts, notes, skipped: {}, modes: {} };
    console.log(`# edgetrace benchmarks\n`);
    console.log(`${runtime}, ${os.cpus().length} CPUs, ${this.date}`);
    console.log(`N=${opts.n} traces per round, ${opts.rounds} rounds after a warm-up, medians`);
    for (const note of notes) console.log(`- ${note}`);
    console.log('');
  }

  skipped(skipped) {
    Object.assign(this.results.skipped, skipped);
    for (const [name, why] of Object.entries(skipped)) {
      const what = name === 'edgetrace' ? 'edgetrace not built (run `make build`)' : `${name} not importable`;
      console.log(`> ${what}, skipped: ${why}\n`);
    }
  }

  /** Print one mode's warnings and table (rows as from ../rounds.mjs) and keep it for the JSON. */
  mode(mode, rows, warnings) {
    const unit = UNITS[mode];
    console.log(modeHeading(mode));
    for (const msg of warnings) console.log(`> WARNING: ${msg}\n`);
    addRatios(rows);
    const check = TARGETS[mode] && checkTarget(TARGETS[mode], rows);
    console.log(`${formatMode(unit, rows, check)}\n`);
    this.results.modes[mode] = { unit, workload: workloadOf(mode), rows, target: check ?? null, warnings };
  }

  /** A mode that could not run at all. */
  failed(mode, error) {
    const msg = `${mode} did not run: ${error?.stack ?? error}`;
    console.log(`## ${mode}\n\n> WARNING: ${msg}\n`);
    this.results.modes[mode] = { unit: UNITS[mode], rows: [], target: null, warnings: [msg] };
  }

  write() {
    const dir = path.join(BENCH_DIR, 'results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `latest-${this.file}.json`);
    writeFileSync(file, `${JSON.stringify(this.results, null, 2)}\n`);
    console.log(`Wrote ${path.relative(process.cwd(), file)}`);
  }
}
