// The benchmark Worker (bundled by workerd.mjs): all three libraries in one isolate, as in the one
// Node process of bench/run.mjs. POST {action: 'load', only} imports them; POST {action: 'mode',
// mode, n, rounds, minSampleMs} runs one in-process mode and answers { rows, warnings }. State
// (the imported libraries) stays in the isolate between requests; each mode sets up its own
// processors and runs whole (set-up, warm-up, rounds) inside one request.

import { loadAdapters, runMode } from './inside.mjs';
import { clockStepMs, pickClock } from '../rounds.mjs';

// workerd exposes gc() with the V8 flag --expose-gc (workerd.mjs sets MINIFLARE_WORKERD_V8_FLAGS).
const gc = typeof globalThis.gc === 'function' ? () => globalThis.gc() : () => {};

async function handle(request) {
  const body = await request.json();
  if (body.action === 'load') {
    const { skipped } = await loadAdapters(body.only);
    return { skipped, gc: typeof globalThis.gc === 'function', clockStepMs: clockStepMs() };
  }
  if (body.action === 'mode') {
    return runMode(body.mode, body, { gc, clock: pickClock(), minSampleMs: body.minSampleMs });
  }
  throw new Error(`unknown action ${body.action}`);
}

export default {
  async fetch(request) {
    try {
      return Response.json(await handle(request));
    } catch (err) {
      return new Response(String(err?.stack ?? err), { status: 500 });
    }
  },
};
