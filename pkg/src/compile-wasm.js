// Fetching and compiling a .wasm in a browser (the core module, or the one with the processor
// chain), with errors that say what to do.
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

/** The first of `candidates` that answers with something other than an error or an HTML fallback page. */
async function fetchWasm(candidates, file) {
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
    + `(esbuild, Rollup without an asset plugin), copy node_modules/edgetrace/wasm/${file} next to the bundle.`);
}

/**
 * Fetches and compiles the module `file` from the first of the `candidates` URLs that has it,
 * with errors that say what to do (a bundler that did not copy it, a CSP that forbids wasm).
 */
export async function compileWasm(candidates, file) {
  if (typeof WebAssembly !== 'object') {
    throw new Error('edgetrace: this JavaScript environment has no WebAssembly (disabled by the browser or its settings)');
  }
  const response = await fetchWasm(candidates, file);
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

