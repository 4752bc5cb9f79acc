// Node / Bun entry: the wasm bytes come from the package folder, the context follows async code
// through AsyncLocalStorage, and the environment switches come from process.env.
import { readFileSync } from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { setWasmLoader } from './src/wasm.js';
import { setDefaultContextStorage } from './src/context.js';
import { setExportLoopByDefault } from './src/batch.js';

setWasmLoader((glue) => {
  const bytes = readFileSync(new URL('./wasm/edgetrace_bg.wasm', import.meta.url));
  const exports = glue.initSync({ module: new WebAssembly.Module(bytes) });
  glue.apply_env(process.env.OPENAI_AGENTS_DISABLE_TRACING, process.env.OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA);
  return exports;
});
setDefaultContextStorage(() => new AsyncLocalStorage());
setExportLoopByDefault(true);

export * from './src/index.js';
