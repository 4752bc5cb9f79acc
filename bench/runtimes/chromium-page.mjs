// The benchmark page's script (bundled by chromium.mjs): all three libraries in one page, as in
// the one Node process of bench/run.mjs. The runner calls globalThis.bench.load(only), then
// globalThis.bench.mode(mode, {n, rounds}) per in-process mode, through page.evaluate.

import { loadAdapters, runMode } from './inside.mjs';
import { clockStepMs, pickClock } from '../rounds.mjs';

// Chromium exposes gc() with --js-flags=--expose-gc (chromium.mjs launches it so).
const gc = typeof globalThis.gc === 'function' ? () => globalThis.gc() : () => {};

globalThis.bench = {
  async load(only) {
    const { skipped } = await loadAdapters(only);
    return {
      skipped,
      gc: typeof globalThis.gc === 'function',
      clockStepMs: clockStepMs(),
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
    };
  },
  mode: (mode, opts) => runMode(mode, opts, { gc, clock: pickClock(), minSampleMs: opts.minSampleMs ?? 0 }),
};
globalThis.benchReady = true;
