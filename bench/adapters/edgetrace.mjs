// edgetrace: same API as agents-core, so the same workload code (see agents-api.mjs).

import { agentsApiAdapter, countIngestItems } from './agents-api.mjs';

export default agentsApiAdapter({
  name: 'edgetrace',
  specifier: 'edgetrace',
  // An exporter with `exportBody` gets the ingest JSON already built in Rust, as UTF-8 bytes,
  // instead of Span/Trace objects (`export`). `info` is not used here.
  bodyNote: 'BatchTraceProcessor, exportBody(bytes built in Rust)',
  // The browser entry fetches its module at run time; the size mode counts it. Relative to the
  // repository root, so this file imports no Node built-in (it is also bundled into a Worker and
  // a page by bench/runtimes/).
  wasmFiles: ['pkg/wasm/edgetrace_bg.wasm'],
  httpNote: 'BatchTraceProcessor + OpenAITracingExporter (fetch; body built in Rust)',
  httpExporter: (lib, endpoint) => new lib.OpenAITracingExporter({ apiKey: 'bench', endpoint, maxRetries: 1 }),
  bodyExporter: (counter) => ({
    async exportBody(body, _info) {
      counter.addBody(body, countIngestItems);
    },
  }),
});
