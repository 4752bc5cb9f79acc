// Queues one trace for the OpenAI exporter and never flushes: only the browser entry's pagehide
// flush (keepalive requests) can deliver it to the runner's /collect endpoint.
import * as et from 'edgetrace';

const endpoint = new URL('/collect', location.href).href;
et.addTraceProcessor(new et.BatchTraceProcessor(new et.OpenAITracingExporter({ apiKey: 'sk-page', endpoint })));
await et.withTrace('page trace', (trace) => et.withFunctionSpan(async () => {}, { data: { name: 'on page' } }, trace));
globalThis.edgetraceResult = { queued: true };
