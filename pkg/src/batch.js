// BatchTraceProcessor: the queue and its counters live in wasm memory (items serialized when
// they are queued; the core decides when an export may start: one at a time). This class drives
// time (the schedule delay, the export time bound) and hands batches to the exporter.
import { wasm, scratchWords, checked, outputBytes, outputText, outputWords } from './wasm.js';
import { logger } from './logger.js';
import { NATIVE_HANDLE } from './registry.js';
import { isObject, describe, optionalObject, optionalInteger, optionalNumber, flushTimeout, settleWithin, checkShutdownTimeout } from './validate.js';
import {
  BATCH_DEFAULTS, EXPORT_KIND_SCHEDULED, EXPORT_KIND_ALL, EXPORT_KIND_KEEPALIVE, EXPORT_OUTCOME_DELIVERED,
  EXPORT_OUTCOME_FAILED, STATUS_EXPORT_NOW, STATUS_TIMER, BATCH_STAT_QUEUED, BATCH_STAT_DROPPED,
  BATCH_STAT_EXPORTED, BATCH_STAT_FAILED, BATCH_STAT_PENDING, BATCH_STAT_IN_FLIGHT, BATCH_STAT_REFUSED,
  BATCH_STAT_TIMED_OUT, BATCH_STAT_TRUNCATED, BATCH_STAT_FLATTENED,
} from '../wasm/abi.js';

/**
 * Set on exporters that send to the OpenAI ingest endpoint (`true`, or `{omitReasoning}`): their
 * items are shaped by its rules when queued.
 */
export const INGEST_LIMITS = Symbol.for('edgetrace.ingestLimits');

/**
 * Set on exporters that know how long one export may take them, retries included (ms): the
 * processor's default `exportTimeout` for them.
 */
export const EXPORT_BUDGET = Symbol.for('edgetrace.exportBudget');

/** What keepalive requests may carry in all (browsers cap them at 64 KB in flight). */
const KEEPALIVE_BUDGET = 60_000;
const LONGEST_MS = 2 ** 31 - 1;
const decoder = new TextDecoder();

let loopByDefault = false;

/** Lets the process exit while a timer waits (Node/Bun timer objects, Deno ids). */
export function unrefTimer(timer) {
  if (typeof timer === 'object') timer?.unref?.();
  else globalThis.Deno?.unrefTimer?.(timer);
}

/** Set by runtime entries whose timers may run in the background (Node, Deno, Bun). */
export function setExportLoopByDefault(enabled) {
  loopByDefault = enabled;
}

// A collected processor's queue is freed inside the module (its slot is reused).
const queues = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((handle) => wasm().batch_free(handle))
  : null;

const DOT = 46;

/**
 * A queued item as exporters receive it: its `type`, ids, and `toJSON()` (the SDK's item). It
 * points into its batch (`{bytes, ends}`: the items back to back, each followed by a comma) and
 * is decoded only when read.
 */
export class ExportedItem {
  constructor(batch, index) {
    if (!isObject(batch) || !(batch.bytes instanceof Uint8Array)) {
      throw new TypeError('new ExportedItem() is internal to edgetrace: BatchTraceProcessor makes the items it hands to exporters');
    }
    this._batch = batch;
    this._index = index;
  }
  /** The export key of the item's trace, when the trace has its own (`tracingApiKey`). */
  get tracingApiKey() {
    return this._batch.apiKey;
  }
  get type() {
    // `{"object":"trace",` vs `{"object":"trace.span",`: byte 16 is the quote or the dot.
    return this._batch.bytes[this._startByte() + 16] === DOT ? 'trace.span' : 'trace';
  }
  _startByte() {
    return this._index === 0 ? 0 : this._batch.ends[this._index - 1] + 1;
  }
  /** The item's JSON as UTF-8 bytes (a view into its batch). */
  _bytes() {
    return this._batch.bytes.subarray(this._startByte(), this._batch.ends[this._index]);
  }
  toJSON() {
    return JSON.parse(decoder.decode(this._bytes()));
  }
  get traceId() { const j = this.toJSON(); return this.type === 'trace' ? j.id : j.trace_id; }
  get spanId() { return this.type === 'trace.span' ? this.toJSON().id : undefined; }
  get name() { return this.type === 'trace' ? this.toJSON().workflow_name : undefined; }
  get groupId() { return this.type === 'trace' ? this.toJSON().group_id : undefined; }
}

// One item of an empty batch stays reachable, for the reason spans.js keeps its last span: the
// items' hidden classes (and the code compiled against them) then survive a full GC that finds
// no other item.
let keptItem = null;

/** The items of a batch: `item,item,...item,` with each item's length. */
function itemsOf(bytes, lengths, apiKey) {
  keptItem ??= new ExportedItem({ bytes: new Uint8Array(0), ends: new Uint32Array(0), apiKey: undefined }, 0);
  const ends = new Uint32Array(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    ends[i] = at + lengths[i];
    at = ends[i] + 1;
  }
  const batch = { bytes, ends, apiKey };
  const items = new Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) items[i] = new ExportedItem(batch, i);
  return items;
}

function checkExporter(exporter) {
  if (!isObject(exporter) || (typeof exporter.export !== 'function' && typeof exporter.exportBody !== 'function')) {
    throw new TypeError(`BatchTraceProcessor: exporter must be an object with an export(items) or exportBody(body) method, got ${describe(exporter)}`);
  }
  return exporter;
}

/** The exporter's own budget for one export when it declares one, else the default bound. */
function defaultExportTimeout(exporter) {
  const budget = exporter[EXPORT_BUDGET];
  return typeof budget === 'number' && budget >= 1 ? Math.min(budget, LONGEST_MS) : BATCH_DEFAULTS.exportTimeout;
}

export class BatchTraceProcessor {
  /**
   * @param exporter `{export(items, signal)}` (items with `toJSON()`), or
   *   `{exportBody(body, info, signal)}` to receive the ingest body `{"data":[...]}` built in the
   *   core, as UTF-8 bytes.
   */
  constructor(exporter, options) {
    this._exporter = checkExporter(exporter);
    const o = optionalObject(options, 'BatchTraceProcessor: options');
    const d = BATCH_DEFAULTS;
    const maxQueueSize = optionalInteger(o.maxQueueSize, 'options.maxQueueSize', 1) ?? d.maxQueueSize;
    const maxBatchSize = optionalInteger(o.maxBatchSize, 'options.maxBatchSize', 1) ?? d.maxBatchSize;
    const scheduleDelay = optionalNumber(o.scheduleDelay, 'options.scheduleDelay', 0, LONGEST_MS) ?? d.scheduleDelay;
    const ratio = optionalNumber(o.exportTriggerRatio, 'options.exportTriggerRatio', Number.MIN_VALUE, 1) ?? d.exportTriggerRatio;
    const exportTimeout = optionalNumber(o.exportTimeout, 'options.exportTimeout', 1, LONGEST_MS) ?? defaultExportTimeout(exporter);
    const maxAbandoned = optionalInteger(o.maxAbandonedExports, 'options.maxAbandonedExports', 0) ?? d.maxAbandonedExports;
    // Exporters that send to the ingest endpoint (OpenAITracingExporter) get items shaped by its
    // rules when they are queued (field limit, generation usage, flat metadata), as the SDK's.
    const rules = exporter[INGEST_LIMITS];
    const ingest = rules === true || typeof rules === 'object';
    // What the queue applied, told to the exporter with each batch (it need not apply it again).
    this._rules = ingest ? Object.freeze({ omitReasoning: rules?.omitReasoning === true }) : undefined;
    this[NATIVE_HANDLE] = checked(wasm().batch_new(maxQueueSize, maxBatchSize, scheduleDelay, ratio, exportTimeout,
      maxAbandoned, ingest, rules?.omitReasoning === true));
    queues?.register(this, this[NATIVE_HANDLE]);
    this._scheduleDelay = scheduleDelay;
    this._exportTimeout = exportTimeout;
    this._bodyMode = typeof exporter.exportBody === 'function';
    // export(items, signal) / exportBody(body, info, signal): whether the function declares it.
    this._wantsSignal = this._bodyMode ? exporter.exportBody.length >= 3 : exporter.export.length >= 2;
    this._timer = null;
    this._loop = loopByDefault;
    // The export in flight ({done, abort}), the flush waiting for it, the first shutdown's promise.
    this._flight = null;
    this._flush = null;
    this._shutdown = null;
    this._reportedCap = false;
  }

  /** Starts the scheduled export loop (on by default in Node, Deno and Bun). */
  start() {
    this._loop = true;
    this._arm();
  }

  _arm() {
    if (this._timer !== null || this._shutdown !== null || !this._loop) return;
    this._timer = setTimeout(() => this._tick(), this._scheduleDelay);
    unrefTimer(this._timer);
  }

  _pending() {
    return checked(wasm().batch_len(this[NATIVE_HANDLE]));
  }

  /** What the queue wants, as the core's status bits. */
  _queueWants() {
    const due = checked(wasm().batch_export_due(this[NATIVE_HANDLE])) === 1;
    return (due ? STATUS_EXPORT_NOW : 0) | (this._pending() > 0 ? STATUS_TIMER : 0);
  }

  _tick() {
    this._timer = null;
    if (this._flight === null && this._startExport(EXPORT_KIND_SCHEDULED) === null && this._pending() > 0) this._arm();
  }

  _onCoreStatus(status) {
    if (status & STATUS_TIMER) this._arm();
    if (status & STATUS_EXPORT_NOW && this._flight === null
      && checked(wasm().batch_export_due(this[NATIVE_HANDLE])) === 1) {
      this._startExport(EXPORT_KIND_SCHEDULED);
    }
  }

  /** After an export ended or timed out: a waiting flush first, then what the queue wants. */
  _next(status) {
    if (this._flight !== null) return;
    if (this._flush !== null) this._startFlush();
    else this._onCoreStatus(status);
  }

  /**
   * Starts an export of `kind` if the core lets one start (one at a time; keepalive aside):
   * every batch of it (each of one export key), sent one after the other. Returns the promise of
   * its end, or null when nothing was started.
   */
  _startExport(kind) {
    const w = wasm();
    const handle = this[NATIVE_HANDLE];
    // keepalive (a page going away): only what fits the browser's keepalive budget; the rest
    // stays queued (counted as pending).
    let budget = kind === EXPORT_KIND_KEEPALIVE && this._bodyMode ? KEEPALIVE_BUDGET : 0;
    const batches = [];
    let flight;
    try {
      let count = checked(w.batch_take(handle, kind, this._bodyMode, budget));
      if (count < 0 && !this._reportedCap) {
        // Once: with a hung exporter every later batch is dropped the same way (counted).
        this._reportedCap = true;
        logger.error(`${-count} trace items dropped: too many exports timed out and never settled (maxAbandonedExports); later drops are counted in stats()`);
      }
      if (count > 0) flight = scratchWords()[0];
      while (count > 0) {
        batches.push(this._readBatch(count, budget > 0));
        if (kind === EXPORT_KIND_SCHEDULED) break;
        if (budget > 0) {
          budget -= batches[batches.length - 1].bytes.byteLength;
          if (budget <= 0) break;
        }
        count = checked(w.batch_take_more(handle, flight, kind, this._bodyMode, budget));
      }
      if (checked(w.batch_stats(handle)) === 1) logger.error('Dropping trace items: the queue is full or the processor was shut down (stats() counts them)');
    } catch (error) {
      logger.error('export batch could not be built:', error);
    }
    return flight === undefined ? null : this._run(flight, batches, kind === EXPORT_KIND_KEEPALIVE);
  }

  /** The batch `batch_take` left as the output. */
  _readBatch(count, keepalive) {
    const w = wasm();
    const bytes = outputBytes();
    const apiKey = w.take_batch_key() ? outputText() : undefined;
    let lengths;
    if (!this._bodyMode) {
      w.batch_lengths();
      lengths = outputWords();
    }
    const info = { items: count };
    if (apiKey !== undefined) info.apiKey = apiKey;
    if (this._rules !== undefined) info[INGEST_LIMITS] = this._rules;
    if (keepalive) info.keepalive = true;
    w.scrub();
    return { bytes, lengths, info };
  }

  /**
   * Sends the batches of export `flight` in order and reports each to the core. Unless it is a
   * keepalive export, it is the one in flight, bounded by `exportTimeout`: then it counts as
   * failed, its signal is aborted and the next export may start.
   */
  _run(flight, batches, keepalive) {
    const w = wasm();
    const handle = this[NATIVE_HANDLE];
    // Only an exporter that declares the signal parameter gets one: creating the first
    // AbortController loads Node's event-target machinery (~0.7 ms of a cold start).
    const controller = this._wantsSignal ? new AbortController() : null;
    let aborted = false;
    const abort = (reason) => {
      aborted = true;
      controller?.abort(reason);
    };
    let end;
    const record = { done: new Promise((resolve) => { end = resolve; }), abort };
    let timer = null;
    const finish = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const current = this._flight === record;
      if (current) this._flight = null;
      end();
      return current;
    };
    if (!keepalive) {
      this._flight = record;
      timer = setTimeout(() => {
        timer = null;
        if (checked(w.batch_time_out(handle, flight)) === 1) {
          logger.error(`export timed out after ${this._exportTimeout} ms (exportTimeout); its items count as failed`);
        }
        abort(new Error(`edgetrace: export timed out after ${this._exportTimeout} ms`));
        if (finish()) this._next(this._queueWants());
      }, this._exportTimeout);
      unrefTimer(timer);
    }
    (async () => {
      for (const batch of batches) {
        if (aborted) break;
        const delivered = await this._send(batch, controller?.signal);
        w.batch_settle(handle, flight, batch.info.items, delivered ? EXPORT_OUTCOME_DELIVERED : EXPORT_OUTCOME_FAILED);
      }
      const status = checked(w.batch_end(handle, flight));
      if (finish()) this._next(status);
    })().catch((error) => logger.error('export could not be completed:', error));
    return record.done;
  }

  /** Hands one batch to the exporter; whether it was delivered. Never rejects. */
  async _send({ bytes, lengths, info }, signal) {
    try {
      // An exporter resolves false when it did not deliver and already said why.
      const delivered = this._bodyMode
        ? await this._exporter.exportBody(bytes, info, signal)
        : await this._exporter.export(itemsOf(bytes, lengths, info.apiKey), signal);
      return delivered !== false;
    } catch (error) {
      logger.error(`exporter failed; ${info.items} items not exported:`, error);
      return false;
    }
  }

  /** A flush: every caller until the export of everything queued starts shares it. */
  _requestFlush() {
    if (this._flush === null) {
      let resolve;
      this._flush = { promise: new Promise((r) => { resolve = r; }), resolve };
      const promise = this._flush.promise;
      if (this._flight === null) this._startFlush();
      return promise;
    }
    return this._flush.promise;
  }

  _startFlush() {
    const { resolve } = this._flush;
    this._flush = null;
    const done = this._startExport(EXPORT_KIND_ALL);
    if (done === null) resolve();
    else done.then(resolve);
  }

  onTraceStart() {}
  onTraceEnd() {}
  onSpanStart() {}
  onSpanEnd() {}

  /**
   * Exports everything queued (one export, as the SDK does, after the one in flight) and
   * resolves when every item queued before the call was delivered or given up, or after
   * `timeoutMs` (exports go on in the background). `keepalive`: a page going away sends what
   * fits the keepalive budget at once. Never rejects.
   */
  forceFlush(options) {
    const timeoutMs = flushTimeout(options, 'forceFlush: options');
    if (options?.keepalive === true) {
      return settleWithin(this._startExport(EXPORT_KIND_KEEPALIVE) ?? Promise.resolve(), timeoutMs);
    }
    return settleWithin(this._requestFlush(), timeoutMs);
  }

  /**
   * Stops the loop, refuses every item from now on (counted as `refused`), flushes, and gives
   * back what the queue held; resolves within `timeout` milliseconds when given (as the SDK's
   * `shutdown(timeout)`; an export still running then is aborted). Shuts down once: later calls
   * return the first one's promise (bounded by their own timeout). Never rejects.
   */
  shutdown(timeout) {
    checkShutdownTimeout(timeout);
    if (this._shutdown === null) {
      if (this._timer !== null) clearTimeout(this._timer);
      this._timer = null;
      checked(wasm().batch_close(this[NATIVE_HANDLE]));
      this._shutdown = this._requestFlush();
    }
    if (timeout === undefined) return this._shutdown;
    return settleWithin(this._shutdown, timeout).then(() => this._flight?.abort());
  }

  /**
   * Counters. Every item handed to the processor (`queued`) is in exactly one of `pending`
   * (waiting), `inFlight` (in an export not settled), `exported`, `failed` (the exporter gave
   * up, threw, rejected, or the export timed out) and `dropped` (never exported: queue full,
   * refused after shutdown, or too many exports timed out). `refused` is the part of `dropped`
   * offered after shutdown, `timedOut` the part of `failed` whose export timed out. Also the
   * exporter's `retried` attempts when it counts them, and what the ingest rules changed (for
   * the OpenAI exporter): span fields `truncated` to the limit, metadata values `flattened`.
   */
  stats() {
    checked(wasm().batch_stats(this[NATIVE_HANDLE]));
    const s = scratchWords();
    const retried = typeof this._exporter.stats === 'function' ? this._exporter.stats().retried ?? 0 : 0;
    return {
      queued: s[BATCH_STAT_QUEUED], dropped: s[BATCH_STAT_DROPPED], exported: s[BATCH_STAT_EXPORTED],
      failed: s[BATCH_STAT_FAILED], pending: s[BATCH_STAT_PENDING], inFlight: s[BATCH_STAT_IN_FLIGHT],
      refused: s[BATCH_STAT_REFUSED], timedOut: s[BATCH_STAT_TIMED_OUT], retried,
      truncated: s[BATCH_STAT_TRUNCATED], flattened: s[BATCH_STAT_FLATTENED],
    };
  }
}

/** Logs each exported item to the console, as the SDK's ConsoleSpanExporter. */
export class ConsoleSpanExporter {
  async export(items) {
    for (const item of items) {
      if (item.type === 'trace') {
        console.log(`[Exporter] Export trace traceId=${item.traceId} name=${item.name}${item.groupId ? ` groupId=${item.groupId}` : ''}`);
      } else {
        console.log(`[Exporter] Export span: ${JSON.stringify(item)}`);
      }
    }
  }
}
