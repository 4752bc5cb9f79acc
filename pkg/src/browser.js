// Browser entry: the module is compiled once at import (top-level await), fetched next to this
// file; there is no AsyncLocalStorage, so the current span follows synchronous scopes (pass
// `parent` across awaits). Nothing else runs until first use.
import { setWasmLoader } from './wasm.js';

const url = new URL('../wasm/edgetrace_bg.wasm', import.meta.url);
const response = await fetch(url);
const module = typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type') === 'application/wasm'
  ? await WebAssembly.compileStreaming(response)
  : await WebAssembly.compile(await response.arrayBuffer());
setWasmLoader((glue) => glue.initSync({ module }));

export * from './index.js';
