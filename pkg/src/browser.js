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
import { setFirstProcessorHook, forceFlushAll } from './registry.js';

const WASM_FILE = 'edgetrace_bg.wasm';
// The smallest valid module (magic + version): compiles wherever WebAssembly is allowed at all.
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** Whether this page may compile WebAssembly at all (a CSP without 'wasm-unsafe-eval' forbids it). */
function wasmAllowed() {
  try {
    new WebAssembly.Module(EMPTY_MODULE);
    return true;
  } catch {
    return false;
  }
}

/** The first candidate that answers with something other than an error or an HTML fallback page. */
async function fetchWasm() {
  const candidates = [
    new URL('../wasm/edgetrace_bg.wasm', import.meta.url),
    // Not a string literal on purpose: bundlers that follow `new URL('…', import.meta.url)` would
    // fail the build on this file, which only exists where a user copied it.
    new URL(WASM_FILE, import.meta.url),
  ];
  const tried = [];
  for (const url of candidates) {
    try {
      const response = await fetch(url);
      const type = response.headers.get('content-type') ?? '';
      // Dev servers often answer unknown paths with their index.html (200, text/html).
      if (response.ok && !type.startsWith('text/html')) return response;
      tried.push(`${url} (${response.status}${response.ok ? `, ${type}` : ''})`);
    } catch (error) {
      tried.push(`${url} (${error?.message ?? error})`);
    }
  }
  throw new Error(`edgetrace: could not fetch its WebAssembly module; tried ${tried.join(', ')}. `
    + `If you bundle with a tool that does not copy files referenced by new URL(…, import.meta.url) `
    + `(esbuild, Rollup without an asset plugin), copy node_modules/edgetrace/wasm/${WASM_FILE} next to the bundle.`);
}

async function compileWasm() {
  if (typeof WebAssembly !== 'object') {
    throw new Error('edgetrace: this JavaScript environment has no WebAssembly (disabled by the browser or its settings)');
  }
  const response = await fetchWasm();
  try {
    return typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type') === 'application/wasm'
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer());
  } catch (error) {
    // Browsers word a CSP refusal differently, as a CompileError: tell it apart by the empty
    // module, which only a policy can refuse.
    if (!wasmAllowed()) {
      throw new Error('edgetrace: this page\'s Content-Security-Policy forbids WebAssembly, which edgetrace needs. '
        + 'Allow it by adding \'wasm-unsafe-eval\' to the script-src directive (or default-src when there is no '
        + 'script-src), e.g. Content-Security-Policy: script-src \'self\' \'wasm-unsafe-eval\'', { cause: error });
    }
    throw new Error(`edgetrace: could not compile its WebAssembly module from ${response.url}: ${error?.message ?? error}`, { cause: error });
  }
}

const module = await compileWasm();
setWasmLoader((glue) => glue.initSync({ module }));

// A page going away flushes what it queued with keepalive requests (they outlive the page; the
// browser caps them at 64 KB in flight). Registered with the first processor, not at import.
setFirstProcessorHook(() => {
  globalThis.addEventListener?.('pagehide', () => {
    void forceFlushAll({ keepalive: true });
  });
});

export * from './index.js';
