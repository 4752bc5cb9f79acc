// Cold start inside a runtime, agents-core API (agents-core and edgetrace): what bench/cold/agents-api.mjs
// does after its import. Register a batch processor, one trace with one function span, started,
// ended and flushed. The caller times the import of the library plus this.

export async function coldTrace(lib) {
  let items = 0;
  lib.setTraceProcessors([
    new lib.BatchTraceProcessor({
      async export(batch) {
        items += batch.length;
      },
    }),
  ]);
  lib.setTracingDisabled(false); // agents-core turns tracing off in browsers by default
  const provider = lib.getGlobalTraceProvider();
  const trace = provider.createTrace({ name: 'cold' });
  await trace.start();
  const span = lib.createFunctionSpan({ data: { name: 'tool', input: '{"q":1}', output: 'result text' } }, trace);
  span.start();
  span.end();
  await trace.end();
  await provider.forceFlush();
  return { items, expected: 2 };
}
