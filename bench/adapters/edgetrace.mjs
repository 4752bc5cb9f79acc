// edgetrace: same API as agents-core, so the same workload code (see agents-api.mjs).

import { fileURLToPath } from 'node:url';
import { agentsApiAdapter, countIngestItems } from './agents-api.mjs';

export default agentsApiAdapter({
  name: 'edgetrace',
  specifier: 'edgetrace',
  // An exporter with `exportBody` gets the ingest JSON already built in Rust, as UTF-8 bytes,
  // instead of Span/Trace objects (`export`). `info` is not used here.
  bodyNote: 'BatchTraceProcessor, exportBody(bytes built in Rust)',
  // The browser entry fetches its module at run time; the size mode counts it.
  wasmFiles: [fileURLToPath(new URL('../../pkg/wasm/edgetrace_bg.wasm', import.meta.url))],
  bodyExporter: (counter) => ({
    async exportBody(body, _info) {
      counter.addBody(body, body.byteLength, countIngestItems);
    },
  }),
});
