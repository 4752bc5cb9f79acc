// The shared workload definition: shape of one trace, batch settings, and the counter the
// benchmark exporters report into. Adapters (bench/adapters/*.mjs) implement it per library;
// each default-exports:
//   name                 label in the tables ('otel', 'agents-core', 'edgetrace')
//   load(importer?)      import the library (rejects when it is not installed / built); the
//                        agents-API adapters take an optional `() => import('…')` for bundles
//   setup(mode, n, ctx)  mode 'processor' | 'body' | 'http' | 'disabled', n = most traces per
//                        round, ctx.sink = the HTTP sink's URL (mode http); returns { counter:
//                        Counter, note, round(n), afterRound?() } where round(n) runs n traces and
//                        awaits the library's flush, and afterRound (untimed) updates the counter
//   cold                 { script, args }: the bench/cold/ script for a fresh process
//   sizeEntry            source of the entry module that esbuild bundles for `size`

/** Function spans under each root; every trace yields this many items plus its root. */
export const SPANS_PER_TRACE = 10;
export const ITEMS_PER_TRACE = SPANS_PER_TRACE + 1;

export const SPAN_NAME = 'tool';
export const SPAN_INPUT = '{"q":1}';
export const SPAN_OUTPUT = 'result text';

/**
 * Batch settings for every library: a queue that holds a whole round (nothing dropped, no export
 * triggered by fill level) and a schedule delay longer than any round, so the measured path is
 * enqueue + the explicit flush at the end of the round, exported as one batch.
 */
export function batchCapacity(n) {
  return Math.max(100_000, 2 * n * ITEMS_PER_TRACE);
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

  reset() {
    this.items = 0;
    this.bytes = 0;
  }

  /** Record one wire body; `countItems(body)` parses it and is only called while checking. */
  addBody(body, byteLength, countItems) {
    this.bytes += byteLength;
    if (this.check) this.items += countItems(body);
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
