// What the harness measures and how libraries plug in: which workload and exporter each
// in-process mode runs, the batch settings, and the counter the benchmark exporters report into.
//
// A workload (bench/workloads/*.mjs) is one trace written twice, once against the
// @openai/agents-core API (which edgetrace mirrors) and once against OpenTelemetry, with the same
// data; it default-exports:
//   name, summary        for the tables
//   itemsPerTrace        exported items per trace; ns per span = round time / (N x itemsPerTrace)
//   agentsTrace(lib, provider)  one trace through the agents API (async; ends the trace)
//   otelTrace(api, tracer)      the same trace through OpenTelemetry
//
// Adapters (bench/adapters/*.mjs) implement the library side; each default-exports:
//   name                 label in the tables ('otel', 'agents-core', 'edgetrace')
//   load(importer?)      import the library (rejects when it is not installed / built); the
//                        agents-API adapters take an optional `() => import('…')` for bundles
//   setup(spec, n, ctx)  spec = MODE_SETUPS[mode], n = most traces per round, ctx.sink = the HTTP
//                        sink's URL (exporter 'http'); returns { counter: Counter, note,
//                        round(n), afterRound?() } where round(n) runs n traces of the spec's
//                        workload and awaits the library's flush, and afterRound (untimed)
//                        updates the counter
//   cold                 { script, args }: the bench/cold/ script for a fresh process
//   sizeEntry            source of the entry module that esbuild bundles for `size`

import functionSpans from './workloads/functions.mjs';
import agentRun from './workloads/agent-run.mjs';

/**
 * The in-process modes: the workload each runs and the exporter it runs into ('count': counts
 * items; 'body': builds the wire body and counts its bytes; 'http': the library's HTTP exporter).
 */
export const MODE_SETUPS = {
  processor: { workload: functionSpans, exporter: 'count' },
  body: { workload: functionSpans, exporter: 'body' },
  agent: { workload: agentRun, exporter: 'count' },
  'agent-body': { workload: agentRun, exporter: 'body' },
  http: { workload: functionSpans, exporter: 'http' },
  disabled: { workload: functionSpans, exporter: 'count', disabled: true },
};

/** A mode's workload for the JSON results, { name, summary, spansPerTrace }, or null (cold, size). */
export function workloadOf(mode) {
  const workload = MODE_SETUPS[mode]?.workload;
  return workload ? { name: workload.name, summary: workload.summary, spansPerTrace: workload.itemsPerTrace } : null;
}

/**
 * Batch settings for every library: a queue that holds a whole round (nothing dropped, no export
 * triggered by fill level) and a schedule delay longer than any round, so the measured path is
 * enqueue + the explicit flush at the end of the round, exported as one batch.
 */
export function batchCapacity(n, itemsPerTrace) {
  return Math.max(100_000, 2 * n * itemsPerTrace);
}
export const SCHEDULE_DELAY_MS = 600_000;

/**
 * What an exporter saw. `items` is counted by every `export` call; body exporters count bytes on
 * every call but count items only while `check` is on (it means parsing the body), which the
 * runner turns on for the warm-up round.
 */
export class Counter {
  items = 0;
  bytes = 0;
  check = false;
  #strings = [];

  reset() {
    this.items = 0;
    this.bytes = 0;
    this.#strings = [];
  }

  /**
   * Record one wire body (UTF-8 bytes, or a string that fetch would encode); `countItems(body)`
   * parses it and is only called while checking. A string's UTF-8 size is counted in settle().
   */
  addBody(body, countItems) {
    if (typeof body === 'string') this.#strings.push(body);
    else this.bytes += body.byteLength;
    if (this.check) this.items += countItems(body);
  }

  /** Untimed, after a round: adds the UTF-8 size of the string bodies recorded since the last call. */
  settle() {
    const encoder = new TextEncoder();
    for (const body of this.#strings) this.bytes += encoder.encode(body).byteLength;
    this.#strings = [];
  }
}

/** Decode a body that is either a string or UTF-8 bytes, then parse it as JSON. */
export function parseBody(body) {
  return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
}

/** Adds to `counter` what `library`'s exporter delivered to the HTTP sink since the last call. */
export async function sinkCounts(sink, library, counter) {
  const stats = await (await fetch(`${sink}/stats/${library}`)).json();
  counter.bytes += stats.bytes;
  counter.items += stats.items;
}
