// How long analysing an exported file takes: 667 agent runs (the agent-run workload, 15 spans
// each: 10,005 spans) traced with edgetrace, exported as an ingest body, written to a file; then
// `edgetrace analyze FILE` (the installed command: a fresh process, read a chunk at a time) and
// the same analysis in process (TraceAnalyzer: feed 64 KB chunks, report), medians of 9 runs.
//
//   node bench/analyze.mjs [--traces=667] [--rounds=9]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as et from 'edgetrace';
import { TraceAnalyzer } from 'edgetrace/processors';
import agentRun from './workloads/agent-run.mjs';

const { values } = parseArgs({ options: { traces: { type: 'string', default: '667' }, rounds: { type: 'string', default: '9' } } });
const traces = Number(values.traces);
const rounds = Number(values.rounds);
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

let body;
et.setTraceProcessors([new et.BatchTraceProcessor({ exportBody(bytes) { body = bytes; } }, { maxQueueSize: 1 << 20, maxBatchSize: 1 << 20, scheduleDelay: 600_000 })]);
const provider = et.getGlobalTraceProvider();
for (let i = 0; i < traces; i++) await agentRun.agentsTrace(et, provider);
await et.forceFlush();
const dir = mkdtempSync(path.join(os.tmpdir(), 'edgetrace-analyze-'));
const file = path.join(dir, 'traces.json');
writeFileSync(file, body);
const spans = traces * (agentRun.itemsPerTrace - 1);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const cli = [];
const inProcess = [];
const bin = path.join(root, 'pkg/bin/edgetrace.mjs');
for (let r = 0; r < rounds; r++) {
  let t0 = performance.now();
  const child = spawnSync(process.execPath, [bin, 'analyze', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  cli.push(performance.now() - t0);
  if (child.status !== 0) throw new Error(`edgetrace analyze failed: ${child.stderr}`);
  t0 = performance.now();
  const analyzer = new TraceAnalyzer();
  const bytes = readFileSync(file);
  for (let at = 0; at < bytes.length; at += 1 << 16) analyzer.feed(bytes.subarray(at, at + (1 << 16)));
  analyzer.endFile();
  const report = analyzer.report();
  inProcess.push(performance.now() - t0);
  if (!report.includes(`${traces} traces;`)) throw new Error('the report does not count every trace');
}
rmSync(dir, { recursive: true, force: true });
console.log('## analyze\n');
console.log(`${traces} agent runs, ${spans} spans, a ${(body.length / 1e6).toFixed(1)} MB ingest body; medians of ${rounds} runs (node ${process.version})\n`);
console.log('| how | median ms | min–max | µs per span |');
console.log('|---|---:|---:|---:|');
for (const [how, ms] of [['`edgetrace analyze FILE` (a fresh process, tree + figures printed)', cli], ['in process: TraceAnalyzer feed (64 KB chunks) + report()', inProcess]]) {
  console.log(`| ${how} | ${median(ms).toFixed(1)} | ${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)} | ${(median(ms) * 1000 / spans).toFixed(2)} |`);
}
