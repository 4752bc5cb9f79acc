// Trace objects: a trace's id crosses as words; its start is one call into the core.
import { wasm, coreError, scratchWords, checked, outputText, lastJson, beginText, appendText, textBytes, textIsAscii, isWellFormed } from './wasm.js';
import { logger } from './logger.js';
import { assignTraceId, hasCustomTraceIds } from './ids.js';
import { hasJsProcessors, traceStarted, traceEnded, nativeStatus } from './registry.js';
import { describe, toJsonText, optionalString, optionalObject, optionalBoolean, isObject } from './validate.js';
import { NOOP_ID } from './spans.js';
import { traceAnchor } from './clock.js';
import {
  TRACE_FLAG_ID_GIVEN as ID_GIVEN, TRACE_FLAG_HAS_DATA_OPTION as HAS_DATA_OPTION,
  TRACE_FLAG_DATA_VALUE as DATA_VALUE, TRACE_FLAG_HAS_AUDIO_OPTION as HAS_AUDIO_OPTION,
  TRACE_FLAG_AUDIO_VALUE as AUDIO_VALUE, TRACE_FLAG_WANT_JSON as WANT_JSON, TRACE_FLAG_ASCII as ASCII,
  TRACE_FLAG_HAS_KEY as HAS_KEY, TRACE_FLAG_NAMES_ARE_JSON as NAMES_ARE_JSON,
  TRACE_FLAG_SAMPLE_KEEP as SAMPLE_KEEP, TRACE_FLAG_SAMPLE_DROP as SAMPLE_DROP,
  TRACE_FLAG_HIDE_INPUTS as HIDE_INPUTS, TRACE_FLAG_HIDE_OUTPUTS as HIDE_OUTPUTS,
  STATUS_ERROR as ERROR, STATUS_PROCESSOR_BITS,
} from '../wasm/abi.js';

// A trace and a no-op trace of neutral values stay reachable, for the reason spans.js keeps
// spans of each kind: their hidden classes (and the code compiled against them) then survive a
// full GC between traces, and no one's name, metadata or key is kept with them.
let shapeKeeper = null;
let noopShapeKeeper = null;

/** A started and ended trace of neutral values (made once): what spans.js's keepers belong to. */
export function traceShapeKeeper() {
  if (shapeKeeper === null) {
    shapeKeeper = new Trace({ name: '', traceId: `trace_${'0'.repeat(32)}` }, {});
    shapeKeeper._json = '';
  }
  return shapeKeeper;
}

function isEmptyObject(value) {
  for (const key in value) return false;
  return Object.getPrototypeOf(value) === Object.prototype;
}

/** Validates metadata (a JSON object) and returns its JSON text ('' for none or `{}`). */
function metadataJson(metadata, name) {
  if (metadata === undefined || metadata === null) return '';
  if (typeof metadata === 'object' && isEmptyObject(metadata)) return '';
  if (!isObject(metadata) || Array.isArray(metadata)) {
    throw new TypeError(`${name} must be an object, got ${describe(metadata)}`);
  }
  const failure = {};
  const text = toJsonText(metadata, failure);
  if (text === undefined) throw new TypeError(`${name} must be JSON-serializable: ${failure.reason}`);
  return text;
}

function optionBits(value, has, set) {
  return value === undefined ? 0 : has | (value ? set : 0);
}

// The global sensitive-data policy as span flags, cached; `refreshPolicy` after it changes.
let globalPolicy = null;

export function refreshPolicy() {
  globalPolicy = wasm().policy_bits(0);
}

function policyFor(options) {
  const flags = optionBits(options.includeSensitiveData, HAS_DATA_OPTION, DATA_VALUE)
    | optionBits(options.includeSensitiveAudioData, HAS_AUDIO_OPTION, AUDIO_VALUE);
  if (flags !== 0) return wasm().policy_bits(flags);
  if (globalPolicy === null) refreshPolicy();
  return globalPolicy;
}

// A trace's choices for the processor chain's stages: its spans carry them too (same bits).
const CHOICE_BITS = SAMPLE_KEEP | SAMPLE_DROP | HIDE_INPUTS | HIDE_OUTPUTS;

function choiceBits(options) {
  return (options.sampled === true ? SAMPLE_KEEP : options.sampled === false ? SAMPLE_DROP : 0)
    | (options.hideInputs === true ? HIDE_INPUTS : 0) | (options.hideOutputs === true ? HIDE_OUTPUTS : 0);
}

/** Options shared by `createTrace` and `withTrace`, validated. */
export function traceOptions(options) {
  const o = optionalObject(options, 'trace options');
  return {
    name: optionalString(o.name, 'options.name') ?? 'Agent workflow',
    traceId: optionalString(o.traceId, 'options.traceId'),
    groupId: optionalString(o.groupId, 'options.groupId'),
    metadata: o.metadata,
    tracingApiKey: optionalString(o.tracingApiKey, 'options.tracingApiKey'),
    disabled: optionalBoolean(o.disabled, 'options.disabled'),
    includeSensitiveData: optionalBoolean(o.includeSensitiveData, 'options.includeSensitiveData'),
    includeSensitiveAudioData: optionalBoolean(o.includeSensitiveAudioData, 'options.includeSensitiveAudioData'),
    sampled: optionalBoolean(o.sampled, 'options.sampled'),
    hideInputs: optionalBoolean(o.hideInputs, 'options.hideInputs'),
    hideOutputs: optionalBoolean(o.hideOutputs, 'options.hideOutputs'),
  };
}

export class Trace {
  /**
   * `new Trace(options)` (as agents-core's; its processor argument is not taken: a trace goes to
   * the registered processors) validates its options; the provider passes them validated.
   */
  constructor(options, policyFlags) {
    if (policyFlags === undefined) {
      options = traceOptions(options);
      policyFlags = options;
    }
    this.name = options.name;
    this.groupId = options.groupId ?? null;
    this.metadata = options.metadata ?? {};
    this.tracingApiKey = options.tracingApiKey;
    this._hasId = false;
    // Id words start as -0, a double: a word past the small-integer range then changes no hidden
    // class (a map change would leave the shape keepers below with an outdated one).
    this._t0 = -0; this._t1 = -0; this._t2 = -0; this._t3 = -0;
    this._idText = undefined;
    this._started = false;
    this._json = undefined;
    this._anchor = traceAnchor();
    this._policy = policyFor(policyFlags) | choiceBits(policyFlags);
    if (options.traceId !== undefined || hasCustomTraceIds()) {
      assignTraceId(this, options.traceId);
      this._hasId = true;
    }
    metadataJson(options.metadata, 'metadata');
  }

  get type() { return 'trace'; }

  get traceId() {
    this._ensureId();
    if (this._idText === undefined) {
      wasm().format_trace_id(this._t0, this._t1, this._t2, this._t3);
      this._idText = outputText();
    }
    return this._idText;
  }

  _ensureId() {
    if (!this._hasId) {
      assignTraceId(this);
      this._hasId = true;
    }
  }

  /**
   * Name, group id ('' for none) and metadata JSON as the core takes them, and the flag saying
   * the first two are JSON string literals: what a lone surrogate needs (UTF-8 cannot carry it;
   * JSON.stringify writes it as an escape).
   */
  _fields() {
    let name = optionalString(this.name, 'trace.name') ?? 'Agent workflow';
    let group = optionalString(this.groupId, 'trace.groupId') ?? '';
    let names = 0;
    if (!isWellFormed(name) || !isWellFormed(group)) {
      name = JSON.stringify(name);
      if (group !== '') group = JSON.stringify(group);
      names = NAMES_ARE_JSON;
    }
    return [name, group, metadataJson(this.metadata, 'trace.metadata'), names];
  }

  /** Starts the trace: processors see it (JS processors are awaited, each isolated). */
  async start() {
    if (this._started) return;
    this._started = true;
    const wantJson = hasJsProcessors();
    const w = wasm();
    let status;
    try {
      const [name, group, metadata, names] = this._fields();
      const key = optionalString(this.tracingApiKey, 'trace.tracingApiKey');
      beginText();
      appendText(name);
      appendText(group);
      appendText(metadata);
      if (key !== undefined) appendText(key);
      status = w.trace_start(this._t0, this._t1, this._t2, this._t3,
        (this._hasId ? ID_GIVEN : 0) | (wantJson ? WANT_JSON : 0) | (textIsAscii() ? ASCII : 0) | (key !== undefined ? HAS_KEY : 0) | names
          | (this._policy & CHOICE_BITS),
        textBytes(), name.length, group.length, metadata.length);
      if ((status & ERROR) !== 0) throw coreError();
    } catch (error) {
      logger.error('trace could not be recorded:', error);
      return;
    }
    if (!this._hasId) {
      const s = scratchWords();
      this._t0 = s[0]; this._t1 = s[1]; this._t2 = s[2]; this._t3 = s[3];
      this._hasId = true;
    }
    if (wantJson) this._json = lastJson();
    if ((status & STATUS_PROCESSOR_BITS) !== 0) nativeStatus(status);
    if (wantJson) await traceStarted(this);
  }

  /** Ends the trace (only if started). */
  async end() {
    if (!this._started) return;
    this._started = false;
    const status = wasm().trace_end(this._t0, this._t1, this._t2, this._t3);
    traceShapeKeeper();
    if ((status & STATUS_PROCESSOR_BITS) !== 0) nativeStatus(status);
    if (hasJsProcessors()) await traceEnded(this);
  }

  clone() {
    return this;
  }

  toJSON(options) {
    this._ensureId();
    const [name, group, metadata, names] = this._fields();
    checked(wasm().trace_json(this._t0, this._t1, this._t2, this._t3, name, group, metadata, names !== 0));
    const json = JSON.parse(outputText());
    if (options?.includeTracingApiKey && this.tracingApiKey) json.tracing_api_key = this.tracingApiKey;
    return json;
  }
}

/** The trace of disabled tracing: spans under it are no-ops, user code runs unchanged. */
export class NoopTrace {
  constructor() {
    this.name = NOOP_ID;
    this.groupId = null;
    this.metadata = {};
    this.tracingApiKey = undefined;
    if (noopShapeKeeper === null) {
      noopShapeKeeper = this;
      noopShapeKeeper = new NoopTrace();
    }
  }
  get type() { return 'trace'; }
  get traceId() { return NOOP_ID; }
  async start() {}
  async end() {}
  clone() { return this; }
  toJSON() { return null; }
}
