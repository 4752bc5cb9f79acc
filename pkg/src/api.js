// The public API, the same in every runtime, as this copy of the package implements it
// (index.js decides which copy's API the package exports).
import { wasm, outputText } from './wasm.js';
import { getGlobalTraceProvider } from './provider.js';
import { optionalString, describe } from './validate.js';
import { refreshPolicy } from './traces.js';

export { getGlobalTraceProvider, TraceProvider } from './provider.js';
export { Trace, NoopTrace } from './traces.js';
export { Span, NoopSpan } from './spans.js';
export { BatchTraceProcessor, ConsoleSpanExporter, ExportedItem } from './batch.js';
export { OpenAITracingExporter } from './openai.js';
import { BatchTraceProcessor } from './batch.js';
import { OpenAITracingExporter } from './openai.js';
export { setTracingLogger } from './logger.js';
export { setTracingClock } from './clock.js';
export {
  generateTraceId, generateSpanId, generateGroupId, defaultTracingIdGenerator, setTracingIdGenerator,
} from './ids.js';
export {
  getCurrentTrace, getCurrentSpan, getCurrentTraceContext, withTraceContext, setCurrentSpan,
  resetCurrentSpan, setTracingContextStorage,
} from './context.js';
export * from './factories.js';

/** Appends a processor to the global provider. */
export function addTraceProcessor(processor) {
  getGlobalTraceProvider().registerProcessor(processor);
}

/** Replaces the global provider's processors (the old ones are shut down, not awaited). */
export function setTraceProcessors(processors) {
  getGlobalTraceProvider().setProcessors(processors);
}

/** Turns tracing off (`true`) or on for traces created from now on. */
export function setTracingDisabled(disabled) {
  getGlobalTraceProvider().setDisabled(disabled);
}

/**
 * Whether spans record model and tool data (and, separately, audio) unless a trace says
 * otherwise. Default: true, or `OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA` where set.
 */
export function setTracingIncludeSensitiveData(includeData, includeAudio) {
  if (typeof includeData !== 'boolean') throw new TypeError(`includeData must be a boolean, got ${describe(includeData)}`);
  if (includeAudio !== undefined && typeof includeAudio !== 'boolean') {
    throw new TypeError(`includeAudio must be a boolean when given, got ${describe(includeAudio)}`);
  }
  const w = wasm();
  w.set_sensitive(includeData, includeAudio ?? (w.sensitive_bits() & 2) !== 0);
  refreshPolicy();
}

/** Sets (or with `undefined`, clears) the API key exporters use when a trace carries none. */
export function setTracingExportApiKey(key) {
  wasm().set_export_api_key(optionalString(key, 'key'));
}

/** The key set with `setTracingExportApiKey`, else the environment's `OPENAI_API_KEY`, if any. */
export function getTracingExportApiKey() {
  return wasm().export_api_key() ? outputText() : undefined;
}

/**
 * Makes a BatchTraceProcessor sending to the OpenAI traces endpoint the only processor (as
 * @openai/agents-openai's function of the same name). The key comes from
 * setTracingExportApiKey() or OPENAI_API_KEY.
 */
export function setDefaultOpenAITracingExporter() {
  setTraceProcessors([new BatchTraceProcessor(new OpenAITracingExporter())]);
}

/**
 * Flushes every processor of the global provider: resolves when everything queued before the
 * call was delivered or given up, or after `options.timeoutMs`. Never rejects. In a Worker:
 * `ctx.waitUntil(forceFlush({ timeoutMs: 2000 }))`.
 */
export function forceFlush(options) {
  return getGlobalTraceProvider().forceFlush(options);
}

/** Starts the scheduled export loop of every processor that has one. */
export function startTraceExportLoop() {
  getGlobalTraceProvider().startExportLoop();
}

export function dispatchTrace(trace) { return getGlobalTraceProvider().dispatchTrace(trace); }
export function dispatchSpan(span) { return getGlobalTraceProvider().dispatchSpan(span); }
export function dispatchSpanStart(span) { return getGlobalTraceProvider().dispatchSpanStart(span); }
export function dispatchSpanEnd(span) { return getGlobalTraceProvider().dispatchSpanEnd(span); }
