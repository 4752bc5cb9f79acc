// Cold start, agents-core API (agents-core and edgetrace): `node agents-api.mjs <specifier>`.
// Times, from the first line of this script: import the library, register a batch processor,
// one trace with one function span, started, ended and flushed. Prints one JSON line.

const t0 = performance.now();
const lib = await import(process.argv[2]);
let items = 0;
lib.setTraceProcessors([
  new lib.BatchTraceProcessor({
    async export(batch) {
      items += batch.length;
    },
  }),
]);
lib.setTracingDisabled(false);
const provider = lib.getGlobalTraceProvider();
const trace = provider.createTrace({ name: 'cold' });
await trace.start();
const span = lib.createFunctionSpan({ data: { name: 'tool', input: '{"q":1}', output: 'result text' } }, trace);
span.start();
span.end();
await trace.end();
await provider.forceFlush();
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, items, expected: 2 }));
