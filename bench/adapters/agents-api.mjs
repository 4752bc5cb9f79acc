// The workload written once against the @openai/agents-core tracing API. edgetrace mirrors that
// API, so agents-core and edgetrace run this exact code; only the body exporter differs.

import {
  Counter,
  SPANS_PER_TRACE,
  SPAN_NAME,
  SPAN_INPUT,
  SPAN_OUTPUT,
  SCHEDULE_DELAY_MS,
  batchCapacity,
  parseBody,
  sinkCounts,
} from '../workload.mjs';

/**
 * @param {object} o
 * @param {string} o.name        library label in the tables
 * @param {string} o.specifier   what to import
 * @param {(c: Counter) => object} o.bodyExporter  exporter that builds the ingest body (mode body)
 * @param {string} o.bodyNote    how that exporter gets its body, for the table notes
 */
export function agentsApiAdapter({ name, specifier, bodyExporter, bodyNote, httpExporter, httpNote, wasmFiles }) {
  let lib;
  return {
    name,
    // `importer` is for bundles (bench/runtimes/): esbuild only follows a literal import().
    async load(importer = () => import(specifier)) {
      lib = await importer();
    },
    async setup(mode, n, context) {
      const counter = new Counter();
      const exporters = {
        body: () => bodyExporter(counter),
        http: () => httpExporter(lib, `${context.sink}/${name}`),
      };
      const exporter = await (exporters[mode] ?? (() => countingExporter(counter)))();
      const capacity = batchCapacity(n);
      lib.setTraceProcessors([
        new lib.BatchTraceProcessor(exporter, {
          maxQueueSize: capacity,
          maxBatchSize: capacity,
          scheduleDelay: SCHEDULE_DELAY_MS,
        }),
      ]);
      lib.setTracingDisabled(mode === 'disabled');
      const notes = { processor: 'BatchTraceProcessor', body: bodyNote, http: httpNote, disabled: 'setTracingDisabled(true)' };
      const note = notes[mode];
      const afterRound = mode === 'http' ? () => sinkCounts(context.sink, name, counter) : undefined;
      return { counter, note, round: (count) => round(lib, count), afterRound };
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

// createTrace + start/end is what withTrace does minus the AsyncLocalStorage scope: the cheapest
// faithful root. Spans get the trace as explicit parent, so no context lookup either.
async function round(lib, n) {
  const provider = lib.getGlobalTraceProvider();
  for (let i = 0; i < n; i++) {
    const trace = provider.createTrace({ name: 'bench' });
    await trace.start();
    for (let j = 0; j < SPANS_PER_TRACE; j++) {
      const span = lib.createFunctionSpan(
        { data: { name: SPAN_NAME, input: SPAN_INPUT, output: SPAN_OUTPUT } },
        trace,
      );
      span.start();
      span.end();
    }
    await trace.end();
  }
  await provider.forceFlush();
}
