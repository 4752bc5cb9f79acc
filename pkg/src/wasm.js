// The one place that touches the wasm instance: instantiated lazily at first use by the loader
// the runtime entry installed, so importing the package does nothing but define functions.
import * as glue from '../wasm/edgetrace.js';

let loader = null;
let exportsOfInstance = null;
let scratch = null;
let region = null;
let regionCapacity = 1024;
const encoder = new TextEncoder();

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

function mapRegion(capacity) {
  const ptr = wasm().text_region(capacity);
  if (ptr === 0) throw new RangeError(`edgetrace: no memory for ${capacity} bytes of text`);
  regionCapacity = capacity;
  return new Uint8Array(exportsOfInstance.memory.buffer, ptr, capacity);
}

/**
 * Encodes `text` as UTF-8 into the text region the next core call reads (no allocation per
 * call); returns the number of bytes written. Equal to `text.length` exactly when all ASCII.
 */
export function encodeText(text) {
  if (region === null || region.byteLength === 0) region = mapRegion(regionCapacity);
  let { read, written } = encoder.encodeInto(text, region);
  if (read < text.length) {
    region = mapRegion(text.length * 3);
    ({ written } = encoder.encodeInto(text, region));
  }
  return written;
}
