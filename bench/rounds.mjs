// The in-process measurement loop (the modes of MODE_SETUPS) and the statistics, with no
// Node built-ins: the same code runs in Node/Bun/Deno (through modes.mjs), inside a workerd Worker
// (runtimes/workerd.mjs) and in a Chromium page (runtimes/chromium.mjs). What differs per runtime
// is passed in: how to force a GC and which clock to read.

import { MODE_SETUPS } from './workload.mjs';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summarize(library, samples, extra, note = '') {
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
export function rotated(xs, i) {
  const k = i % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

/** `fn()`, or null after a warning: one library failing a mode does not stop the others. */
export async function orSkip(name, mode, warn, fn) {
  try {
    return await fn();
  } catch (err) {
    warn(`${name}: ${mode} failed, skipped: ${err?.message ?? err}`);
    return null;
  }
}

/**
 * A clock is `{ start(): token, elapsedNs(token): number }`. This one reads performance.now(),
 * which has the platform's resolution (Chromium: 5 µs on a cross-origin-isolated page).
 */
export const performanceClock = {
  start: () => performance.now(),
  elapsedNs: (t0) => (performance.now() - t0) * 1e6,
};

/**
 * For a clock that ticks in whole milliseconds (workerd: performance.now() and Date.now() both).
 * `start` spins to the next tick, so a sample starts on a tick edge; a sample of true length D then
 * reads floor(D), and D is on average that + 0.5 ms. With samples of 50 ms or more (see
 * `minSampleMs`) what is left of the quantization is within ±1%.
 */
export const millisecondClock = {
  start() {
    const t = performance.now();
    let now;
    while ((now = performance.now()) === t) {
      // wait for the tick
    }
    return now;
  },
  elapsedNs: (t0) => (performance.now() - t0 + 0.5) * 1e6,
};

/** The smallest step of performance.now() seen over a few ticks, in ms. */
export function clockStepMs() {
  let step = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    let now;
    while ((now = performance.now()) === t) {
      // wait for the next tick
    }
    step = Math.min(step, now - t);
  }
  return step;
}

/** millisecondClock where performance.now() steps in whole milliseconds, else performanceClock. */
export function pickClock() {
  return clockStepMs() >= 1 ? millisecondClock : performanceClock;
}

// Traces in the untimed warm-up round (at least): enough for the JIT to settle even with --quick.
export const WARMUP_TRACES = 2000;

/**
 * An in-process mode (MODE_SETUPS): one untimed warm-up round per library that also checks the
 * exported item count, then `rounds` timed rounds interleaved across libraries. A round is N
 * traces of the mode's workload and the flush; ns per span = round time / (N x items per trace).
 *
 * `env.gc()` runs before every timed sample, outside the timing. `env.clock` times the samples
 * (default performanceClock). `env.minSampleMs` (default 0): on a coarse clock, a sample is the
 * smallest number k of back-to-back rounds (each N traces + flush) that takes this long, found
 * after the warm-up; ns per span is then the sample time / (k x N x 11). With 0, k = 1.
 */
export async function runInProcess(mode, adapters, { n, rounds }, warn, env) {
  const { gc, clock = performanceClock, minSampleMs = 0 } = env;
  const spec = MODE_SETUPS[mode];
  const { itemsPerTrace } = spec.workload;
  const warmupTraces = Math.max(n, WARMUP_TRACES);
  const setUp = [];
  for (const adapter of adapters) {
    const run = await orSkip(adapter.name, mode, warn, () => adapter.setup(spec, warmupTraces, env.context));
    if (run) setUp.push({ adapter, samples: [], roundsPerSample: 1, ...run });
  }
  // Warm up only once every library is set up: if one library's setup disturbed another's
  // (a shared global provider, say), that one's item count is off.
  const runs = [];
  for (const run of setUp) {
    if (await orSkip(run.adapter.name, mode, warn, () => warmUp(run, spec, warmupTraces, warn))) runs.push(run);
  }
  if (minSampleMs > 0) {
    for (const run of runs) run.roundsPerSample = await roundsPerSample(run, n, minSampleMs, gc, clock);
  }
  for (let i = 0; i < rounds; i++) {
    for (const run of rotated(runs, i)) {
      run.counter.reset();
      await run.beforeRound?.();
      gc();
      const t0 = clock.start();
      for (let k = 0; k < run.roundsPerSample; k++) await run.round(n);
      const ns = clock.elapsedNs(t0);
      await afterRound(run);
      run.samples.push(ns / (run.roundsPerSample * n * itemsPerTrace));
    }
  }
  return runs.map((run) => {
    const spans = run.roundsPerSample * n * itemsPerTrace;
    const extra = spec.exporter === 'count' ? {} : { 'bytes/span': run.counter.bytes / spans };
    if (minSampleMs > 0) extra['rounds/sample'] = String(run.roundsPerSample);
    return summarize(run.adapter.name, run.samples, extra, run.note);
  });
}

/** Untimed, after a round: the counter's byte sizes and the adapter's own update. (An adapter's
 * untimed `beforeRound`, when it has one, runs before each of its rounds: adapters that share one
 * library register their own processor there.) */
async function afterRound(run) {
  run.counter.settle();
  await run.afterRound?.();
}

/** One untimed round with item counting on; warns on a count mismatch. Resolves true. */
async function warmUp(run, spec, n, warn) {
  const expected = spec.disabled ? 0 : n * spec.workload.itemsPerTrace;
  run.counter.check = true;
  await run.beforeRound?.();
  await run.round(n);
  await afterRound(run);
  run.counter.check = false;
  if (run.counter.items !== expected) {
    warn(`${run.adapter.name}: exported ${run.counter.items} items in the warm-up round, expected ${expected}`);
  }
  return true;
}

/** Untimed calibration: the fewest back-to-back rounds of `n` traces that take `minMs`. */
async function roundsPerSample(run, n, minMs, gc, clock) {
  const MAX = 10_000;
  let k = 1;
  for (;;) {
    await run.beforeRound?.();
    gc();
    const t0 = clock.start();
    for (let i = 0; i < k; i++) await run.round(n);
    const ms = clock.elapsedNs(t0) / 1e6;
    run.counter.reset(); // drops the bodies kept for settle()
    if (ms >= minMs || k >= MAX) return k;
    // Aim 20% past the minimum; at least double when the reading is mostly quantization.
    k = Math.min(MAX, ms >= 5 ? Math.ceil((k * minMs * 1.2) / ms) : k * 4);
  }
}
