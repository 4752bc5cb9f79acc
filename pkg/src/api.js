// The public API, the same in every runtime, as this copy of the package implements it, gathered
// in one plain object (index.js decides which copy's API the package exports).
import { wasm, outputText, checked, useFullModule, scratchWords } from './wasm.js';
import { NATIVE_HANDLE, NATIVE_CHAIN, IN_CHAIN, WANTS_SPAN_STARTS, nativeStatus } from './registry.js';
import { logger } from './logger.js';
import { getGlobalTraceProvider, TraceProvider } from './provider.js';
import { optionalString, describe } from './validate.js';
import { refreshPolicy, Trace, NoopTrace } from './traces.js';
import { Span, NoopSpan } from './spans.js';
import { BatchTraceProcessor, ConsoleSpanExporter, ExportedItem, unrefTimer } from './batch.js';
import { OpenAITracingExporter } from './openai.js';
import { setTracingLogger } from './logger.js';
import { SPAN_TYPES } from '../wasm/abi.js';
import { setTracingClock } from './clock.js';
import {
  generateTraceId, generateSpanId, generateGroupId, defaultTracingIdGenerator, setTracingIdGenerator,
} from './ids.js';
import {
  getCurrentTrace, getCurrentSpan, getCurrentTraceContext, withTraceContext, setCurrentSpan,
  resetCurrentSpan, setTracingContextStorage,
} from './context.js';
import { SPAN_AND_TRACE_FUNCTIONS } from './factories.js';

/** Appends a processor to the global provider. */
function addTraceProcessor(processor) {
  getGlobalTraceProvider().registerProcessor(processor);
}

/** Replaces the global provider's processors (the old ones are shut down, not awaited). */
function setTraceProcessors(processors) {
  getGlobalTraceProvider().setProcessors(processors);
}

/** Turns tracing off (`true`) or on for traces created from now on. */
function setTracingDisabled(disabled) {
  getGlobalTraceProvider().setDisabled(disabled);
}

/**
 * Whether spans record model and tool data (and, separately, audio) unless a trace says
 * otherwise. Default: true, or `OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA` where set.
 */
function setTracingIncludeSensitiveData(includeData, includeAudio) {
  if (typeof includeData !== 'boolean') throw new TypeError(`includeData must be a boolean, got ${describe(includeData)}`);
  if (includeAudio !== undefined && typeof includeAudio !== 'boolean') {
    throw new TypeError(`includeAudio must be a boolean when given, got ${describe(includeAudio)}`);
  }
  const w = wasm();
  w.set_sensitive(includeData, includeAudio ?? (w.sensitive_bits() & 2) !== 0);
  refreshPolicy();
}

/** Sets (or with `undefined`, clears) the API key exporters use when a trace carries none. */
function setTracingExportApiKey(key) {
  wasm().set_export_api_key(optionalString(key, 'key'));
}

/** The key set with `setTracingExportApiKey`, else the environment's `OPENAI_API_KEY`, if any. */
function getTracingExportApiKey() {
  return wasm().export_api_key() ? outputText() : undefined;
}

/**
 * Makes a BatchTraceProcessor sending to the OpenAI traces endpoint the only processor (as
 * @openai/agents-openai's function of the same name). The key comes from
 * setTracingExportApiKey() or OPENAI_API_KEY.
 */
function setDefaultOpenAITracingExporter() {
  setTraceProcessors([new BatchTraceProcessor(new OpenAITracingExporter())]);
}

/**
 * Flushes every processor of the global provider: resolves when everything queued before the
 * call was delivered or given up, or after `options.timeoutMs`. Never rejects. In a Worker:
 * `ctx.waitUntil(forceFlush({ timeoutMs: 2000 }))`.
 */
function forceFlush(options) {
  return getGlobalTraceProvider().forceFlush(options);
}

/** Starts the scheduled export loop of every processor that has one. */
function startTraceExportLoop() {
  getGlobalTraceProvider().startExportLoop();
}

function dispatchTrace(trace) { return getGlobalTraceProvider().dispatchTrace(trace); }
function dispatchSpan(span) { return getGlobalTraceProvider().dispatchSpan(span); }
function dispatchSpanStart(span) { return getGlobalTraceProvider().dispatchSpanStart(span); }
function dispatchSpanEnd(span) { return getGlobalTraceProvider().dispatchSpanEnd(span); }

/**
 * This copy's API. A plain object, not a module namespace: bundled, a namespace object is a getter
 * per export, each compiled at its first read, which cost ~0.4 ms of Node's start-up.
 */
export const API = Object.freeze({
  BatchTraceProcessor, ConsoleSpanExporter, ExportedItem, NoopSpan, NoopTrace,
  OpenAITracingExporter, Span, Trace, TraceProvider,
  addTraceProcessor, dispatchSpan, dispatchSpanEnd, dispatchSpanStart, dispatchTrace, forceFlush,
  getGlobalTraceProvider, getTracingExportApiKey, setDefaultOpenAITracingExporter,
  setTraceProcessors, setTracingDisabled, setTracingExportApiKey, setTracingIncludeSensitiveData,
  startTraceExportLoop,
  setTracingLogger, setTracingClock,
  generateTraceId, generateSpanId, generateGroupId, defaultTracingIdGenerator, setTracingIdGenerator,
  getCurrentTrace, getCurrentSpan, getCurrentTraceContext, withTraceContext, setCurrentSpan,
  resetCurrentSpan, setTracingContextStorage,
  ...SPAN_AND_TRACE_FUNCTIONS,
});

// The package's bundles are minified: the public classes get their names back (what
// `console.log(trace)` shows). Functions keep the minified names (renaming all ~60 costs ~0.15 ms
// of start-up); with the source maps beside the bundles, stack traces show the original lines.
for (const [name, value] of Object.entries({
  BatchTraceProcessor, ConsoleSpanExporter, ExportedItem, NoopSpan, NoopTrace,
  OpenAITracingExporter, Span, Trace, TraceProvider,
})) {
  Object.defineProperty(value, 'name', { value: name, configurable: true });
}

/**
 * What the `edgetrace/processors` entry needs of the copy it extends (its own bundle shares this
 * copy's wasm instance and registry): not part of the public API.
 */
const INTERNALS = Symbol.for('edgetrace.internals.v0');
Object.defineProperty(BatchTraceProcessor, INTERNALS, {
  value: Object.freeze({ wasm, checked, outputText, scratchWords, useFullModule, logger, nativeStatus, unrefTimer, NATIVE_HANDLE, NATIVE_CHAIN, IN_CHAIN, WANTS_SPAN_STARTS, SPAN_TYPES }),
});
