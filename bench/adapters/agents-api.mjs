// The adapter written once against the @openai/agents-core tracing API. edgetrace mirrors that
// API, so agents-core and edgetrace run this exact code and the same workload code (each
// workload's agentsTrace); only the body and HTTP exporters differ.

import { Counter, SCHEDULE_DELAY_MS, batchCapacity, parseBody, sinkCounts } from '../workload.mjs';

/**
 * @param {object} o
 * @param {string} o.name        library label in the tables
 * @param {string} o.specifier   what to import
 * @param {(c: Counter) => object} o.bodyExporter  exporter that builds the ingest body (exporter 'body')
 * @param {string} o.bodyNote    how that exporter gets its body, for the table notes
 * @param {(lib, exporter, options) => object} [o.processor]  the processor to register (default:
 *   `new lib.BatchTraceProcessor(exporter, options)`)
 * @param {() => Promise<void>} [o.loadMore]  imports what `processor` needs beyond the library
 * @param {string} [o.countNote]  what `processor` is, for the table notes
 * @param {boolean} [o.sharesLibrary]  other adapters of the run use the same library (its one
 *   global provider): each round then registers a fresh processor of this adapter's, untimed
 */
export function agentsApiAdapter({ name, specifier, bodyExporter, bodyNote, httpExporter, httpNote, wasmFiles, processor, countNote, loadMore, sharesLibrary = false }) {
  let lib;
  const makeProcessor = processor ?? ((l, exporter, options) => new l.BatchTraceProcessor(exporter, options));
  return {
    name,
    // `importer` is for bundles (bench/runtimes/): esbuild only follows a literal import().
    async load(importer = () => import(specifier)) {
      lib = await importer();
      await loadMore?.();
    },
    async setup({ workload, exporter: kind, disabled = false }, n, context) {
      const counter = new Counter();
      const exporters = {
        count: () => countingExporter(counter),
        body: () => bodyExporter(counter),
        http: () => httpExporter(lib, `${context.sink}/${name}`),
      };
      const exporter = await exporters[kind]();
      const capacity = batchCapacity(n, workload.itemsPerTrace);
      const register = () => lib.setTraceProcessors([
        makeProcessor(lib, exporter, {
          maxQueueSize: capacity,
          maxBatchSize: capacity,
          scheduleDelay: SCHEDULE_DELAY_MS,
        }),
      ]);
      register();
      lib.setTracingDisabled(disabled);
      const notes = { count: countNote ?? 'BatchTraceProcessor', body: bodyNote, http: httpNote };
      const note = disabled ? 'setTracingDisabled(true)' : notes[kind];
      const afterRound = kind === 'http' ? () => sinkCounts(context.sink, name, counter) : undefined;
      const beforeRound = sharesLibrary ? register : undefined;
      return { counter, note, round: (count) => round(lib, count, workload), afterRound, beforeRound };
    },
    cold: { script: 'agents-api.mjs', args: [specifier] },
    wasmFiles,
    sizeEntry:
      `import { withTrace, withFunctionSpan, BatchTraceProcessor } from ${JSON.stringify(specifier)};\n` +
      'globalThis.x = [withTrace, withFunctionSpan, BatchTraceProcessor];\n',
  };
}

function countingExporter(counter) {
  return {
    async export(items) {
      counter.items += items.length;
    },
  };
}

/** Count the items of an ingest body `{"data": [...]}`. */
export function countIngestItems(body) {
  return parseBody(body).data.length;
}

// n traces of `workload`, then the flush.
async function round(lib, n, workload) {
  const provider = lib.getGlobalTraceProvider();
  for (let i = 0; i < n; i++) await workload.agentsTrace(lib, provider);
  await provider.forceFlush();
}
