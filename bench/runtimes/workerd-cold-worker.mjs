// The cold-start Worker, one per library (workerd.mjs bundles it with `importer` a literal
// import() of cold/<library>.mjs). esbuild turns that import() into a lazy initialisation of
// modules already in the bundle: the library's code is parsed when workerd loads the Worker (and
// edgetrace's .wasm, a CompiledWasm module, compiled then), but it runs only here. The first
// request times, on the Worker's own clock: evaluating the library's modules (importMs), then
// registering a batch processor, one trace with one span, flushed (ms is the whole).

import { pickClock } from '../rounds.mjs';

export function coldWorker(importer) {
  return {
    async fetch() {
      try {
        const clock = pickClock(); // workerd: performance.now() steps in ms; start on a tick edge
        const t0 = clock.start();
        const { run } = await importer();
        const importMs = clock.elapsedNs(t0) / 1e6;
        const { items, expected } = await run();
        const ms = clock.elapsedNs(t0) / 1e6;
        return Response.json({ ms, importMs, items, expected });
      } catch (err) {
        return new Response(String(err?.stack ?? err), { status: 500 });
      }
    },
  };
}
