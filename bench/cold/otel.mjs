// Cold start, OpenTelemetry JS: `node otel.mjs`. Times, from the first line of this script's body:
// import api + sdk-trace-base, then the steps every runtime runs (../runtimes/cold/otel-api.mjs,
// loaded before the clock starts): a provider with a batch processor, one root span with one child
// span, both ended and flushed. Prints one JSON line.
import { coldSpans } from '../runtimes/cold/otel-api.mjs';

const t0 = performance.now();
const [api, sdk] = await Promise.all([
  import('@opentelemetry/api'),
  import('@opentelemetry/sdk-trace-base'),
]);
const { items, expected } = await coldSpans(api, sdk);
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, items, expected }));
