// The global trace provider: creates traces and spans (parent resolution as in the SDK), holds
// the processors, and forwards the switches to the core.
import { wasm } from './wasm.js';
import { logger } from './logger.js';
import { Trace, NoopTrace, traceOptions } from './traces.js';
import { Span, NoopSpan, NOOP_ID, SPAN_TYPES } from './spans.js';
import { getCurrentTrace, getCurrentSpan } from './context.js';
import {
  addProcessor, replaceProcessors, checkProcessor, forceFlushAll, shutdownAll, shutdownDetached,
  startAll, spanStarted, hasJsProcessors,
} from './registry.js';
import { currentIdGenerator, setTracingIdGenerator } from './ids.js';
import { optionalObject, describe, flushTimeout, settleWithin } from './validate.js';

// A copy of the core's disabled switch, read on every span; refreshed whenever it can change
// (setDisabled, and the environment applied when the module is instantiated).
let disabledCopy = null;

/** Whether tracing is off (the core's switch, cached). */
export function isTracingDisabled() {
  return (disabledCopy ??= wasm().is_disabled());
}

function syncDisabled() {
  disabledCopy = wasm().is_disabled();
}

const KIND_OF = Object.fromEntries(SPAN_TYPES.map((name, code) => [name, code]));

function isNoop(target) {
  return target instanceof NoopTrace || target instanceof NoopSpan;
}

export class TraceProvider {
  registerProcessor(processor) {
    addProcessor(checkProcessor(processor, 'processor'));
  }

  setProcessors(processors) {
    if (!Array.isArray(processors)) {
      throw new TypeError(`processors must be an array of TracingProcessors, got ${describe(processors)}`);
    }
    processors.forEach((p, i) => checkProcessor(p, `processors[${i}]`));
    shutdownDetached(replaceProcessors(processors).filter((p) => !processors.includes(p)));
  }

  getCurrentTrace() { return getCurrentTrace(); }
  getCurrentSpan() { return getCurrentSpan(); }

  setDisabled(disabled) {
    if (typeof disabled !== 'boolean') throw new TypeError(`disabled must be a boolean, got ${describe(disabled)}`);
    wasm().set_disabled(disabled);
    syncDisabled();
  }

  setIdGenerator(generator) { setTracingIdGenerator(generator); }
  generateTraceId() { return currentIdGenerator().generateTraceId(); }
  generateSpanId() { return currentIdGenerator().generateSpanId(); }
  startExportLoop() { startAll(); }

  /** A new trace (not started); a no-op trace when tracing is disabled. */
  createTrace(options) {
    const o = traceOptions(options);
    if (o.disabled || isTracingDisabled()) return new NoopTrace();
    return new Trace(o, o);
  }

  /**
   * A new span (not started) of `options.data.type`. Parent: `parent` if given, else the
   * current span, else the current trace; none (or a no-op one) gives a no-op span.
   */
  createSpan(options, parent) {
    const o = optionalObject(options, 'options');
    const data = optionalObject(o.data, 'options.data');
    const kind = KIND_OF[data.type];
    if (kind === undefined) throw new TypeError(`options.data.type must be one of ${SPAN_TYPES.join(', ')}`);
    return createSpanOfKind(kind, data, o, parent);
  }

  dispatchTrace(trace) {
    return this.#dispatch(trace, async (t) => {
      t._started = false;
      await t.start();
      await t.end();
    });
  }
  dispatchSpanStart(span) { return this.#dispatch(span, (s) => { if (hasJsProcessors()) spanStarted(s); }); }
  dispatchSpanEnd(span) { return this.#dispatch(span, (s) => s._finish()); }
  dispatchSpan(span) { return this.#dispatch(span, (s) => { this.dispatchSpanStart(s); return this.dispatchSpanEnd(s); }); }

  async #dispatch(target, replay) {
    if (isNoop(target) || isTracingDisabled()) return;
    if (!(target instanceof Trace) && !(target instanceof Span)) {
      throw new TypeError(`dispatch expects a Trace or Span made by edgetrace, got ${describe(target)}`);
    }
    await replay(target);
  }

  /** Flushes every processor; resolves within `timeoutMs` when given. Never rejects. */
  forceFlush(options) {
    const timeoutMs = flushTimeout(options, 'forceFlush: options');
    return settleWithin(forceFlushAll(options), timeoutMs);
  }

  /**
   * Shuts every processor down, once (as the SDK's, memoized: later and concurrent calls get the
   * first call's promise); resolves within `timeoutMs` when given. Never rejects.
   */
  shutdown(timeoutMs) {
    const bound = flushTimeout({ timeoutMs }, 'shutdown');
    providerShutdown ??= shutdownAll(timeoutMs);
    return settleWithin(providerShutdown, bound);
  }
}

// The one shutdown of the isolate's processors (every TraceProvider object is a view of them).
let providerShutdown = null;

/** Creates a span of `kind` with final `data` (the factories build it) and validated options. */
export function createSpanOfKind(kind, data, options, parent) {
  if (options.disabled === true || options.spanId === NOOP_ID || isTracingDisabled()) return new NoopSpan(data);
  let trace;
  let parentSpan = null;
  if (parent === undefined || parent === null) {
    trace = getCurrentTrace();
    if (trace === null) {
      logger.debug('No active trace. Make sure to start a trace with `withTrace()` first. Returning NoopSpan.');
      return new NoopSpan(data);
    }
    parentSpan = getCurrentSpan();
    if (isNoop(parentSpan)) return new NoopSpan(data);
  } else if (parent instanceof Span) {
    trace = parent._trace;
    parentSpan = parent;
  } else if (parent instanceof Trace || parent instanceof NoopTrace || parent instanceof NoopSpan) {
    trace = parent;
  } else {
    throw new TypeError(`parent must be a Span or Trace made by edgetrace, got ${describe(parent)}`);
  }
  if (isNoop(trace)) return new NoopSpan(data);
  trace._ensureId();
  return new Span(kind, data, trace, parentSpan, options);
}

let globalProvider = null;

/** The provider of this package instance (created at first use). */
export function getGlobalTraceProvider() {
  return (globalProvider ??= new TraceProvider());
}
