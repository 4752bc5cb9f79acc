// Cold start, agents-core API (agents-core and edgetrace): what follows the library's import.
// Register a batch processor, one trace with one function span, started, ended and flushed. The
// caller (bench/cold/agents-api.mjs, the workerd and Chromium harnesses) times the import plus this.

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
