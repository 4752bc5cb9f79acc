// The one place that touches the wasm instance: instantiated lazily at first use by the loader
// the runtime entry installed, so importing the package does nothing but define functions.
// Named imports (not a namespace), so bundlers drop the glue's own fetch-based default init and
// the `new URL("edgetrace_bg.wasm", import.meta.url)` in it, which some bundlers try to resolve.
import {
  initSync,
  apply_env, batch_export_due, batch_len, batch_new, batch_stats, batch_take, export_api_key,
  format_span_id, format_time, format_trace_id, is_disabled, new_group_id, new_span_id,
  new_trace_id, parse_span_id, parse_time, parse_trace_id, policy_bits, retry_begin,
  retry_check, retry_end, retry_next, scratch_ptr, seed_ids, sensitive_bits, set_disabled,
  set_export_api_key, set_native_processors, set_sensitive, span_end, span_end_function,
  span_json, take_batch_lengths, take_error, take_last_json, text_region, trace_end, trace_json,
  trace_start,
} from '../wasm/edgetrace.js';

const glue = {
  initSync,
  apply_env, batch_export_due, batch_len, batch_new, batch_stats, batch_take, export_api_key,
  format_span_id, format_time, format_trace_id, is_disabled, new_group_id, new_span_id,
  new_trace_id, parse_span_id, parse_time, parse_trace_id, policy_bits, retry_begin,
  retry_check, retry_end, retry_next, scratch_ptr, seed_ids, sensitive_bits, set_disabled,
  set_export_api_key, set_native_processors, set_sensitive, span_end, span_end_function,
  span_json, take_batch_lengths, take_error, take_last_json, text_region, trace_end, trace_json,
  trace_start,
};

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

/** The scratch words ids and counts come back in (re-viewed if memory grew). */
export function scratchWords() {
  if (scratch === null || scratch.byteLength === 0) {
    const w = wasm();
    scratch = new Uint32Array(exportsOfInstance.memory.buffer, w.scratch_ptr(), 8);
  }
  return scratch;
}

function mapRegion(capacity) {
  const ptr = wasm().text_region(capacity);
  if (ptr === 0) throw new RangeError(`edgetrace: no memory for ${capacity} bytes of text`);
  regionCapacity = capacity;
  return new Uint8Array(exportsOfInstance.memory.buffer, ptr, capacity);
}

let textLength = 0;
let textAscii = true;

/** Starts the text of the next core call (then `appendText` each string, then `textBytes`). */
export function beginText() {
  if (region === null || region.byteLength === 0) region = mapRegion(regionCapacity);
  textLength = 0;
  textAscii = true;
}

/**
 * Appends `text` as UTF-8 to the text region the next core call reads (no allocation per call).
 * Short ASCII strings are copied by a loop; others go through `encodeInto`.
 */
export function appendText(text) {
  const length = text.length;
  if (textLength + length * 3 > regionCapacity) grow(textLength + length * 3);
  if (length <= 64) {
    const view = region;
    let at = textLength;
    let i = 0;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) break;
      view[at++] = code;
    }
    if (i === length) {
      textLength = at;
      return;
    }
  }
  const { written } = encoder.encodeInto(text, region.subarray(textLength));
  if (written !== length) textAscii = false;
  textLength += written;
}

/** Bytes written since `beginText`. */
export function textBytes() {
  return textLength;
}

/** Whether everything written since `beginText` was ASCII (bytes = UTF-16 units). */
export function textIsAscii() {
  return textAscii;
}

function grow(needed) {
  const kept = region.slice(0, textLength);
  region = mapRegion(Math.max(needed, regionCapacity * 2));
  region.set(kept);
}
