// Cold start module for OpenTelemetry JS: importing this module imports api + sdk-trace-base. `run`
// does what bench/cold/otel.mjs does after its import: a provider with a batch processor, one root
// span with one child span, both ended and flushed.
import * as api from '@opentelemetry/api';
import * as sdk from '@opentelemetry/sdk-trace-base';

export async function run() {
  let items = 0;
  const exporter = {
    export(spans, done) {
      items += spans.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  const provider = new sdk.BasicTracerProvider({ spanProcessors: [new sdk.BatchSpanProcessor(exporter)] });
  const tracer = provider.getTracer('cold');
  const root = tracer.startSpan('cold');
  const ctx = api.trace.setSpan(api.ROOT_CONTEXT, root);
  tracer.startSpan('tool', { attributes: { input: '{"q":1}', output: 'result text' } }, ctx).end();
  root.end();
  await provider.forceFlush();
  return { items, expected: 2 };
}
