// Span objects: state lives here until the span ends, then crosses into the core in one call.
import { wasm, coreError, scratchWords, checked, outputText, lastJson, spanIdWords, beginText, appendText, textBytes, textIsAscii, textIsWellFormed, isWellFormed } from './wasm.js';
import { logger } from './logger.js';
import { assignSpanId, hasCustomSpanIds } from './ids.js';
import { hasJsProcessors, spanStarted, spanEnded, nativeStatus, nativeWantsSpanStarts } from './registry.js';
import { isObject, describe, toJsonText, MAX_FIELD_LENGTH } from './validate.js';
import { spanTime } from './clock.js';
import { limitedFieldText, byteLength } from './items.js';
import {
  SPAN_TYPES, SPAN_FLAG_SPAN_ID_GIVEN as SPAN_ID_GIVEN, SPAN_FLAG_HAS_PARENT as HAS_PARENT,
  SPAN_FLAG_WANT_JSON as WANT_JSON, SPAN_FLAG_HAS_ERROR as HAS_ERROR, SPAN_FLAG_ASCII as ASCII,
  SPAN_FLAG_HAS_KEY as HAS_KEY, SPAN_FLAG_MESSAGE_IS_JSON as MESSAGE_IS_JSON,
  STATUS_ERROR as ERROR, STATUS_PROCESSOR_BITS, INGEST_FIELD_BYTES,
} from '../wasm/abi.js';

export { SPAN_TYPES };
const FUNCTION = SPAN_TYPES.indexOf('function');

export const NOOP_ID = 'no-op';

// Objects of the shapes the span path is compiled against stay reachable: one span per kind
// (with its data object and trace), made when the first span of that kind finishes, and one
// no-op span. Then a full GC that finds no live span (an idle process, a benchmark round's end)
// leaves V8 their hidden classes, and does not deoptimize every function compiled against them
// (measured: after such a GC, the next ~5,000 spans ran at 2-4x their cost). They are built from
// neutral values: no one's span data, metadata, error or key stays reachable through them.
const shapeKeepers = [];
let makeShapeKeeper = null;
let noopShapeKeeper = null;

function keepShape(span) {
  try {
    shapeKeepers[span._kind] = makeShapeKeeper(span);
  } catch {
    shapeKeepers[span._kind] = null;
  }
}

/** Installed by factories.js: makes a span shaped like `span` from neutral data. */
export function setShapeKeeperMaker(make) {
  makeShapeKeeper = make;
}

/** Validates `{message, data?}`; returns it. */
export function checkSpanError(error, name) {
  if (!isObject(error) || typeof error.message !== 'string') {
    throw new TypeError(`${name} must be {message: string, data?: object}, got ${describe(error)}`);
  }
  if (error.data !== undefined && error.data !== null && !isObject(error.data)) {
    throw new TypeError(`${name}.data must be an object when present, got ${describe(error.data)}`);
  }
  return error;
}

/** A time in ms as its ISO 8601 string (null: not set). */
function isoTime(ms) {
  if (Number.isNaN(ms)) return null;
  checked(wasm().format_time(ms));
  return outputText();
}

function isFastFunctionData(d) {
  if (typeof d.name !== 'string' || typeof d.input !== 'string' || typeof d.output !== 'string') return false;
  if (d.name.length + d.input.length + d.output.length > MAX_FIELD_LENGTH) return false;
  let keys = 0;
  for (const key in d) keys += 1;
  return keys === 4 && d.type === 'function';
}

/**
 * JSON text of span data, never throwing. `input` / `output` that JSON cannot hold, or whose JSON
 * is over the ingest field limit, are what the SDK's exporter makes of them (a JSON-safe copy,
 * or a preview: `limitedFieldText`); other fields that cannot be serialized (cycles, BigInt,
 * throwing getters) or are too long are dropped with a warning.
 */
function spanDataJson(data, spanType) {
  const whole = toJsonText(data, {});
  if (whole !== undefined && (whole.length * 3 <= INGEST_FIELD_BYTES || !hasOversizedField(data))) return whole;
  let keys;
  try {
    keys = Object.keys(data);
  } catch (error) {
    logger.warn(`${spanType} span data could not be read (${error?.message}); exported without fields`);
    return '{}';
  }
  const parts = [];
  for (const key of keys) {
    const failure = {};
    let text;
    try {
      const value = data[key];
      text = key === 'input' || key === 'output' ? limitedText(value, failure) : toJsonText(value, failure);
      if (text === undefined && value === undefined) continue;
    } catch (error) {
      failure.reason = error?.message ?? String(error);
    }
    if (text === undefined) logger.warn(`${spanType} span data field '${key}' dropped: ${failure.reason}`);
    else parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** Whether `input` or `output` of JSON-serializable data is over the ingest field limit. */
function hasOversizedField(data) {
  return [data.input, data.output].some((value) => {
    const text = JSON.stringify(value);
    return text !== undefined && byteLength(text) > INGEST_FIELD_BYTES;
  });
}

function limitedText(value, failure) {
  const text = limitedFieldText(value);
  if (text !== undefined && text.length > MAX_FIELD_LENGTH) {
    failure.reason = `too long (${text.length} > ${MAX_FIELD_LENGTH} characters)`;
    return undefined;
  }
  if (text === undefined) failure.reason = 'not JSON-serializable';
  return text;
}

function errorDataJson(data) {
  if (data === undefined || data === null) return '';
  const failure = {};
  const text = toJsonText(data, failure);
  if (text === undefined) logger.warn(`span error data dropped: ${failure.reason}`);
  return text ?? '';
}

/** Appends the trace's own export key, if it has one; returns the flag that says so. */
function appendKey(trace) {
  const key = trace.tracingApiKey;
  if (typeof key !== 'string') return 0;
  appendText(key);
  return HAS_KEY;
}

export class Span {
  constructor(kind, data, trace, parent, options) {
    if (typeof kind !== 'number') {
      throw new TypeError('new Span() is internal to edgetrace: make spans with createXSpan(options, parent) or getGlobalTraceProvider().createSpan(options, parent)');
    }
    this._kind = kind;
    this._data = data;
    this._trace = trace;
    this._flags = trace._policy;
    this._s0 = -0; this._s1 = -0; this._s2 = -0; // doubles from the start (see Trace)
    this._parent = parent;
    this._startedMs = NaN;
    this._endedMs = NaN;
    this._error = null;
    this._json = undefined;
    this.previousSpan = undefined;
    if (parent !== null) {
      parent._ensureId();
      this._flags |= HAS_PARENT;
    }
    if (options.spanId !== undefined || options.error != null || options.startedAt != null || options.endedAt != null) {
      this._applyOptions(options);
    }
  }

  _applyOptions(options) {
    if (options.spanId !== undefined) {
      assignSpanId(this, options.spanId);
      this._flags |= SPAN_ID_GIVEN;
    }
    if (options.error !== undefined && options.error !== null) this._error = checkSpanError(options.error, 'options.error');
    const w = wasm();
    for (const [key, field] of [['startedAt', '_startedMs'], ['endedAt', '_endedMs']]) {
      const value = options[key];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') throw new TypeError(`options.${key} must be an ISO 8601 string, got ${describe(value)}`);
      try {
        this[field] = checked(w.parse_time(value));
      } catch (error) {
        throw new RangeError(`options.${key}: ${error.message}`);
      }
    }
  }

  _ensureId() {
    if ((this._flags & SPAN_ID_GIVEN) === 0) {
      assignSpanId(this);
      this._flags |= SPAN_ID_GIVEN;
    }
  }

  get type() { return 'trace.span'; }
  get traceId() { return this._trace.traceId; }
  get spanId() {
    this._ensureId();
    wasm().format_span_id(this._s0, this._s1, this._s2);
    return outputText();
  }
  get parentId() {
    return this._parent === null ? null : this._parent.spanId;
  }
  get spanData() { return this._data; }
  get traceMetadata() { return this._trace.metadata; }
  get tracingApiKey() { return this._trace.tracingApiKey; }
  get error() { return this._error; }
  get startedAt() { return isoTime(this._startedMs); }
  get endedAt() { return isoTime(this._endedMs); }

  start() {
    if (!Number.isNaN(this._startedMs)) {
      logger.warn('Span already started');
      return;
    }
    const now = spanTime(this._trace._anchor);
    // A child never starts before its parent (clocks may be coarse, frozen or injected).
    const parentStarted = this._parent === null ? NaN : this._parent._startedMs;
    this._startedMs = now < parentStarted ? parentStarted : now;
    if (nativeWantsSpanStarts()) this._startInCore();
    if (hasJsProcessors()) {
      this._ensureId();
      spanStarted(this);
    }
  }

  /** Sends the start to the processors that asked for span starts (a chain's LiveEvents). */
  _startInCore() {
    this._ensureId();
    try {
      const status = this._callWithText(wasm().span_start, this._flags);
      if ((status & ERROR) !== 0) throw coreError();
      if ((status & STATUS_PROCESSOR_BITS) !== 0) nativeStatus(status);
    } catch (error) {
      logger.error(`${SPAN_TYPES[this._kind]} span start could not be recorded:`, error);
    }
  }

  end() {
    if (!Number.isNaN(this._endedMs)) {
      logger.debug('Span already finished');
      return;
    }
    this._endedMs = spanTime(this._trace._anchor);
    this._finish();
  }

  /** Hands the span, with the times it has, to the processors. */
  _finish() {
    const wantJson = hasJsProcessors();
    if (wantJson || hasCustomSpanIds()) this._ensureId();
    let status;
    try {
      status = this._submit(wantJson);
    } catch (error) {
      logger.error(`${SPAN_TYPES[this._kind]} span could not be recorded:`, error);
      return;
    }
    if (shapeKeepers[this._kind] === undefined && makeShapeKeeper !== null) keepShape(this);
    if (wantJson) spanEnded(this);
    if ((status & STATUS_PROCESSOR_BITS) !== 0) nativeStatus(status);
  }

  setError(error) {
    this._error = checkSpanError(error, 'error');
  }

  /** Sends the finished span to the core; returns the core's status bits. */
  _submit(wantJson) {
    const w = wasm();
    const t = this._trace;
    const d = this._data;
    const flags = this._flags | (wantJson ? WANT_JSON : 0);
    let status;
    if (this._kind === FUNCTION && this._error === null && isFastFunctionData(d)) {
      const { name, input, output } = d;
      beginText();
      appendText(name);
      appendText(input);
      appendText(output);
      const keyFlag = appendKey(t);
      if (textIsWellFormed()) {
        this._writeIds(t);
        status = w.span_end_function(this._startedMs, this._endedMs,
          flags | keyFlag | (textIsAscii() ? ASCII : 0), textBytes(), name.length, input.length, output.length);
      } else {
        // A lone surrogate: JSON text keeps it (JSON.stringify escapes it), raw UTF-8 would not.
        status = this._callWithText(w.span_end, flags);
      }
    } else {
      status = this._callWithText(w.span_end, flags);
    }
    if ((status & ERROR) !== 0) throw coreError();
    if ((this._flags & SPAN_ID_GIVEN) === 0) {
      const s = scratchWords();
      this._s0 = s[0]; this._s1 = s[1]; this._s2 = s[2];
      this._flags |= SPAN_ID_GIVEN;
    }
    if (wantJson) this._json = lastJson();
    return status;
  }

  /** Calls `span_end` or `span_json` with the data JSON, error message and error data as text. */
  _callWithText(call, flags) {
    const t = this._trace;
    const e = this._error;
    const json = spanDataJson(this._data, SPAN_TYPES[this._kind]);
    // A message with a lone surrogate goes as its JSON string literal (UTF-8 cannot carry it).
    const messageIsJson = e !== null && !isWellFormed(e.message);
    const message = e === null ? '' : messageIsJson ? JSON.stringify(e.message) : e.message;
    const errorData = e === null ? '' : errorDataJson(e.data);
    beginText();
    appendText(json);
    appendText(message);
    appendText(errorData);
    const keyFlag = appendKey(t);
    this._writeIds(t);
    return call(this._startedMs, this._endedMs,
      flags | keyFlag | (e === null ? 0 : HAS_ERROR) | (messageIsJson ? MESSAGE_IS_JSON : 0) | (textIsAscii() ? ASCII : 0),
      this._kind, textBytes(), json.length, message.length, errorData.length);
  }

  /** Writes this span's ids where the next span call reads them. */
  _writeIds(t) {
    const ids = spanIdWords();
    ids[0] = t._t0; ids[1] = t._t1; ids[2] = t._t2; ids[3] = t._t3;
    ids[4] = this._s0; ids[5] = this._s1; ids[6] = this._s2;
    const p = this._parent;
    if (p !== null) {
      ids[7] = p._s0; ids[8] = p._s1; ids[9] = p._s2;
    }
  }

  toJSON() {
    if (this._json !== undefined) return JSON.parse(this._json);
    this._ensureId();
    const w = wasm();
    const status = this._callWithText(w.span_json, this._flags);
    if ((status & ERROR) !== 0) throw coreError();
    return JSON.parse(lastJson());
  }

  clone() {
    return this;
  }
}

function neutralBuild() {
  return {};
}

/** The span of a disabled or absent trace: records nothing, runs user code unchanged. */
export class NoopSpan {
  /** `build(raw)`, when given, makes the span data on first read (disabled tracing skips it). */
  constructor(data, build, raw) {
    this._data = data;
    this._build = build;
    this._raw = raw;
    this.previousSpan = undefined;
    if (noopShapeKeeper === null) {
      noopShapeKeeper = this;
      noopShapeKeeper = new NoopSpan(undefined, neutralBuild, {});
    }
  }
  get type() { return 'trace.span'; }
  get traceId() { return NOOP_ID; }
  get spanId() { return NOOP_ID; }
  get parentId() { return null; }
  get spanData() {
    if (this._build !== undefined) {
      this._data = this._build(this._raw);
      this._build = undefined;
    }
    return this._data;
  }
  get traceMetadata() { return undefined; }
  get tracingApiKey() { return undefined; }
  get error() { return null; }
  get startedAt() { return null; }
  get endedAt() { return null; }
  start() {}
  end() {}
  setError() {}
  toJSON() { return null; }
  clone() { return this; }
}
