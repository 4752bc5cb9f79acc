// Ids as they cross: 32-bit words in JS objects, text only when someone reads it.
import { wasm, scratchWords, checked, outputText } from './wasm.js';

let customGenerator = null;

/** Sets (or with `undefined`, clears) a custom id generator; its ids must be in the SDK's formats. */
export function setTracingIdGenerator(generator) {
  if (generator !== undefined && generator !== null && (typeof generator !== 'object')) {
    throw new TypeError('setTracingIdGenerator: generator must be an object with generateTraceId/generateSpanId, or undefined');
  }
  for (const method of ['generateTraceId', 'generateSpanId']) {
    const fn = generator?.[method];
    if (fn !== undefined && typeof fn !== 'function') {
      throw new TypeError(`setTracingIdGenerator: generator.${method} must be a function`);
    }
  }
  customGenerator = generator ?? null;
}

/** Fills `target._t0.._t3` with a trace id: parsed from `text`, custom, or new. */
export function assignTraceId(target, text) {
  const w = wasm();
  const custom = text ?? customGenerator?.generateTraceId?.();
  if (custom !== undefined) {
    if (typeof custom !== 'string') throw new TypeError('traceId must be a string');
    try {
      checked(w.parse_trace_id(custom));
    } catch (error) {
      throw new TypeError(`traceId: ${error.message}`);
    }
  } else {
    checked(w.new_trace_id());
  }
  const s = scratchWords();
  target._t0 = s[0]; target._t1 = s[1]; target._t2 = s[2]; target._t3 = s[3];
}

/** Fills `target._s0.._s2` with a span id: parsed from `text`, custom, or new. */
export function assignSpanId(target, text) {
  const w = wasm();
  const custom = text ?? customGenerator?.generateSpanId?.();
  if (custom !== undefined) {
    if (typeof custom !== 'string') throw new TypeError('spanId must be a string');
    try {
      checked(w.parse_span_id(custom));
    } catch (error) {
      throw new TypeError(`spanId: ${error.message}`);
    }
  } else {
    checked(w.new_span_id());
  }
  const s = scratchWords();
  target._s0 = s[0]; target._s1 = s[1]; target._s2 = s[2];
}

/** Whether trace ids come from a custom generator (then they are drawn when the trace is made). */
export function hasCustomTraceIds() {
  return typeof customGenerator?.generateTraceId === 'function';
}

/** Whether span ids come from a custom generator (then the core must not make them). */
export function hasCustomSpanIds() {
  return typeof customGenerator?.generateSpanId === 'function';
}

/** A new random trace id, `trace_` + 32 hex (ignores any custom generator, as the SDK's does). */
export function generateTraceId() {
  const w = wasm();
  checked(w.new_trace_id());
  const s = scratchWords();
  w.format_trace_id(s[0], s[1], s[2], s[3]);
  return outputText();
}

/** A new random span id, `span_` + 24 hex. */
export function generateSpanId() {
  const w = wasm();
  checked(w.new_span_id());
  const s = scratchWords();
  w.format_span_id(s[0], s[1], s[2]);
  return outputText();
}

/** A new random group id, `group_` + 24 hex. */
export function generateGroupId() {
  checked(wasm().new_group_id());
  return outputText();
}

/** The id generator in use: the custom one's methods where set, else the defaults. */
export function currentIdGenerator() {
  return {
    generateTraceId: customGenerator?.generateTraceId?.bind(customGenerator) ?? generateTraceId,
    generateSpanId: customGenerator?.generateSpanId?.bind(customGenerator) ?? generateSpanId,
  };
}

export const defaultTracingIdGenerator = Object.freeze({ generateTraceId, generateSpanId });
