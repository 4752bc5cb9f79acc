// Deno entry: the module arrives compiled through a source-phase import (no file or network
// permission needed), the context follows async code through node:async_hooks, environment
// switches are read only where env permission is already granted (no prompt), and queued items
// are flushed when the event loop empties (`beforeunload`).
import source wasmModule from '../wasm/edgetrace_bg.wasm';
import { AsyncLocalStorage } from 'node:async_hooks';
import { setWasmLoader } from './wasm.js';
import { setDefaultContextStorage } from './context.js';
import { setExportLoopByDefault } from './batch.js';
import { setFirstProcessorHook, flushAtLoopEnd } from './registry.js';

/** An environment variable, or undefined when env access is not already granted. */
function env(name) {
  try {
    return Deno.permissions.querySync({ name: 'env', variable: name }).state === 'granted' ? Deno.env.get(name) : undefined;
  } catch {
    return undefined;
  }
}

setWasmLoader((glue, module) => {
  const exports = glue.initSync({ module: module ?? wasmModule });
  glue.apply_env(env('OPENAI_AGENTS_DISABLE_TRACING'), env('OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA'), env('OPENAI_API_KEY'));
  return exports;
});
setDefaultContextStorage(() => new AsyncLocalStorage());
setExportLoopByDefault(true);

setFirstProcessorHook(() => {
  globalThis.addEventListener('beforeunload', (event) => {
    // Keeps the event loop alive for the flush's I/O.
    if (flushAtLoopEnd()) event.preventDefault();
  });
});

export * from './index.js';
