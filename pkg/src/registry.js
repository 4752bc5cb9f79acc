// The registered processors. Processors backed by the core (BatchTraceProcessor) are fanned out
// to inside wasm; processors written in JS are called here, each isolated from the others:
// one that throws or rejects is logged and the rest still run.
import { wasm, checked } from './wasm.js';
import { logger } from './logger.js';
import { isObject, describe } from './validate.js';

/** Marks processors whose events the core delivers (value: the core handle). */
export const NATIVE_HANDLE = Symbol('edgetrace.nativeHandle');

/** Marks the native processors that are chains (their handles are chain handles). */
export const NATIVE_CHAIN = Symbol('edgetrace.nativeChain');

/** Marks native processors that want span starts (a chain with a LiveEvents stage). */
export const WANTS_SPAN_STARTS = Symbol('edgetrace.wantsSpanStarts');

/** Marks processors that a ProcessorChain feeds (value: the chain): they are not registered alone. */
export const IN_CHAIN = Symbol('edgetrace.inChain');

const METHODS = ['onTraceStart', 'onTraceEnd', 'onSpanStart', 'onSpanEnd', 'forceFlush', 'shutdown', 'start'];

let all = [];
let jsOnly = [];
let native = [];
let firstProcessorHook = null;
let nativeSpanStarts = false;

/** Runs `hook` once, when the first processor is registered (runtime entries' exit flush). */
export function setFirstProcessorHook(hook) {
  firstProcessorHook = hook;
}

/** Items waiting in the registered core-backed processors' queues. */
function pendingNativeItems() {
  let pending = 0;
  for (const processor of native) pending += processor._pending();
  return pending;
}

/**
 * Set in the options of the flush the process or page ends with (the event loop ran out of
 * work, the page is going away): then a ProcessorChain decides even the traces that are still
 * open and young, which would otherwise wait to end or to age.
 */
export const FINAL_FLUSH = Symbol.for('edgetrace.finalFlush');

let flushedAtLoopEnd = false;

/**
 * For the event loop running out of work (Node's `beforeExit`, Deno's `beforeunload`): flushes
 * every processor; returns whether it did. The event fires again after the flush's own I/O:
 * then only pending items (or JS processors, the first time) flush, so it does not loop.
 */
export function flushAtLoopEnd() {
  if (flushedAtLoopEnd && pendingNativeItems() === 0) return false;
  flushedAtLoopEnd = true;
  void forceFlushAll({ [FINAL_FLUSH]: true });
  return true;
}

/** Whether a native processor wants span starts (only then do they cross into the core). */
export function nativeWantsSpanStarts() {
  return nativeSpanStarts;
}

/** Whether any JS processor wants events (then spans keep their item JSON for `toJSON()`). */
export function hasJsProcessors() {
  return jsOnly.length > 0;
}

/** Checks that `processor` can be registered; throws a TypeError naming `name` otherwise. */
export function checkProcessor(processor, name) {
  if (!isObject(processor) && typeof processor !== 'function') {
    throw new TypeError(`${name} must be a TracingProcessor object, got ${describe(processor)}`);
  }
  try {
    if (processor[IN_CHAIN] !== undefined) {
      throw new TypeError(`${name} is fed by a ProcessorChain: register the chain instead (else it would see every item twice)`);
    }
    for (const method of METHODS) {
      const value = processor[method];
      if (value !== undefined && typeof value !== 'function') {
        throw new TypeError(`${name}.${method} must be a function when present, got ${describe(value)}`);
      }
    }
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith(name)) throw error;
    throw new TypeError(`${name} could not be inspected: ${error instanceof Error ? error.message : String(error)}`);
  }
  return processor;
}

function syncNative() {
  const handles = (chains) => Uint32Array.from(native.filter((p) => (p[NATIVE_CHAIN] === true) === chains), (p) => p[NATIVE_HANDLE]);
  checked(wasm().set_native_processors(handles(false), handles(true)));
}

function rebuild(list) {
  all = list;
  jsOnly = list.filter((p) => p[NATIVE_HANDLE] === undefined);
  native = list.filter((p) => p[NATIVE_HANDLE] !== undefined);
  nativeSpanStarts = native.some((p) => p[WANTS_SPAN_STARTS] === true);
  syncNative();
  if (list.length > 0 && firstProcessorHook !== null) {
    const hook = firstProcessorHook;
    firstProcessorHook = null;
    hook();
  }
}

export function addProcessor(processor) {
  rebuild([...all, processor]);
}

/** Replaces the processors; returns the old ones. */
export function replaceProcessors(list) {
  const old = all;
  rebuild([...list]);
  return old;
}

function reportFailure(method, error) {
  logger.error(`processor ${method} failed:`, error);
}

/** Calls `method` on each processor, isolated; returns the promises some of them returned. */
function callEach(list, method, arg) {
  let pending = null;
  for (const processor of list) {
    try {
      const fn = processor[method];
      if (typeof fn !== 'function') continue;
      const result = fn.call(processor, arg);
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
        (pending ??= []).push(Promise.resolve(result).then(undefined, (error) => reportFailure(method, error)));
      }
    } catch (error) {
      reportFailure(method, error);
    }
  }
  return pending;
}

async function settle(pending) {
  if (pending !== null) await Promise.all(pending);
}

export function traceStarted(trace) {
  return settle(callEach(jsOnly, 'onTraceStart', trace));
}

export function traceEnded(trace) {
  return settle(callEach(jsOnly, 'onTraceEnd', trace));
}

export function spanStarted(span) {
  callEach(jsOnly, 'onSpanStart', span);
}

export function spanEnded(span) {
  callEach(jsOnly, 'onSpanEnd', span);
}

/** Passes the core's status bits (export now / start timer) to the native processors. */
export function nativeStatus(status) {
  for (const processor of native) processor._onCoreStatus(status);
}

export function forceFlushAll(options) {
  return settle(callEach(all, 'forceFlush', options));
}

export function shutdownAll(timeoutMs) {
  return settle(callEach(all, 'shutdown', timeoutMs));
}

/** Shuts down processors that were replaced, without waiting (as the JS SDK does). */
export function shutdownDetached(list) {
  callEach(list, 'shutdown', undefined);
}

export function startAll() {
  callEach(all, 'start', undefined);
}
