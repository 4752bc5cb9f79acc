// What a processor chain costs per span, beside the plain batch processor, on both workloads
// (function spans and the agent run), with agents-core in the same run; and the gzip size of each
// entry (`edgetrace`, and `edgetrace` + `edgetrace/processors`). See bench/README.md.
//
//   node bench/chain.mjs [--mode=processor,agent,size] [--quick] [--n=2000] [--rounds=7]
//
// Its own process: importing edgetrace/processors makes the package load the wasm module with the
// chain, so every edgetrace row here runs on that module (bench/run.mjs measures the core one).

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import agentsCore from './adapters/agents-core.mjs';
import edgetrace from './adapters/edgetrace.mjs';
import { agentsApiAdapter } from './adapters/agents-api.mjs';
import { runInProcess, runSize } from './modes.mjs';
import { addRatios, formatMode, modeHeading } from './report.mjs';
import { UNITS } from './targets.mjs';
import { benchOptions } from './args.mjs';
import { workloadOf } from './workload.mjs';

let processors;
const loadProcessors = async () => {
  processors = await import('edgetrace/processors');
};

/** edgetrace with `stages()` in a ProcessorChain before its BatchTraceProcessor. */
function chainAdapter(name, note, stages) {
  return agentsApiAdapter({
    name,
    specifier: 'edgetrace',
    loadMore: loadProcessors,
    processor: (lib, exporter, options) => new processors.ProcessorChain([...stages(), new lib.BatchTraceProcessor(exporter, options)]),
    countNote: note,
    sharesLibrary: true,
    wasmFiles: ['pkg/wasm/edgetrace_bg.wasm', 'pkg/wasm/edgetrace_full_bg.wasm'],
  });
}

const plain = agentsApiAdapter({
  name: 'edgetrace',
  specifier: 'edgetrace',
  loadMore: loadProcessors,
  sharesLibrary: true,
  bodyNote: 'BatchTraceProcessor',
});
const p = () => processors;
// Each stage alone before the batch processor, then the combinations the issue names.
const ADAPTERS = [
  agentsCore,
  plain,
  chainAdapter('+ HeadSampler', 'HeadSampler(ratio 1) + BatchTraceProcessor', () => [new (p().HeadSampler)({ ratio: 1 })]),
  chainAdapter('+ TailSampler', 'TailSampler(ratio 1): every item held until its trace ends', () => [new (p().TailSampler)({ ratio: 1 })]),
  chainAdapter('+ Redactor', 'Redactor(defaults): 16 keys, 6 patterns', () => [new (p().Redactor)()]),
  chainAdapter('+ ErrorTracker', 'ErrorTracker', () => [new (p().ErrorTracker)()]),
  chainAdapter('+ PerfAlerts', 'PerfAlerts(a span rule and a trace rule, none firing)', () => [new (p().PerfAlerts)({
    rules: [{ spanType: 'function', thresholdMs: 60_000 }, { traces: true, thresholdMs: 60_000 }], onAlert() {},
  })]),
  chainAdapter('+ ComplianceLog', 'ComplianceLog(one key; a sink that drops the records)', () => [new (p().ComplianceLog)({ keys: ['user'], sink() {} })]),
  agentsApiAdapter({
    name: '+ Router',
    specifier: 'edgetrace',
    loadMore: loadProcessors,
    sharesLibrary: true,
    countNote: 'Router(byMetadata: tenant; every trace to the otherwise route)',
    processor: (lib, exporter, options) => new (p().ProcessorChain)([
      new (p().Router)({ byMetadata: 'tenant', routes: {}, otherwise: new lib.BatchTraceProcessor(exporter, options) }),
    ]),
  }),
  chainAdapter('+ TraceStore', 'TraceStore(maxTraces 1,000; no sink)', () => [new (p().TraceStore)()]),
  chainAdapter('+ LiveEvents', 'LiveEvents(a callback that counts): span starts cross too', () => {
    let events = 0;
    return [new (p().LiveEvents)({ onEvent() { events += 1; } })];
  }),
  chainAdapter('+ function stage', 'a JS function stage passing each item on (item) => item', () => [(item) => item]),
  chainAdapter('head+redact', 'HeadSampler(1) + Redactor(defaults) + BatchTraceProcessor', () => [new (p().HeadSampler)({ ratio: 1 }), new (p().Redactor)()]),
  chainAdapter('tail+redact', 'TailSampler(ratio 1) + Redactor(defaults) + BatchTraceProcessor', () => [new (p().TailSampler)({ ratio: 1 }), new (p().Redactor)()]),
];

/** The size rows: the core entry, and the core entry with the processors entry (both modules). */
const SIZE_ADAPTERS = [
  { ...edgetrace, name: 'edgetrace' },
  {
    name: 'edgetrace + processors',
    wasmFiles: ['pkg/wasm/edgetrace_bg.wasm', 'pkg/wasm/edgetrace_full_bg.wasm'],
    sizeEntry:
      "import { withTrace, withFunctionSpan, BatchTraceProcessor } from 'edgetrace';\n"
      + "import { ProcessorChain, HeadSampler, TailSampler, Redactor, Router, ErrorTracker, SpanFilter } from 'edgetrace/processors';\n"
      + 'globalThis.x = [withTrace, withFunctionSpan, BatchTraceProcessor, ProcessorChain, HeadSampler, TailSampler, Redactor, Router, ErrorTracker, SpanFilter];\n',
  },
];

const MODES = { processor: 'processor', agent: 'agent', size: 'size' };

/** Adds each row's cost relative to the plain edgetrace row, and per span over it. */
function addVsPlain(rows) {
  const base = rows.find((r) => r.library === 'edgetrace')?.median;
  for (const row of rows) {
    row.extra = { 'vs plain edgetrace': base ? row.median / base : null, 'chain ns/span': base ? row.median - base : null };
  }
}

async function main() {
  const opts = benchOptions('bench/chain.mjs', Object.keys(MODES));
  const date = new Date().toISOString();
  console.log('# edgetrace processor chain: cost per span and entry sizes\n');
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${date}`);
  console.log(`N=${opts.n} traces per round, ${opts.rounds} rounds after a warm-up, medians; every edgetrace row runs on the module with the chain\n`);
  for (const adapter of ADAPTERS) await adapter.load();
  const results = { date, options: opts, modes: {} };
  for (const mode of opts.modes) {
    const warnings = [];
    const warn = (msg) => {
      warnings.push(msg);
      console.log(`> WARNING: ${msg}\n`);
    };
    console.log(modeHeading(mode));
    const rows = mode === 'size' ? await runSize(SIZE_ADAPTERS, opts, warn) : await runInProcess(mode, ADAPTERS, opts, warn);
    addRatios(rows);
    if (mode !== 'size') addVsPlain(rows);
    console.log(`${formatMode(UNITS[mode], rows, null)}\n`);
    results.modes[mode] = { unit: UNITS[mode], workload: workloadOf(mode), rows, warnings };
  }
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest-chain.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}

await main();
