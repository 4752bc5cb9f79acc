// Cold start, OpenTelemetry JS: what follows the import of api + sdk-trace-base. A provider with a
// batch processor, one root span with one child span, both ended and flushed. The caller
// (bench/cold/otel.mjs, the workerd and Chromium harnesses through cold/otel.mjs) times the
// import plus this.

export async function coldSpans(api, sdk) {
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
