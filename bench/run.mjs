// edgetrace vs @openai/agents-core vs OpenTelemetry JS, side by side. See bench/README.md.
//
//   node bench/run.mjs [--mode=processor,body,agent,agent-body,http,cold,disabled,size] [--quick] [--n=2000] [--rounds=7]
//
// Prints one markdown table per mode and writes them as JSON to bench/results/latest-<runtime>.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import otel from './adapters/otel.mjs';
import agentsCore from './adapters/agents-core.mjs';
import edgetrace from './adapters/edgetrace.mjs';
import { runInProcess, runHttp, runCold, runSize } from './modes.mjs';
import { addRatios, checkTarget, formatMode, modeHeading } from './report.mjs';
import { TARGETS, UNITS } from './targets.mjs';
import { benchOptions } from './args.mjs';
import { workloadOf } from './workload.mjs';

// The runtime running this harness (the same code runs under Node, Bun and Deno).
const RUNTIME = globalThis.Deno
  ? `deno ${globalThis.Deno.version.deno}`
  : globalThis.Bun ? `bun ${globalThis.Bun.version}` : `node ${process.version}`;

const ADAPTERS = [otel, agentsCore, edgetrace].filter((a) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(",").includes(a.name));

const inProcess = (mode) => (adapters, opts, warn) => runInProcess(mode, adapters, opts, warn);
const RUNNERS = {
  processor: inProcess('processor'),
  body: inProcess('body'),
  agent: inProcess('agent'),
  'agent-body': inProcess('agent-body'),
  http: runHttp,
  cold: runCold,
  disabled: inProcess('disabled'),
  size: runSize,
};
const MODES = Object.fromEntries(
  Object.entries(RUNNERS).map(([mode, run]) => [mode, { unit: UNITS[mode], run, target: TARGETS[mode] }]),
);

/** Import every library; one that fails to import (edgetrace before `make build`) is skipped. */
async function loadAdapters() {
  const loaded = [];
  const skipped = {};
  for (const adapter of ADAPTERS) {
    try {
      await adapter.load();
      loaded.push(adapter);
    } catch (err) {
      skipped[adapter.name] = err.message.split('\n')[0];
      const why = adapter.name === 'edgetrace' ? 'edgetrace not built (run `make build`)' : `${adapter.name} not importable`;
      console.log(`> ${why}, skipped: ${skipped[adapter.name]}\n`);
    }
  }
  return { loaded, skipped };
}

async function main() {
  const opts = benchOptions('bench/run.mjs', Object.keys(MODES));
  const date = new Date().toISOString();
  console.log(`# edgetrace benchmarks\n`);
  console.log(`${RUNTIME}, ${os.cpus().length} CPUs, ${date}`);
  console.log(`N=${opts.n} traces per round, ${opts.rounds} rounds after a warm-up, medians\n`);
  const { loaded, skipped } = await loadAdapters();
  const results = { runtime: RUNTIME, cpus: os.cpus().length, date, options: opts, skipped, modes: {} };
  for (const mode of opts.modes) {
    const { unit, run, target } = MODES[mode];
    const warnings = [];
    const warn = (msg) => {
      warnings.push(msg);
      console.log(`> WARNING: ${msg}\n`);
    };
    console.log(modeHeading(mode));
    const rows = await run(loaded, opts, warn);
    addRatios(rows);
    const check = target && checkTarget(target, rows);
    console.log(`${formatMode(unit, rows, check)}\n`);
    results.modes[mode] = { unit, workload: workloadOf(mode), rows, target: check ?? null, warnings };
  }
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `latest-${RUNTIME.split(' ')[0]}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}

await main();
