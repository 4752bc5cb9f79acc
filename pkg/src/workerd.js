// Cloudflare Workers (workerd) entry: the .wasm is imported as a module, so it is compiled when
// the Worker is uploaded and instantiated at first use, with no fetch. Importing does nothing
// Workers forbid at global scope (no timers, no random values, no I/O): ids are seeded at the
// first trace, inside a handler. The current span follows async code where the Worker has
// AsyncLocalStorage (the nodejs_compat or nodejs_als flag); elsewhere it follows synchronous
// scopes. There is no background export loop: call `ctx.waitUntil(forceFlush())`.
import wasmModule from '../wasm/edgetrace_bg.wasm';
import { setWasmLoader } from './wasm.js';
import { setDefaultContextStorage } from './context.js';

setWasmLoader((glue) => glue.initSync({ module: wasmModule }));

const AsyncLocalStorage = globalThis.AsyncLocalStorage
  ?? globalThis.process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage;
if (typeof AsyncLocalStorage === 'function') setDefaultContextStorage(() => new AsyncLocalStorage());

export * from './index.js';
