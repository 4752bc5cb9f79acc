// The package's exports. If another copy of edgetrace is already loaded in this isolate (ESM and
// CJS, or two bundles), this copy exports that copy's API: one provider, one set of processors
// and one current-trace store per isolate. The first copy registers its API under a global
// symbol (per major version); later copies never instantiate their own wasm module.
import { API as own } from './api.js';

const API_KEY = Symbol.for('edgetrace.api.v0');

function sharedApi() {
  try {
    const existing = globalThis[API_KEY];
    if (existing !== undefined) return existing;
    Object.defineProperty(globalThis, API_KEY, { value: own, configurable: true });
  } catch {
    // A frozen global: this copy works on its own.
  }
  return own;
}

export const {
  BatchTraceProcessor,
  ConsoleSpanExporter,
  ExportedItem,
  NoopSpan,
  NoopTrace,
  OpenAITracingExporter,
  Span,
  Trace,
  TraceProvider,
  addTraceProcessor,
  createAgentSpan,
  createCustomSpan,
  createFunctionSpan,
  createGenerationSpan,
  createGuardrailSpan,
  createHandoffSpan,
  createMCPListToolsSpan,
  createResponseSpan,
  createSpeechGroupSpan,
  createSpeechSpan,
  createTaskSpan,
  createTranscriptionSpan,
  createTurnSpan,
  defaultTracingIdGenerator,
  dispatchSpan,
  dispatchSpanEnd,
  dispatchSpanStart,
  dispatchTrace,
  forceFlush,
  generateGroupId,
  generateSpanId,
  generateTraceId,
  getCurrentSpan,
  getCurrentTrace,
  getCurrentTraceContext,
  getGlobalTraceProvider,
  getOrCreateTrace,
  getTracingExportApiKey,
  resetCurrentSpan,
  setCurrentSpan,
  setDefaultOpenAITracingExporter,
  setTraceProcessors,
  setTracingClock,
  setTracingContextStorage,
  setTracingDisabled,
  setTracingExportApiKey,
  setTracingIdGenerator,
  setTracingIncludeSensitiveData,
  setTracingLogger,
  startTraceExportLoop,
  withAgentSpan,
  withCustomSpan,
  withFunctionSpan,
  withGenerationSpan,
  withGuardrailSpan,
  withHandoffSpan,
  withMCPListToolsSpan,
  withResponseSpan,
  withSpeechGroupSpan,
  withSpeechSpan,
  withTaskSpan,
  withTrace,
  withTraceContext,
  withTranscriptionSpan,
  withTurnSpan,
} = sharedApi();
