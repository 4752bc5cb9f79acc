// Node / Bun entry: the wasm bytes come from the package folder, the context follows async code
// through AsyncLocalStorage, span times come from process.hrtime, the environment switches come
// from process.env, and queued items are flushed before the process exits. Builtins are taken at
// first use, not at import.
import { setWasmLoader } from './wasm.js';
import { setDefaultContextStorage } from './context.js';
import { setRuntimeMonotonicClock } from './clock.js';
import { setExportLoopByDefault } from './batch.js';
import { setFirstProcessorHook, flushAtLoopEnd } from './registry.js';

setWasmLoader((glue, module) => {
  const fs = process.getBuiltinModule('fs');
  const exports = glue.initSync({ module: module ?? new WebAssembly.Module(fs.readFileSync(new URL('../wasm/edgetrace_bg.wasm', import.meta.url))) });
  const env = process.env;
  glue.apply_env(env.OPENAI_AGENTS_DISABLE_TRACING, env.OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA, env.OPENAI_API_KEY);
  seedFromUrandom(fs, glue);
  return exports;
});

// The id generator's seed from the OS (what getrandom reads natively), with `fs` already loaded:
// loading Node's webcrypto for `crypto.getRandomValues` would cost ~2 ms of start-up. Where
// /dev/urandom is missing (Windows), the core falls back to `crypto.getRandomValues`.
function seedFromUrandom(fs, glue) {
  let fd;
  try {
    fd = fs.openSync('/dev/urandom', 'r');
    const seed = new Uint32Array(2);
    if (fs.readSync(fd, seed) === 8) glue.seed_ids(seed[0], seed[1]);
  } catch {
    // No /dev/urandom: the first id seeds from crypto.getRandomValues instead.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
setRuntimeMonotonicClock({
  now() {
    const [seconds, nanoseconds] = process.hrtime();
    return seconds * 1e3 + nanoseconds / 1e6;
  },
});
setDefaultContextStorage(() => new (process.getBuiltinModule('async_hooks').AsyncLocalStorage)());
setExportLoopByDefault(true);

// Flush on `beforeExit` (as agents-core does), registered when the first processor is added.
setFirstProcessorHook(() => {
  process.on('beforeExit', flushAtLoopEnd);
});

export * from './index.js';
