// Browser entry: the module is compiled once at import (top-level await); there is no
// AsyncLocalStorage, so the current span follows synchronous scopes (pass `parent` across
// awaits). Nothing else runs until first use.
//
// Where the .wasm comes from, in order:
//  1. `../wasm/edgetrace_bg.wasm` relative to this file: the package as installed, and what
//     Vite, webpack 5 and Parcel rewrite to an emitted asset (they follow this literal pattern);
//  2. `edgetrace_bg.wasm` next to the script: bundlers that leave `import.meta.url` alone and do
//     not copy the file (esbuild, Rollup without an asset plugin): copy
//     node_modules/edgetrace/wasm/edgetrace_bg.wasm next to the bundle.
import { setWasmLoader } from './wasm.js';
import { compileWasm } from './compile-wasm.js';
import { setFirstProcessorHook, forceFlushAll } from './registry.js';

const WASM_FILE = 'edgetrace_bg.wasm';

const module = await compileWasm([
  new URL('../wasm/edgetrace_bg.wasm', import.meta.url),
  // Not a string literal on purpose: bundlers that follow `new URL('…', import.meta.url)` would
  // fail the build on this file, which only exists where a user copied it.
  new URL(WASM_FILE, import.meta.url),
], WASM_FILE);
setWasmLoader((glue, fullModule) => glue.initSync({ module: fullModule ?? module }));

// A page going away flushes what it queued with keepalive requests (they outlive the page; the
// browser caps them at 64 KB in flight). Registered with the first processor, not at import.
setFirstProcessorHook(() => {
  globalThis.addEventListener?.('pagehide', () => {
    void forceFlushAll({ keepalive: true });
  });
});

export * from './index.js';
