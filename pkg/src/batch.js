// BatchTraceProcessor: the queue lives in wasm memory (items serialized when they are queued);
// this class only drives time and hands batches to the exporter.
import { wasm, scratchWords, checked, outputBytes, outputText, outputWords } from './wasm.js';
import { logger } from './logger.js';
import { NATIVE_HANDLE } from './registry.js';
import { isObject, describe, optionalObject, optionalInteger, optionalNumber, flushTimeout, settleWithin } from './validate.js';

/**
 * Set on exporters that send to the OpenAI ingest endpoint (`true`, or `{omitReasoning}`): their
 * items are shaped by its rules when queued.
 */
export const INGEST_LIMITS = Symbol.for('edgetrace.ingestLimits');

/** What keepalive requests may carry in all (browsers cap them at 64 KB in flight). */
const KEEPALIVE_BUDGET = 60_000;

const EXPORT_NOW = 2;
const TIMER = 4;
const decoder = new TextDecoder();

let loopByDefault = false;

/** Lets the process exit while the export timer waits (Node/Bun timer objects, Deno ids). */
function unrefTimer(timer) {
  if (typeof timer === 'object') timer?.unref?.();
  else globalThis.Deno?.unrefTimer?.(timer);
}

/** Set by runtime entries whose timers may run in the background (Node, Deno, Bun). */
export function setExportLoopByDefault(enabled) {
  loopByDefault = enabled;
}

const DOT = 46;

/**
 * A queued item as exporters receive it: its `type`, ids, and `toJSON()` (the SDK's item). It
 * points into its batch (`{bytes, ends}`: the items back to back, each followed by a comma) and
 * is decoded only when read.
 */
export class ExportedItem {
  constructor(batch, index) {
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
  toJSON() {
    const { bytes, ends } = this._batch;
    return JSON.parse(decoder.decode(bytes.subarray(this._startByte(), ends[this._index])));
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

export class BatchTraceProcessor {
  /**
   * @param exporter `{export(items)}` (items with `toJSON()`), or `{exportBody(body, info)}` to
   *   receive the ingest body `{"data":[...]}` built in the core, as UTF-8 bytes.
   */
  constructor(exporter, options) {
    this._exporter = checkExporter(exporter);
    const o = optionalObject(options, 'BatchTraceProcessor: options');
    const maxQueueSize = optionalInteger(o.maxQueueSize, 'options.maxQueueSize', 1) ?? 1000;
    const maxBatchSize = optionalInteger(o.maxBatchSize, 'options.maxBatchSize', 1) ?? 100;
    const scheduleDelay = optionalNumber(o.scheduleDelay, 'options.scheduleDelay', 0, 2147483647) ?? 5000;
    const ratio = optionalNumber(o.exportTriggerRatio, 'options.exportTriggerRatio', Number.MIN_VALUE, 1) ?? 0.8;
    // Exporters that send to the ingest endpoint (OpenAITracingExporter) get items shaped by its
    // rules when they are queued (field limit, generation usage, flat metadata), as the SDK's.
    const rules = exporter[INGEST_LIMITS];
    this[NATIVE_HANDLE] = checked(wasm().batch_new(maxQueueSize, maxBatchSize, scheduleDelay, ratio,
      rules === true || typeof rules === 'object', rules?.omitReasoning === true));
    this._scheduleDelay = scheduleDelay;
    this._bodyMode = typeof exporter.exportBody === 'function';
    this._timer = null;
    this._loop = loopByDefault;
    this._inflight = new Set();
    this._exported = 0;
    this._failed = 0;
    this._shutdown = false;
  }

  /** Starts the scheduled export loop (on by default in Node, Deno and Bun). */
  start() {
    this._loop = true;
    this._arm();
  }

  _arm() {
    if (this._timer !== null || this._shutdown || !this._loop) return;
    this._timer = setTimeout(() => this._tick(), this._scheduleDelay);
    unrefTimer(this._timer);
  }

  _tick() {
    this._timer = null;
    this._exportBatch(false);
    if (checked(wasm().batch_len(this[NATIVE_HANDLE])) > 0) this._arm();
  }

  _onCoreStatus(status) {
    if (status & TIMER) this._arm();
    if (status & EXPORT_NOW && checked(wasm().batch_export_due(this[NATIVE_HANDLE])) === 1) this._exportBatch(false);
  }

  /**
   * Hands queued items to the exporter: one batch (`all`: every item), each batch holding the
   * items of one export key (traces with their own `tracingApiKey` are sent apart).
   */
  _exportBatch(all, keepalive = false) {
    const w = wasm();
    const handle = this[NATIVE_HANDLE];
    // keepalive (a page going away): only what fits the browser's keepalive budget; the rest
    // stays queued (counted as pending).
    let budget = keepalive && this._bodyMode ? KEEPALIVE_BUDGET : 0;
    do {
      let count;
      try {
        count = checked(w.batch_take(handle, all, this._bodyMode, budget));
      } catch (error) {
        logger.error('export batch could not be built:', error);
        return;
      }
      if (count === 0) return;
      const bytes = outputBytes();
      const apiKey = w.take_batch_key() ? outputText() : undefined;
      let lengths;
      if (!this._bodyMode) {
        w.batch_lengths();
        lengths = outputWords();
      }
      if (checked(w.batch_stats(handle)) === 1) logger.error('Dropping trace items because the buffer is full');
      const info = { items: count };
      if (apiKey !== undefined) info.apiKey = apiKey;
      if (budget > 0) info.keepalive = true;
      const task = this._send(bytes, lengths, info);
      this._inflight.add(task);
      task.finally(() => this._inflight.delete(task));
      if (budget > 0) {
        budget -= bytes.byteLength;
        if (budget <= 0) return;
      }
    } while (all);
  }

  async _send(bytes, lengths, info) {
    const count = info.items;
    try {
      // An exporter resolves false when it did not deliver and already said why.
      const delivered = this._bodyMode
        ? await this._exporter.exportBody(bytes, info)
        : await this._exporter.export(itemsOf(bytes, lengths, info.apiKey));
      if (delivered === false) this._failed += count;
      else this._exported += count;
    } catch (error) {
      this._failed += count;
      logger.error(`exporter failed; ${count} items not exported:`, error);
    }
  }

  onTraceStart() {}
  onTraceEnd() {}
  onSpanStart() {}
  onSpanEnd() {}

  /**
   * Exports everything queued (one batch, as the SDK does) and resolves when every item queued
   * before the call was delivered or given up, or after `timeoutMs` (exports go on in the
   * background). Never rejects.
   */
  forceFlush(options) {
    const timeoutMs = flushTimeout(options, 'forceFlush: options');
    this._exportBatch(true, options?.keepalive === true);
    return settleWithin(Promise.all([...this._inflight]), timeoutMs);
  }

  /**
   * Stops the loop, then flushes; resolves within `timeout` milliseconds when given (as the
   * SDK's `shutdown(timeout)`). Never rejects.
   */
  shutdown(timeout) {
    if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout >= 0))) {
      throw new RangeError(`shutdown: timeout must be a number of milliseconds >= 0, got ${describe(timeout)}`);
    }
    if (this._timer !== null) clearTimeout(this._timer);
    this._timer = null;
    this._shutdown = true;
    return this.forceFlush(timeout === undefined ? undefined : { timeoutMs: timeout });
  }

  /**
   * Counters: `queued` (accepted into the queue), `exported`, `dropped` (queue full), `failed`
   * (not delivered: the exporter gave up, threw or rejected), `pending` (still queued), the
   * exporter's `retried` attempts when it counts them, and what the ingest rules changed (for the
   * OpenAI exporter): span fields `truncated` to the limit, metadata values `flattened` to strings.
   */
  stats() {
    const handle = this[NATIVE_HANDLE];
    checked(wasm().batch_stats(handle));
    const s = scratchWords();
    const retried = typeof this._exporter.stats === 'function' ? this._exporter.stats().retried ?? 0 : 0;
    return {
      queued: s[0], dropped: s[1], exported: this._exported, failed: this._failed, pending: s[3], retried,
      truncated: s[4], flattened: s[5],
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
