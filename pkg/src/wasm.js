// The one place that touches the wasm instance: instantiated lazily at first use by the loader
// the runtime entry installed, so importing the package does nothing but define functions.
import * as glue from '../wasm/edgetrace.js';

let loader = null;
let exportsOfInstance = null;
let scratch = null;

/** Installed by each runtime entry: returns the instantiated module's exports, synchronously. */
export function setWasmLoader(load) {
  loader = load;
}

/** The bindings, instantiating the module on first use. */
export function wasm() {
  if (exportsOfInstance === null) {
    if (loader === null) {
      throw new Error('edgetrace: no wasm loader for this runtime; import "edgetrace" through its package entry');
    }
    exportsOfInstance = loader(glue);
  }
  return glue;
}

/** The four scratch words ids and counts come back in (re-viewed if memory grew). */
export function scratchWords() {
  if (scratch === null || scratch.byteLength === 0) {
    const w = wasm();
    scratch = new Uint32Array(exportsOfInstance.memory.buffer, w.scratch_ptr(), 4);
  }
  return scratch;
}
