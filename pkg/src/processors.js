// What `edgetrace/processors` exports in every runtime (processors-<runtime>.js load its wasm): the processor chain and its stages (sampling, redaction,
// filtering, error tracking, routing). Each stage runs in the core; these classes validate
// options, build the chain inside the wasm module of the `edgetrace` copy they extend, drive its
// age timer and flush, and read its counters.
import { BatchTraceProcessor, forceFlush as flushEdgetrace } from 'edgetrace';
import { core, requireChainModule } from './chain-core.js';
import { TraceAnalyzer, exportItemsOf } from './analysis.js';
import { isObject, describe, optionalObject, optionalNumber, optionalInteger, optionalBoolean, flushTimeout, settleWithin, checkShutdownTimeout } from './validate.js';
import { STATUS_HOLDING, STATUS_RECORDS } from '../wasm/abi.js';

const { wasm, checked, outputText, logger, nativeStatus, unrefTimer, NATIVE_HANDLE, NATIVE_CHAIN, IN_CHAIN, WANTS_SPAN_STARTS, SPAN_TYPES } = core;

const LONGEST_MS = 2 ** 31 - 1;
/** In a flush's options: the process or page is ending (registry.js). */
const FINAL_FLUSH = Symbol.for('edgetrace.finalFlush');
/** How often a chain that holds items decides the ones past their maximum age, at most. */
const AGE_CHECK_MS = 1000;

const chains = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((handle) => wasm().chain_free(handle))
  : null;

/** Validates a list of span types; returns their codes' bit mask. */
function spanTypeMask(types, name) {
  if (!Array.isArray(types)) throw new TypeError(`${name} must be an array of span types, got ${describe(types)}`);
  let mask = 0;
  for (const [i, type] of types.entries()) {
    const code = SPAN_TYPES.indexOf(type);
    if (code < 0) throw new TypeError(`${name}[${i}] must be one of ${SPAN_TYPES.join(', ')}, got ${describe(type)}`);
    mask |= 1 << code;
  }
  return mask;
}

/** A stage: its options now, its place in a chain once one adds it. */
class Stage {
  constructor() {
    this._chain = null;
    this._index = -1;
  }

  /** Called by ProcessorChain: appends the stage to `chain` (once: a stage is in one chain). */
  _attach(chain, handle, name) {
    if (this._chain !== null) throw new TypeError(`${name} is already in a ProcessorChain: make a stage per chain`);
    this._index = checked(this._add(wasm(), handle));
    this._chain = chain;
  }

  /** Builds the stage once in a throwaway chain, so options the core refuses (a pattern it
   * cannot compile, a sensitive key) fail when the stage is made, naming the option. */
  _check() {
    requireChainModule();
    const probe = checked(wasm().chain_new());
    try {
      this._add(wasm(), probe);
    } finally {
      wasm().chain_free(probe);
    }
  }

  /** The stage's counters (all zero before it is in a chain). */
  stats() {
    if (this._chain === null) return this._emptyStats();
    return this._chain._stageStats()[this._index];
  }
}

/** Runs `call`; an error it throws is thrown again, of the same kind, with `option` named first. */
function rethrowNamed(call, option) {
  try {
    call();
  } catch (error) {
    throw new error.constructor(`${option}: ${error.message}`, { cause: error });
  }
}

/**
 * Head sampling: keeps a fraction `ratio` of traces, decided from the trace id (every span of a
 * trace agrees, in every runtime and process). A trace created with `sampled: true | false` is
 * kept or dropped whatever the ratio.
 */
export class HeadSampler extends Stage {
  constructor(options) {
    super();
    const o = optionalObject(options, 'HeadSampler: options');
    this._ratio = optionalNumber(o.ratio, 'options.ratio', 0, 1);
    if (this._ratio === undefined) throw new TypeError('HeadSampler: options.ratio (a number from 0 to 1) is required');
  }
  _add(w, handle) { return w.chain_add_head_sampler(handle, this._ratio); }
  _emptyStats() { return { stage: 'headSampler', tracesKept: 0, tracesDropped: 0, spansKept: 0, spansDropped: 0 }; }
}

/**
 * Tail sampling: holds each trace's items until it ends, then keeps it when a span recorded an
 * error (`keepErrors`, default true), when it lasted longer than `slowerThanMs`, or when it falls
 * in `ratio` (default 0); otherwise drops it. A trace not ended `maxTraceAgeMs` after it was
 * first seen (default 5 minutes) is decided as it stands; items that come after a decision
 * follow it. Memory is bounded by `maxTraces` (1,000), `maxItems` (20,000) and `maxBytes`
 * (16 MiB): past a cap the oldest trace is decided early (counted as `decidedEarly`).
 */
export class TailSampler extends Stage {
  constructor(options) {
    super();
    const o = optionalObject(options, 'TailSampler: options');
    this._ratio = optionalNumber(o.ratio, 'options.ratio', 0, 1) ?? 0;
    this._keepErrors = optionalBoolean(o.keepErrors, 'options.keepErrors') ?? true;
    this._slowerThanMs = optionalNumber(o.slowerThanMs, 'options.slowerThanMs', 0, Number.MAX_VALUE) ?? NaN;
    this._maxAge = optionalNumber(o.maxTraceAgeMs, 'options.maxTraceAgeMs', 0, LONGEST_MS) ?? 300_000;
    this._maxTraces = optionalInteger(o.maxTraces, 'options.maxTraces', 1) ?? 1_000;
    this._maxItems = optionalInteger(o.maxItems, 'options.maxItems', 1) ?? 20_000;
    this._maxBytes = optionalInteger(o.maxBytes, 'options.maxBytes', 1) ?? 16 * 1024 * 1024;
  }
  _add(w, handle) {
    return w.chain_add_tail_sampler(handle, this._ratio, this._keepErrors, this._slowerThanMs, this._maxAge,
      Math.min(this._maxTraces, 2 ** 32 - 1), Math.min(this._maxItems, 2 ** 32 - 1), this._maxBytes);
  }
  _emptyStats() {
    return {
      stage: 'tailSampler', tracesKept: 0, tracesDropped: 0, spansKept: 0, spansDropped: 0, heldTraces: 0,
      heldItems: 0, heldBytes: 0, keptForError: 0, keptForLatency: 0, decidedEarly: 0, decidedByAge: 0, late: 0,
    };
  }
}

/** A pattern as regex-lite takes it: a string, or a RegExp's source with its i/m/s flags. */
function patternSource(pattern, name) {
  if (typeof pattern === 'string') return pattern;
  if (pattern instanceof RegExp) {
    const flags = [...pattern.flags].filter((f) => 'ims'.includes(f)).join('');
    return flags === '' ? pattern.source : `(?${flags})${pattern.source}`;
  }
  throw new TypeError(`${name} must be a string or a RegExp, got ${describe(pattern)}`);
}

/**
 * Redaction, before anything leaves: values under sensitive keys (at any depth) become
 * "[REDACTED]", and matches of the patterns in any string become "[REDACTED:<name>]", in span
 * data (JSON inside function inputs / outputs included), span errors and trace metadata. The
 * secure defaults (`defaults: true`): keys password, secret, token, api_key, authorization,
 * cookie, ... and patterns bearer, openai_key, aws_key, jwt, email, card (Luhn-checked).
 * `keys` and `patterns` ({name: regex}) add to them, `removePatterns` takes defaults out;
 * `hideInputs` / `hideOutputs` hide every span's inputs / outputs (a trace can ask for its own
 * with the trace options of the same names). Patterns use regex-lite's syntax (Rust's regex
 * without Unicode classes).
 */
export class Redactor extends Stage {
  constructor(options) {
    super();
    const o = optionalObject(options, 'Redactor: options');
    this._defaults = optionalBoolean(o.defaults, 'options.defaults') ?? true;
    this._hideInputs = optionalBoolean(o.hideInputs, 'options.hideInputs') ?? false;
    this._hideOutputs = optionalBoolean(o.hideOutputs, 'options.hideOutputs') ?? false;
    const keys = o.keys ?? [];
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) {
      throw new TypeError(`Redactor: options.keys must be an array of strings, got ${describe(keys)}`);
    }
    this._keys = [...keys];
    const patterns = optionalObject(o.patterns, 'options.patterns');
    this._patterns = Object.entries(patterns).map(([name, p]) => [name, patternSource(p, `options.patterns.${name}`)]);
    const removed = o.removePatterns ?? [];
    if (!Array.isArray(removed) || removed.some((k) => typeof k !== 'string')) {
      throw new TypeError(`Redactor: options.removePatterns must be an array of pattern names, got ${describe(removed)}`);
    }
    this._removed = [...removed];
    this._check();
  }
  _add(w, handle) {
    const index = checked(w.chain_add_redactor(handle, this._defaults, this._hideInputs, this._hideOutputs));
    this._keys.forEach((key, i) => rethrowNamed(() => checked(w.chain_redactor_key(handle, index, key)), `Redactor: options.keys[${i}] (${JSON.stringify(key)})`));
    for (const [name, source] of this._patterns) {
      rethrowNamed(() => checked(w.chain_redactor_pattern(handle, index, name, source)), `Redactor: options.patterns.${name}`);
    }
    this._removed.forEach((name, i) => rethrowNamed(() => checked(w.chain_redactor_remove_pattern(handle, index, name)), `Redactor: options.removePatterns[${i}] (${JSON.stringify(name)})`));
    return index;
  }
  _emptyStats() { return { stage: 'redactor', items: 0, keys: 0, patterns: 0, hidden: 0 }; }
}

/** Drops spans by type: `keep: [types]` keeps only those, `drop: [types]` drops those. */
export class SpanFilter extends Stage {
  constructor(options) {
    super();
    const o = optionalObject(options, 'SpanFilter: options');
    if ((o.keep === undefined) === (o.drop === undefined)) {
      throw new TypeError('SpanFilter: give one of options.keep or options.drop (arrays of span types)');
    }
    this._keep = o.keep !== undefined;
    this._mask = spanTypeMask(this._keep ? o.keep : o.drop, this._keep ? 'options.keep' : 'options.drop');
  }
  _add(w, handle) { return w.chain_add_span_filter(handle, this._mask, this._keep); }
  _emptyStats() { return { stage: 'spanFilter', dropped: 0 }; }
}

/**
 * Error tracking: span errors grouped by span type and name, each group with its count, first
 * and last time seen and last message (at most `maxGroups` groups, default 256; errors past it
 * are counted as `ungrouped`). Place it after a Redactor so messages are redacted.
 */
export class ErrorTracker extends Stage {
  constructor(options) {
    super();
    const o = optionalObject(options, 'ErrorTracker: options');
    this._maxGroups = optionalInteger(o.maxGroups, 'options.maxGroups', 1) ?? 256;
  }
  _add(w, handle) { return w.chain_add_error_tracker(handle, Math.min(this._maxGroups, 2 ** 32 - 1)); }
  _emptyStats() { return { stage: 'errorTracker', errors: 0, groups: 0, ungrouped: 0 }; }

  /**
   * The groups: `{type, name, count, firstSeen, lastSeen, lastMessage}` (times as ISO 8601
   * strings). `{clear: true}` forgets them after reading.
   */
  groups(options) {
    const clear = optionalBoolean(optionalObject(options, 'options').clear, 'options.clear') ?? false;
    if (this._chain === null) return [];
    checked(wasm().chain_error_groups(this._chain[NATIVE_HANDLE], this._index, clear));
    return JSON.parse(outputText()).map((g) => ({
      type: g.type, name: g.name, count: g.count, firstSeen: g.first_seen, lastSeen: g.last_seen, lastMessage: g.last_message,
    }));
  }
}

/** snake_case keys of a core record as camelCase (one level deep). */
function camelCase(record) {
  const out = {};
  for (const [key, value] of Object.entries(record)) out[key.replace(/_([a-z])/g, (_, c) => c.toUpperCase())] = value;
  return out;
}

/** A stage that writes records for the host: the chain hands them over after each event. */
class RecordStage extends Stage {
  /** Takes the records waiting in the core, as objects. */
  _takeRecords() {
    checked(wasm().chain_take_records(this._chain[NATIVE_HANDLE], this._index));
    return JSON.parse(outputText()).map(camelCase);
  }
}

/** `options.sinkTimeoutMs`, validated (30 s by default). */
function sinkTimeout(options) {
  return optionalNumber(options.sinkTimeoutMs, 'options.sinkTimeoutMs', 1, LONGEST_MS) ?? 30_000;
}

/**
 * Hands a stage's records to its sink one call at a time: after an event they wait for a 0 ms
 * timer (one call per burst; a call per event costs ~0.8 µs per span), a flush hands them over
 * at once. While a call's promise is pending, records wait in the core (bounded there); a call
 * longer than `timeoutMs` is given up (counted) so the next can start; a failing one is counted.
 */
class SinkWriter {
  constructor(stage, what, write, timeoutMs) {
    this._stage = stage;
    this._what = what;
    this._write = write;
    this._timeoutMs = timeoutMs;
    this._writing = null;
    this._timer = null;
    this.failed = 0;
    this.timedOut = 0;
  }
  /** `take()` returns the records waiting in the core. */
  deliver(now, take) {
    if (now) this._now(take);
    else if (this._timer === null) {
      this._timer = setTimeout(() => {
        this._timer = null;
        this._now(take);
      }, 0);
      unrefTimer(this._timer);
    }
  }
  _now(take) {
    if (this._writing !== null) return;
    const records = take();
    if (records.length === 0) return;
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => {
        this.timedOut += 1;
        logger.error(`${this._stage}: the sink did not settle within ${this._timeoutMs} ms; ${records.length} ${this._what} given up`);
        resolve();
      }, this._timeoutMs);
      unrefTimer(timer);
    });
    const call = (async () => this._write(records))().catch((error) => {
      this.failed += 1;
      logger.error(`${this._stage}: the sink failed; ${records.length} ${this._what} not written:`, error);
    });
    this._writing = Promise.race([call, timedOut]).then(() => {
      clearTimeout(timer);
      this._writing = null;
      this._now(take);
    });
  }
  /** Resolves when the call in flight (and what waited behind it) is done. */
  async settled() {
    while (this._writing !== null) await this._writing;
  }
}

/** A time as ms since the epoch: a Date, an ISO string or a number; NaN for none. */
function epochMs(value, name) {
  if (value === undefined) return NaN;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError(`${name} must be a Date, an ISO 8601 string or ms since the epoch, got ${describe(value)}`);
  return ms;
}

/**
 * The trace store: completed traces (their export items) in memory, at most `maxTraces` (1,000)
 * and `maxBytes` (64 MiB; the oldest evicted first, counted); `query({workflowName, groupId,
 * since, until, hasError, limit})`, `items(traceId)`, `jsonl(traceId)`, `deleteBefore(date)`
 * (retention), `analyze(query)`. With `sink(traces)` each completed trace is also handed over as
 * `{traceId, jsonl}` (one item a line), batched, one call at a time (at most `maxPendingTraces`,
 * 1,000, wait meanwhile; the oldest dropped past it, counted): `jsonlFileSink(path)` (Node, Deno,
 * Bun), `kvSink(namespace)` and `r2Sink(bucket)` (Workers).
 */
export class TraceStore extends RecordStage {
  constructor(options) {
    super();
    const o = optionalObject(options, 'TraceStore: options');
    this._maxTraces = optionalInteger(o.maxTraces, 'options.maxTraces', 1) ?? 1_000;
    this._maxBytes = optionalInteger(o.maxBytes, 'options.maxBytes', 1) ?? 64 * 1024 * 1024;
    if (o.sink !== undefined && typeof o.sink !== 'function') throw new TypeError(`TraceStore: options.sink must be a function (traces) => void | Promise, got ${describe(o.sink)}`);
    this._maxPending = o.sink === undefined ? 0 : optionalInteger(o.maxPendingTraces, 'options.maxPendingTraces', 1) ?? 1_000;
    const sink = o.sink;
    this._writer = sink === undefined ? null : new SinkWriter('TraceStore', 'traces', (traces) => sink(traces), sinkTimeout(o));
  }
  _add(w, handle) {
    return w.chain_add_trace_store(handle, Math.min(this._maxTraces, 2 ** 32 - 1), this._maxBytes, Math.min(this._maxPending, 2 ** 32 - 1));
  }
  _emptyStats() {
    return { stage: 'traceStore', sinkWritten: 0, sinkDropped: 0, sinkDelivered: 0, sinkPending: 0, traces: 0, bytes: 0, stored: 0, evicted: 0, deleted: 0, forgotten: 0, sinkFailed: 0, sinkTimedOut: 0 };
  }
  stats() {
    return { ...super.stats(), sinkFailed: this._writer?.failed ?? 0, sinkTimedOut: this._writer?.timedOut ?? 0 };
  }
  _deliver(now) {
    this._writer?.deliver(now, () => {
      checked(wasm().chain_take_records(this._chain[NATIVE_HANDLE], this._index));
      return JSON.parse(outputText()).map((jsonl) => ({ traceId: JSON.parse(jsonl.slice(0, jsonl.indexOf('\n'))).id, jsonl }));
    });
  }
  _settled() { return this._writer?.settled() ?? Promise.resolve(); }
  _requireChain(method) {
    if (this._chain === null) throw new Error(`TraceStore.${method}: the store is not in a ProcessorChain yet`);
    return this._chain[NATIVE_HANDLE];
  }

  /** Summaries `{traceId, workflowName, groupId, startedAt, endedAt, spans, hasError}`, newest first. */
  query(filter) {
    const f = optionalObject(filter, 'query: filter');
    const text = (value, name) => {
      if (value !== undefined && typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${describe(value)}`);
      return value;
    };
    const hasError = optionalBoolean(f.hasError, 'filter.hasError');
    const handle = this._requireChain('query');
    checked(wasm().chain_store_query(handle, this._index, text(f.workflowName, 'filter.workflowName'), text(f.groupId, 'filter.groupId'),
      epochMs(f.since, 'filter.since'), epochMs(f.until, 'filter.until'), hasError === undefined ? 0 : hasError ? 1 : 2,
      optionalInteger(f.limit, 'filter.limit', 1) ?? 0));
    return JSON.parse(outputText());
  }
  /** A stored trace's items as JSONL (trace item first), or undefined. */
  jsonl(traceId) {
    if (typeof traceId !== 'string') throw new TypeError(`traceId must be a string, got ${describe(traceId)}`);
    return checked(wasm().chain_store_items(this._requireChain('jsonl'), this._index, traceId)) === 1 ? outputText() : undefined;
  }
  /** A stored trace's items (`toJSON()` objects), or undefined. */
  items(traceId) {
    const jsonl = this.jsonl(traceId);
    return jsonl === undefined ? undefined : exportItemsOf(jsonl, traceId);
  }
  /** Removes the traces that ended before `date` (a Date, ISO string or ms); returns how many. */
  deleteBefore(date) {
    return checked(wasm().chain_store_delete_before(this._requireChain('deleteBefore'), this._index, epochMs(date, 'date')));
  }
  /** The analysis (TraceAnalyzer's `analyze()`) of the stored traces that match `filter`. */
  analyze(filter) {
    const analyzer = new TraceAnalyzer();
    for (const { traceId } of this.query(filter)) analyzer.addFile(this.jsonl(traceId), traceId);
    return analyzer.analyze();
  }
}

/** A TraceStore sink appending each trace's JSONL to a file (Node, Deno, Bun: `node:fs`). */
export function jsonlFileSink(path) {
  if (typeof path !== 'string' || path === '') throw new TypeError(`jsonlFileSink: path must be a file path, got ${describe(path)}`);
  let fs = null;
  // Not a literal import: bundles for browsers and Workers must not try to resolve node:fs.
  const specifier = 'node:fs/promises';
  return async (traces) => {
    fs ??= globalThis.process?.getBuiltinModule?.('node:fs/promises') ?? await import(specifier);
    await fs.appendFile(path, traces.map((t) => t.jsonl).join(''));
  };
}

/** A TraceStore sink putting each trace's JSONL in a Workers KV namespace, under `prefix + traceId`. */
export function kvSink(namespace, options) {
  if (!isObject(namespace) || typeof namespace.put !== 'function') throw new TypeError(`kvSink: namespace must be a KV namespace binding, got ${describe(namespace)}`);
  const o = optionalObject(options, 'kvSink: options');
  const prefix = o.prefix ?? 'trace/';
  const put = o.expirationTtl === undefined ? {} : { expirationTtl: optionalInteger(o.expirationTtl, 'options.expirationTtl', 60) };
  return (traces) => Promise.all(traces.map((t) => namespace.put(`${prefix}${t.traceId}`, t.jsonl, put)));
}

/** A TraceStore sink putting each trace's JSONL in an R2 bucket, as `prefix + traceId + '.jsonl'`. */
export function r2Sink(bucket, options) {
  if (!isObject(bucket) || typeof bucket.put !== 'function') throw new TypeError(`r2Sink: bucket must an R2 bucket binding, got ${describe(bucket)}`);
  const prefix = optionalObject(options, 'r2Sink: options').prefix ?? 'traces/';
  return (traces) => Promise.all(traces.map((t) => bucket.put(`${prefix}${t.traceId}.jsonl`, t.jsonl, { httpMetadata: { contentType: 'application/x-ndjson' } })));
}

function checkThreshold(rule, name) {
  const ms = optionalNumber(rule.thresholdMs, `${name}.thresholdMs`, 0, Number.MAX_VALUE);
  if (ms === undefined) throw new TypeError(`${name}.thresholdMs (milliseconds) is required`);
  return ms;
}

/**
 * Performance alerts: `onAlert(alert)` is called when a span (of `spanType` and / or `name`, any
 * when not given) or, with `traces: true`, a whole trace (first span start to last span end)
 * takes longer than `thresholdMs`. `alert`: `{kind: 'span' | 'trace', traceId, spanId?,
 * spanType?, name?, workflowName?, durationMs, thresholdMs}`. Calls happen after the event that
 * crossed the threshold; a callback that throws is logged. At most `maxPending` alerts (1,000)
 * wait between calls (the oldest dropped past it, counted).
 */
export class PerfAlerts extends RecordStage {
  constructor(options) {
    super();
    if (!isObject(options) || !Array.isArray(options.rules) || typeof options.onAlert !== 'function') {
      throw new TypeError(`PerfAlerts: options must be {rules: [{spanType?, name?, traces?, thresholdMs}], onAlert(alert)}, got ${describe(options)}`);
    }
    this._rules = options.rules.map((rule, i) => {
      const name = `options.rules[${i}]`;
      if (!isObject(rule)) throw new TypeError(`${name} must be {spanType?, name?, traces?, thresholdMs}, got ${describe(rule)}`);
      const traces = optionalBoolean(rule.traces, `${name}.traces`) ?? false;
      const kind = rule.spanType === undefined ? -1 : SPAN_TYPES.indexOf(rule.spanType);
      if (rule.spanType !== undefined && kind < 0) throw new TypeError(`${name}.spanType must be one of ${SPAN_TYPES.join(', ')}, got ${describe(rule.spanType)}`);
      if (rule.name !== undefined && typeof rule.name !== 'string') throw new TypeError(`${name}.name must be a string, got ${describe(rule.name)}`);
      if (traces && (rule.spanType !== undefined || rule.name !== undefined)) throw new TypeError(`${name}: a trace rule takes no spanType or name`);
      return { traces, kind, name: rule.name, thresholdMs: checkThreshold(rule, name) };
    });
    this._onAlert = options.onAlert;
    this._maxPending = optionalInteger(options.maxPending, 'options.maxPending', 1) ?? 1_000;
  }
  _add(w, handle) {
    const index = checked(w.chain_add_perf_alerts(handle, Math.min(this._maxPending, 2 ** 32 - 1), 10_000));
    for (const r of this._rules) {
      checked(w.chain_perf_alert_rule(handle, index, r.traces, r.kind < 0, Math.max(r.kind, 0), r.name === undefined, r.name ?? '', r.thresholdMs));
    }
    return index;
  }
  _emptyStats() { return { stage: 'perfAlerts', written: 0, dropped: 0, delivered: 0, pending: 0 }; }
  _deliver() {
    for (const { rule, ...alert } of this._takeRecords()) {
      alert.thresholdMs = this._rules[rule].thresholdMs;
      try {
        const result = this._onAlert(alert);
        if (typeof result?.then === 'function') result.then(undefined, (error) => logger.error('PerfAlerts: onAlert rejected:', error));
      } catch (error) {
        logger.error('PerfAlerts: onAlert threw:', error);
      }
    }
  }
  _settled() { return Promise.resolve(); }
}

/**
 * The compliance log: one record per trace, `{traceId, workflowName, groupId, who, startedAt,
 * endedAt, spans, errors, spanTypes, complete}`, where `who` holds the trace metadata values of
 * `keys` (a key a redactor treats as sensitive is refused; values cut to 128 bytes): never span
 * data, errors or secrets. Written when the trace ends (or, `complete: false`, when it is
 * forgotten past 10,000 open traces) to `sink(records)`, one call at a time: while a call's
 * promise is pending, records wait in the core, at most `maxRecords` (1,000; past it
 * `dropPolicy` 'drop-oldest' (default) or 'drop-newest' applies, counted). A call that takes
 * longer than `sinkTimeoutMs` (30 s) is given up (counted) so the next can start.
 */
export class ComplianceLog extends RecordStage {
  constructor(options) {
    super();
    if (!isObject(options) || typeof options.sink !== 'function') {
      throw new TypeError(`ComplianceLog: options must be {keys?, sink(records), maxRecords?, dropPolicy?}, got ${describe(options)}`);
    }
    const keys = options.keys ?? [];
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) {
      throw new TypeError(`ComplianceLog: options.keys must be an array of metadata keys, got ${describe(keys)}`);
    }
    const policy = options.dropPolicy ?? 'drop-oldest';
    if (policy !== 'drop-oldest' && policy !== 'drop-newest') {
      throw new TypeError(`ComplianceLog: options.dropPolicy must be 'drop-oldest' or 'drop-newest', got ${describe(policy)}`);
    }
    this._keys = [...keys];
    this._dropOldest = policy === 'drop-oldest';
    this._maxRecords = optionalInteger(options.maxRecords, 'options.maxRecords', 1) ?? 1_000;
    const sink = options.sink;
    this._writer = new SinkWriter('ComplianceLog', 'records', (records) => sink(records), sinkTimeout(options));
    this._check();
  }
  _add(w, handle) {
    const index = checked(w.chain_add_compliance_log(handle, Math.min(this._maxRecords, 2 ** 32 - 1), this._dropOldest, 10_000));
    this._keys.forEach((key, i) => rethrowNamed(() => checked(w.chain_compliance_key(handle, index, key)), `ComplianceLog: options.keys[${i}] (${JSON.stringify(key)})`));
    return index;
  }
  _emptyStats() { return { stage: 'complianceLog', written: 0, dropped: 0, delivered: 0, pending: 0, sinkFailed: 0, sinkTimedOut: 0 }; }
  stats() {
    return { ...super.stats(), sinkFailed: this._writer.failed, sinkTimedOut: this._writer.timedOut };
  }
  _deliver(now) { this._writer.deliver(now, () => this._takeRecords()); }
  _settled() { return this._writer.settled(); }
}

/**
 * Live events: `onEvent({type, item})` as each trace starts (`trace.start`), each span starts
 * (`span.start`, its item with `ended_at: null`) and ends (`span.end`), and each trace ends
 * (`trace.end`, item `{id}`), in order, right after it happens (a 0 ms timer later, so a burst
 * is handed over at once; a flush hands them over at once too), with the item as the stages before left it
 * (redacted, say): what a live view needs to show a trace while it runs. With this stage in a
 * registered chain, span starts cross into the core (they do not otherwise). A callback that
 * throws is logged. At most `maxPending` events (10,000) wait between calls (the oldest dropped
 * past it, counted).
 */
export class LiveEvents extends RecordStage {
  constructor(options) {
    super();
    if (!isObject(options) || typeof options.onEvent !== 'function') {
      throw new TypeError(`LiveEvents: options must be {onEvent(event), maxPending?}, got ${describe(options)}`);
    }
    this._onEvent = options.onEvent;
    this._timer = null;
    this._maxPending = optionalInteger(options.maxPending, 'options.maxPending', 1) ?? 10_000;
  }
  _add(w, handle) { return w.chain_add_live_events(handle, Math.min(this._maxPending, 2 ** 32 - 1)); }
  _emptyStats() { return { stage: 'liveEvents', written: 0, dropped: 0, delivered: 0, pending: 0 }; }
  /** After an event, events wait for a 0 ms timer (one hand-over per burst: one per event cost
   * ~9 µs per span); a flush hands them over at once. */
  _deliver(now) {
    if (now) this._deliverNow();
    else if (this._timer === undefined || this._timer === null) {
      this._timer = setTimeout(() => {
        this._timer = null;
        this._deliverNow();
      }, 0);
      unrefTimer(this._timer);
    }
  }
  _deliverNow() {
    checked(wasm().chain_take_records(this._chain[NATIVE_HANDLE], this._index));
    for (const event of JSON.parse(outputText())) {
      try {
        const result = this._onEvent(event);
        if (typeof result?.then === 'function') result.then(undefined, (error) => logger.error('LiveEvents: onEvent rejected:', error));
      } catch (error) {
        logger.error('LiveEvents: onEvent threw:', error);
      }
    }
  }
  _settled() { return Promise.resolve(); }
}

/**
 * A JS function in a chain: it receives each item as the stages before it left it (the export
 * item, the `toJSON()` shape: `{object: 'trace', ...}` or `{object: 'trace.span', ...}`), and
 * returns the item to pass on (changed or a new object), `undefined` to pass it on as it is (with
 * the changes it made), or `null` to drop it. It runs synchronously, right after the event; one
 * that throws, returns a promise or an item that is not a valid export item drops that item
 * (counted as `failed`, logged), so a broken redaction function never lets data through.
 */
class FunctionStage extends RecordStage {
  constructor(fn) {
    super();
    this._fn = fn;
    this._dropped = 0;
    this._failed = 0;
  }
  _add(w, handle) { return w.chain_add_host_stage(handle); }
  _emptyStats() { return { stage: 'function', items: 0, overflow: 0, dropped: 0, failed: 0 }; }
  stats() {
    return { ...super.stats(), dropped: this._dropped, failed: this._failed };
  }
  _fail(message, error) {
    this._failed += 1;
    logger.error(`ProcessorChain: a function stage ${message}; the item is dropped:`, error);
  }
  /** The item `fn` passes on, as JSON; undefined when it drops it or fails. */
  _run(item) {
    let result;
    try {
      result = this._fn(item);
    } catch (error) {
      this._fail('threw', error);
      return undefined;
    }
    if (result === null) {
      this._dropped += 1;
      return undefined;
    }
    if (typeof result?.then === 'function') {
      result.then(undefined, () => {});
      this._fail('returned a promise (chain functions run synchronously)', undefined);
      return undefined;
    }
    try {
      return JSON.stringify(result === undefined ? item : result);
    } catch (error) {
      this._fail('returned an item JSON cannot hold', error);
      return undefined;
    }
  }
  _deliver() {
    const w = wasm();
    const handle = this._chain[NATIVE_HANDLE];
    checked(w.chain_take_records(handle, this._index));
    for (const event of JSON.parse(outputText())) {
      let status;
      if (event.end !== undefined) {
        status = checked(w.chain_feed_end(handle, this._index, event.end));
      } else {
        const json = this._run(event.item);
        if (json === undefined) continue;
        try {
          status = checked(w.chain_feed_item(handle, this._index, json, event.key !== null, event.key ?? '', event.flags));
        } catch (error) {
          this._fail('returned something that is not an export item', error);
          continue;
        }
      }
      this._chain._onCoreStatus(status);
    }
  }
  _settled() { return Promise.resolve(); }
}

function processorList(value, name) {
  const list = Array.isArray(value) ? value : [value];
  list.forEach((p, i) => checkSink(p, list.length === 1 ? name : `${name}[${i}]`));
  return list;
}

function checkSink(processor, name) {
  if (!(processor instanceof BatchTraceProcessor)) {
    throw new TypeError(`${name} must be a BatchTraceProcessor (a chain feeds processors that run in the core), got ${describe(processor)}`);
  }
  if (processor[IN_CHAIN] !== undefined) throw new TypeError(`${name} is already fed by a ProcessorChain`);
}

/**
 * Sends each trace's items to the processors of one route: by the value of a trace metadata key
 * (`byMetadata: 'tenant'`, a trace's spans following their trace) or by span type
 * (`bySpanType: true`, trace items going to every route). `routes` maps values to a processor or
 * an array of them; `otherwise` takes what matches no route, else it is dropped (counted as
 * `unrouted`): one tenant's items never reach another's processors. A metadata router remembers
 * the routes of `maxOpenTraces` open traces (10,000); spans of a trace it forgot, or that ended,
 * go nowhere (counted).
 */
export class Router {
  constructor(options) {
    if (!isObject(options)) throw new TypeError(`Router: options must be {byMetadata | bySpanType, routes, otherwise?}, got ${describe(options)}`);
    const bySpanType = optionalBoolean(options.bySpanType, 'options.bySpanType') ?? false;
    const key = options.byMetadata;
    if (bySpanType === (key !== undefined)) throw new TypeError('Router: give one of options.byMetadata (a metadata key) or options.bySpanType: true');
    if (key !== undefined && (typeof key !== 'string' || key === '')) throw new TypeError(`Router: options.byMetadata must be a non-empty string, got ${describe(key)}`);
    if (!isObject(options.routes)) throw new TypeError(`Router: options.routes must be an object of value: processor(s), got ${describe(options.routes)}`);
    this._bySpanType = bySpanType;
    this._key = key ?? '';
    this._routes = Object.entries(options.routes).map(([value, p]) => {
      if (bySpanType && !SPAN_TYPES.includes(value)) throw new TypeError(`Router: options.routes.${value} is not a span type (${SPAN_TYPES.join(', ')})`);
      return [value, processorList(p, `options.routes.${value}`)];
    });
    this._otherwise = options.otherwise === undefined ? null : processorList(options.otherwise, 'options.otherwise');
    if (this._routes.length === 0 && this._otherwise === null) {
      throw new TypeError('Router: options.routes is empty and there is no options.otherwise: every item would go nowhere');
    }
    this._maxOpen = optionalInteger(options.maxOpenTraces, 'options.maxOpenTraces', 1) ?? 10_000;
    this._chain = null;
  }

  /** Every processor on a route, once each. */
  _processors() {
    const all = this._routes.flatMap(([, list]) => list).concat(this._otherwise ?? []);
    return [...new Set(all)];
  }

  _attach(chain, handle) {
    if (this._chain !== null) throw new TypeError('Router is already in a ProcessorChain');
    const w = wasm();
    checked(w.chain_set_router(handle, this._bySpanType, this._key, JSON.stringify(this._routes.map(([v]) => v)),
      this._otherwise !== null, Math.min(this._maxOpen, 2 ** 32 - 1)));
    const lists = this._routes.map(([, list]) => list).concat(this._otherwise === null ? [] : [this._otherwise]);
    lists.forEach((list, route) => {
      for (const p of list) checked(w.chain_add_route_batch(handle, route, p[NATIVE_HANDLE]));
    });
    this._chain = chain;
  }

  /** Items sent down each route (`{value: count}`, `otherwise` last), and `unrouted`. */
  stats() {
    const routed = {};
    const counts = this._chain === null ? null : this._chain._stageStats().at(-1).routed;
    this._routes.forEach(([value], i) => { routed[value] = counts?.[i] ?? 0; });
    if (this._otherwise !== null) routed.otherwise = counts?.[this._routes.length] ?? 0;
    return { stage: 'router', routed, unrouted: this._chain === null ? 0 : this._chain._stageStats().at(-1).unrouted };
  }
}

const STAGE_TYPES = [HeadSampler, TailSampler, Redactor, SpanFilter, ErrorTracker, PerfAlerts, ComplianceLog, LiveEvents, TraceStore];

/**
 * A processor chain: stages that run in order inside the core on every trace start and span end
 * (what a stage passes on is what the next sees; a plain function is a stage too, see
 * FunctionStage), then the processors it feeds: one or more BatchTraceProcessors, or one Router. Register the chain (`addTraceProcessor(chain)`), not the
 * processors it feeds. Processors registered on their own keep the SDK's semantics and see
 * items unredacted.
 *
 *   new ProcessorChain([new TailSampler({ ratio: 0.1 }), new Redactor(), new BatchTraceProcessor(exporter)])
 */
export class ProcessorChain {
  constructor(parts) {
    if (!Array.isArray(parts) || parts.length === 0) {
      throw new TypeError(`ProcessorChain: expects an array of stages followed by processors or a Router, got ${describe(parts)}`);
    }
    const isStage = (p) => typeof p === 'function' || STAGE_TYPES.some((type) => p instanceof type);
    const firstSink = parts.findIndex((p) => !isStage(p));
    if (firstSink < 0) throw new TypeError('ProcessorChain: the stages must be followed by at least one BatchTraceProcessor or a Router');
    const stages = parts.slice(0, firstSink).map((p) => (typeof p === 'function' ? new FunctionStage(p) : p));
    const sinks = parts.slice(firstSink);
    let router = null;
    if (sinks[0] instanceof Router) {
      if (sinks.length > 1) throw new TypeError('ProcessorChain: a Router must be the last part of a chain');
      router = sinks[0];
    } else {
      sinks.forEach((p, i) => {
        if (isStage(p)) throw new TypeError(`ProcessorChain: parts[${firstSink + i}]: stages must come before the processors`);
        checkSink(p, `parts[${firstSink + i}]`);
      });
      if (new Set(sinks).size !== sinks.length) throw new TypeError('ProcessorChain: a processor appears twice');
    }
    requireChainModule();
    const w = wasm();
    const handle = checked(w.chain_new());
    try {
      stages.forEach((stage, i) => stage._attach(this, handle, `parts[${i}]`));
      if (router !== null) router._attach(this, handle);
      else for (const p of sinks) checked(w.chain_add_batch(handle, p[NATIVE_HANDLE]));
    } catch (error) {
      w.chain_free(handle);
      throw error;
    }
    this[NATIVE_HANDLE] = handle;
    this[NATIVE_CHAIN] = true;
    this[WANTS_SPAN_STARTS] = stages.some((stage) => stage instanceof LiveEvents);
    chains?.register(this, handle);
    this._stages = stages;
    this._router = router;
    this._processors = router === null ? sinks : router._processors();
    for (const p of this._processors) p[IN_CHAIN] = this;
    this._ageTimer = null;
    this._shutdown = null;
    this._delivering = false;
    this._deliverAgain = false;
  }

  /** Counters of every stage, in order (then the router's): what each stage's `stats()` reads. */
  _stageStats() {
    checked(wasm().chain_stats(this[NATIVE_HANDLE]));
    return JSON.parse(outputText());
  }

  /**
   * The chain's counters: each stage's (and the router's) in order, and the processors' own
   * `stats()`.
   */
  stats() {
    const stages = this._stages.map((stage) => stage.stats());
    if (this._router !== null) stages.push(this._router.stats());
    return { stages, processors: this._processors.map((p) => p.stats()) };
  }

  /** Items waiting: held by stages, or queued in the processors (for the exit flush). */
  _pending() {
    const held = this._stageStats().reduce((sum, s) => sum + (s.heldItems ?? 0), 0);
    return this._processors.reduce((sum, p) => sum + p._pending(), held);
  }

  /** The core's status bits after an event: records to hand over, the age timer, and the processors' timers. */
  _onCoreStatus(status) {
    if ((status & STATUS_RECORDS) !== 0) this._deliverRecords();
    if ((status & STATUS_HOLDING) !== 0) this._armAgeCheck();
    for (const p of this._processors) p._onCoreStatus(status);
  }

  /** Hands what waits to each record stage, until nothing waits (feeding a function stage's
   * items on may make more: those are handed over in the same loop, not re-entered). `now`: a
   * flush (stages that batch their hand-over do it now). */
  _deliverRecords(now = false) {
    if (this._delivering) {
      this._deliverAgain = true;
      return;
    }
    this._delivering = true;
    try {
      do {
        this._deliverAgain = false;
        for (const stage of this._stages) {
          if (!(stage instanceof RecordStage)) continue;
          try {
            stage._deliver(now);
          } catch (error) {
            logger.error('processor chain: handing over records failed:', error);
          }
        }
      } while (this._deliverAgain);
    } finally {
      this._delivering = false;
    }
  }

  /** Hands over what waits and resolves when the record stages' sinks are done. */
  _settleRecords() {
    this._deliverRecords(true);
    return Promise.all(this._stages.filter((s) => s instanceof RecordStage).map((s) => s._settled()));
  }

  _armAgeCheck() {
    if (this._ageTimer !== null || this._shutdown !== null) return;
    const delay = Math.min(AGE_CHECK_MS, ...this._stages.filter((s) => s instanceof TailSampler).map((s) => s._maxAge));
    this._ageTimer = setTimeout(() => {
      this._ageTimer = null;
      try {
        this._onCoreStatus(checked(wasm().chain_tick(this[NATIVE_HANDLE], Date.now())));
      } catch (error) {
        logger.error('processor chain: deciding held traces failed:', error);
      }
    }, delay);
    unrefTimer(this._ageTimer);
  }

  /** Decides what stages hold (`all`: as it stands; else what reached its maximum age) and
   * passes it on; returns the status bits. */
  _decideHeld(all) {
    try {
      const w = wasm();
      return checked(all ? w.chain_flush(this[NATIVE_HANDLE]) : w.chain_tick(this[NATIVE_HANDLE], Date.now()));
    } catch (error) {
      logger.error('processor chain: flushing held traces failed:', error);
      return 0;
    }
  }

  /** Starts the processors' export loops. */
  start() {
    for (const p of this._processors) p.start();
  }

  onTraceStart() {}
  onTraceEnd() {}
  onSpanStart() {}
  onSpanEnd() {}

  /**
   * Decides the held traces that reached their maximum age (traces still open and young go on
   * waiting for their end: in a Worker, other requests' runs), hands over waiting records and
   * flushes the processors; resolves when they are flushed, or after `timeoutMs`. Never rejects.
   * The flush a process or page ends with (and a `keepalive` one) decides every held trace, as it
   * stands.
   */
  forceFlush(options) {
    const timeoutMs = flushTimeout(options, 'forceFlush: options');
    const final = options?.keepalive === true || options?.[FINAL_FLUSH] === true;
    this._onCoreStatus(this._decideHeld(final) & ~STATUS_HOLDING);
    const done = Promise.all([this._settleRecords(), ...this._processors.map((p) => p.forceFlush(options))]);
    return settleWithin(done, timeoutMs);
  }

  /** Decides what the stages hold, then shuts the processors down (once). Never rejects. */
  shutdown(timeout) {
    checkShutdownTimeout(timeout);
    if (this._shutdown === null) {
      if (this._ageTimer !== null) clearTimeout(this._ageTimer);
      this._ageTimer = null;
      this._onCoreStatus(this._decideHeld(true) & ~STATUS_HOLDING);
      this._shutdown = Promise.all([this._settleRecords(), ...this._processors.map((p) => p.shutdown(timeout))]).then(() => undefined);
    }
    return timeout === undefined ? this._shutdown : settleWithin(this._shutdown, timeout);
  }
}

/**
 * The adapter for `@openai/agents` / `@openai/agents-core`: a TracingProcessor to register there
 * (`addTraceProcessor(agentsCoreProcessor())`) that hands the SDK's own traces and spans (their
 * `toJSON()`, as the SDK shaped them) to the processors registered with edgetrace: its
 * ProcessorChains (sampling, redaction, routing, analysis, the store) and BatchTraceProcessors.
 * `forceFlush` / `shutdown` flush edgetrace's processors. A failure is logged, never thrown into
 * the SDK.
 */
export function agentsCoreProcessor() {
  const feed = (item, key) => {
    const json = item?.toJSON?.();
    if (json === null || json === undefined) return;
    try {
      nativeStatus(checked(wasm().ingest_item(JSON.stringify(json), typeof key === 'string', key ?? '')));
    } catch (error) {
      logger.error('agentsCoreProcessor: an item could not be recorded:', error);
    }
  };
  return {
    async onTraceStart(trace) { feed(trace, trace?.tracingApiKey); },
    async onTraceEnd(trace) {
      try {
        if (typeof trace?.traceId === 'string' && trace.traceId !== 'no-op') nativeStatus(checked(wasm().ingest_trace_end(trace.traceId)));
      } catch (error) {
        logger.error('agentsCoreProcessor: a trace end could not be recorded:', error);
      }
    },
    async onSpanStart() {},
    async onSpanEnd(span) { feed(span, span?.tracingApiKey); },
    forceFlush: () => flushEdgetrace(),
    shutdown: () => flushEdgetrace(),
  };
}

for (const [name, value] of Object.entries({ ProcessorChain, HeadSampler, TailSampler, Redactor, SpanFilter, ErrorTracker, PerfAlerts, ComplianceLog, LiveEvents, TraceStore, Router })) {
  Object.defineProperty(value, 'name', { value: name, configurable: true });
}
