// Cold start, OpenTelemetry JS: `node otel.mjs`. Times, from the first line of this script:
// import api + sdk-trace-base, a provider with a batch processor, one root span with one child
// span, both ended and flushed. Prints one JSON line.

const t0 = performance.now();
const [api, sdk] = await Promise.all([
  import('@opentelemetry/api'),
  import('@opentelemetry/sdk-trace-base'),
]);
let items = 0;
const exporter = {
  export(spans, done) {
    items += spans.length;
    done({ code: 0 });
  },
  shutdown: async () => {},
};
const provider = new sdk.BasicTracerProvider({
  spanProcessors: [new sdk.BatchSpanProcessor(exporter)],
});
const tracer = provider.getTracer('cold');
const root = tracer.startSpan('cold');
const ctx = api.trace.setSpan(api.ROOT_CONTEXT, root);
tracer.startSpan('tool', { attributes: { input: '{"q":1}', output: 'result text' } }, ctx).end();
root.end();
await provider.forceFlush();
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, items, expected: 2 }));
