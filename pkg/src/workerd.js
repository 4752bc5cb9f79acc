// Cloudflare Workers (workerd) entry: the .wasm is imported as a module, so it is compiled when
// the Worker is uploaded and instantiated at first use, with no fetch. Importing does nothing
// Workers forbid at global scope (no timers, no random values, no I/O): ids are seeded at the
// first trace, inside a handler. The current span follows async code where the Worker has
// AsyncLocalStorage as `process.getBuiltinModule('node:async_hooks')` (the nodejs_compat flag);
// elsewhere it follows synchronous scopes. There is no background export loop: call
// `ctx.waitUntil(forceFlush())`.
import wasmModule from '../wasm/edgetrace_bg.wasm';
import { setWasmLoader } from './wasm.js';
import { setDefaultContextStorage, SyncStackStorage } from './context.js';

setWasmLoader((glue, module) => glue.initSync({ module: module ?? wasmModule }));

// `process` is a global with nodejs_compat from compatibility date 2024-09-23 (or nodejs_compat_v2).
// The nodejs_als flag alone offers AsyncLocalStorage only as an import of node:async_hooks, which
// this entry cannot make without breaking Workers that have neither flag. Looked up at the first
// trace, not at import: workerd's first touch of `process` costs milliseconds of start-up.
setDefaultContextStorage(() => {
  const AsyncLocalStorage = globalThis.AsyncLocalStorage
    ?? globalThis.process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage;
  return typeof AsyncLocalStorage === 'function' ? new AsyncLocalStorage() : new SyncStackStorage();
});

export * from './index.js';
