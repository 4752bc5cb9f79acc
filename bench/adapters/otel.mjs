// OpenTelemetry JS (api + sdk-trace-base): the general-purpose tracer we compare against.

import { Counter, SCHEDULE_DELAY_MS, batchCapacity, parseBody, sinkCounts } from '../workload.mjs';

let api;
let sdk;
let otlp;

export default {
  name: 'otel',
  async load() {
    [api, sdk, otlp] = await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/otlp-transformer'),
    ]);
  },
  async setup({ workload, exporter: kind, disabled = false }, n, context) {
    const counter = new Counter();
    if (disabled) {
      // OTel has no runtime off switch; "off" means the API with no SDK registered, whose
      // global tracer is a no-op. We never register a global provider, so this is that tracer.
      const tracer = api.trace.getTracer('bench');
      const note = '@opentelemetry/api no-op tracer (no SDK registered)';
      return { counter, note, round: (count) => round(tracer, count, workload, async () => {}) };
    }
    const exporters = {
      count: () => countingExporter(counter),
      body: () => bodyExporter(counter),
      http: async () => {
        const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
        return new OTLPTraceExporter({ url: `${context.sink}/otel` });
      },
    };
    const exporter = await exporters[kind]();
    const capacity = batchCapacity(n, workload.itemsPerTrace);
    const processor = new sdk.BatchSpanProcessor(exporter, {
      maxQueueSize: capacity,
      maxExportBatchSize: capacity,
      scheduledDelayMillis: SCHEDULE_DELAY_MS,
    });
    const provider = new sdk.BasicTracerProvider({ spanProcessors: [processor] });
    const tracer = provider.getTracer('bench');
    const notes = {
      count: 'BatchSpanProcessor',
      body: 'BatchSpanProcessor + JsonTraceSerializer',
      http: 'BatchSpanProcessor + OTLPTraceExporter (OTLP/HTTP JSON)',
    };
    const afterRound = kind === 'http' ? () => sinkCounts(context.sink, 'otel', counter) : undefined;
    const flush = () => provider.forceFlush();
    return { counter, note: notes[kind], round: (count) => round(tracer, count, workload, flush), afterRound };
  },
  cold: { script: 'otel.mjs', args: [] },
  sizeEntry:
    "import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';\n" +
    "import { trace } from '@opentelemetry/api';\n" +
    'globalThis.x = [BasicTracerProvider, BatchSpanProcessor, trace];\n',
};

function countingExporter(counter) {
  return {
    export(spans, done) {
      counter.items += spans.length;
      done({ code: 0 }); // ExportResultCode.SUCCESS
    },
    shutdown: async () => {},
  };
}

// The OTLP/HTTP JSON request body, as the OTLP JSON exporter would send it.
function bodyExporter(counter) {
  return {
    export(spans, done) {
      const body = otlp.JsonTraceSerializer.serializeRequest(spans);
      counter.addBody(body, countOtlpSpans);
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
}

function countOtlpSpans(body) {
  let count = 0;
  for (const rs of parseBody(body).resourceSpans) {
    for (const ss of rs.scopeSpans) count += ss.spans.length;
  }
  return count;
}

// n traces of `workload`, then the flush.
async function round(tracer, n, workload, flush) {
  for (let i = 0; i < n; i++) workload.otelTrace(api, tracer);
  await flush();
}
