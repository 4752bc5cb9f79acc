// createXSpan / withXSpan for every span type, and withTrace / getOrCreateTrace, as in
// @openai/agents-core (same names, same data defaults and key order).
import { createSpanOfKind, getGlobalTraceProvider, isTracingDisabled } from './provider.js';
import { SPAN_TYPES, Span, NoopSpan, setShapeKeeperMaker } from './spans.js';
import { Trace, NoopTrace, traceShapeKeeper } from './traces.js';
import { runWithStore, getCurrentTrace, forkActiveStore } from './context.js';
import { optionalObject, requireFunction, describe, isObject } from './validate.js';

function requireString(data, key, type) {
  if (typeof data[key] !== 'string') {
    throw new TypeError(`options.data.${key} is required for ${type} spans and must be a string, got ${describe(data[key])}`);
  }
}

function requireAudio(data, key, type) {
  const value = data[key];
  if (!isObject(value) || typeof value.data !== 'string' || typeof value.format !== 'string') {
    throw new TypeError(`options.data.${key} is required for ${type} spans and must be {data: string, format: string}`);
  }
}

// Each builds the span data as the SDK does: `{type, ...defaults, ...data}`.
const BUILDERS = {
  agent: (d) => ({ type: 'agent', name: d.name ?? 'Agent', ...d }),
  function: (d) => {
    requireString(d, 'name', 'function');
    // The same object the spread makes, built directly when the data is the common shape.
    for (const key in d) {
      if (key !== 'name' && key !== 'input' && key !== 'output') {
        return { type: 'function', input: d.input ?? '', output: d.output ?? '', ...d };
      }
    }
    return { type: 'function', input: d.input ?? '', output: d.output ?? '', name: d.name };
  },
  generation: (d) => ({ type: 'generation', ...d }),
  response: (d) => ({ type: 'response', ...d }),
  handoff: (d) => ({ type: 'handoff', ...d }),
  guardrail: (d) => { requireString(d, 'name', 'guardrail'); return { type: 'guardrail', triggered: false, ...d }; },
  custom: (d) => { requireString(d, 'name', 'custom'); return { type: 'custom', data: {}, ...d }; },
  mcp_tools: (d) => ({ type: 'mcp_tools', ...d }),
  transcription: (d) => { requireAudio(d, 'input', 'transcription'); return { type: 'transcription', ...d }; },
  speech: (d) => { requireAudio(d, 'output', 'speech'); return { type: 'speech', ...d }; },
  speech_group: (d) => ({ type: 'speech_group', ...d }),
  task: (d) => ({ type: 'task', name: d.name ?? 'Agent workflow', ...d }),
  turn: (d) => {
    if (typeof d.turn !== 'number') throw new TypeError(`options.data.turn is required for turn spans and must be a number, got ${describe(d.turn)}`);
    requireString(d, 'agent_name', 'turn');
    return { type: 'turn', ...d };
  },
};

/** A neutral value of the same JS type (what a shape keeper's data holds). */
function neutral(value) {
  switch (typeof value) {
    case 'string': return '';
    case 'number': return 0;
    case 'boolean': return false;
    default: return null;
  }
}

// A finished span of the same kind, built by the same code from neutral values of the same keys
// (so it has the span's hidden classes), under a neutral trace: see spans.js's shape keepers.
setShapeKeeperMaker((span) => {
  const type = SPAN_TYPES[span._kind];
  const raw = {};
  for (const key in span._data) if (key !== 'type') raw[key] = neutral(span._data[key]);
  let data;
  try {
    data = BUILDERS[type](raw);
  } catch {
    data = { type };
  }
  data.type = type;
  const keeper = new Span(span._kind, data, traceShapeKeeper(), null, {});
  keeper._startedMs = 0;
  keeper._endedMs = 0;
  return keeper;
});

function spanFactory(type) {
  const kind = SPAN_TYPES.indexOf(type);
  const build = BUILDERS[type];
  const buildData = (raw) => {
    const data = build(raw);
    data.type = type;
    return data;
  };
  return (options, parent) => {
    const o = optionalObject(options, 'options');
    const raw = optionalObject(o.data, 'options.data');
    // Disabled: no span data is built unless someone reads `spanData`.
    if (o.disabled === true || isTracingDisabled()) return new NoopSpan(undefined, buildData, raw);
    return createSpanOfKind(kind, buildData(raw), o, parent);
  };
}

function recordThrown(span, error) {
  const record = typeof error === 'object' && error !== null ? error : undefined;
  const data = record?.data;
  span.setError({
    message: typeof record?.message === 'string' ? record.message : String(error),
    data: typeof data === 'object' && data !== null ? data : undefined,
  });
}

function withSpanFactory(create) {
  return async (fn, options, parent) => {
    requireFunction(fn, 'fn');
    const span = create(options, parent);
    const body = async () => {
      span.start();
      try {
        return await fn(span);
      } catch (error) {
        if (span.error === null) recordThrown(span, error);
        throw error;
      } finally {
        span.end();
      }
    };
    if (!(span instanceof Span)) return body();
    const store = forkActiveStore(span) ?? { trace: span._trace, span, active: true };
    if (store.trace !== span._trace) store.trace = span._trace;
    return runWithStore(store, body);
  };
}

const createAgentSpan = spanFactory('agent');
const createFunctionSpan = spanFactory('function');
const createGenerationSpan = spanFactory('generation');
const createResponseSpan = spanFactory('response');
const createHandoffSpan = spanFactory('handoff');
const createGuardrailSpan = spanFactory('guardrail');
const createCustomSpan = spanFactory('custom');
const createMCPListToolsSpan = spanFactory('mcp_tools');
const createTranscriptionSpan = spanFactory('transcription');
const createSpeechSpan = spanFactory('speech');
const createSpeechGroupSpan = spanFactory('speech_group');
const createTaskSpan = spanFactory('task');
const createTurnSpan = spanFactory('turn');

const withAgentSpan = withSpanFactory(createAgentSpan);
const withFunctionSpan = withSpanFactory(createFunctionSpan);
const withGenerationSpan = withSpanFactory(createGenerationSpan);
const withResponseSpan = withSpanFactory(createResponseSpan);
const withHandoffSpan = withSpanFactory(createHandoffSpan);
const withGuardrailSpan = withSpanFactory(createGuardrailSpan);
const withCustomSpan = withSpanFactory(createCustomSpan);
const withMCPListToolsSpan = withSpanFactory(createMCPListToolsSpan);
const withTranscriptionSpan = withSpanFactory(createTranscriptionSpan);
const withSpeechSpan = withSpanFactory(createSpeechSpan);
const withSpeechGroupSpan = withSpanFactory(createSpeechGroupSpan);
const withTaskSpan = withSpanFactory(createTaskSpan);
const withTurnSpan = withSpanFactory(createTurnSpan);

/**
 * Runs `fn(trace)` inside `trace`: starts it, awaits `fn`, ends it (also when `fn` throws). The
 * storage restores the caller's context; the store is deactivated for async work `fn` left
 * behind.
 */
function runTrace(trace, fn) {
  const store = { trace, active: true };
  return runWithStore(store, async () => {
    try {
      await trace.start();
      return await fn(trace);
    } finally {
      await trace.end();
      store.active = false;
      store.trace = undefined;
      store.span = undefined;
      store.previousSpan = undefined;
    }
  });
}

/** Runs `fn` in a new trace named `trace` (or in the given Trace object). */
async function withTrace(trace, fn, options) {
  requireFunction(fn, 'fn');
  let target;
  if (typeof trace === 'string') {
    target = getGlobalTraceProvider().createTrace({ ...optionalObject(options, 'options'), name: trace });
  } else if (trace instanceof Trace || trace instanceof NoopTrace) {
    target = trace;
  } else {
    throw new TypeError(`withTrace: trace must be a workflow name or a Trace, got ${describe(trace)}`);
  }
  return runTrace(target, fn);
}

/** Runs `fn` in the current trace, or in a new one made from `options` when there is none. */
async function getOrCreateTrace(fn, options) {
  requireFunction(fn, 'fn');
  if (getCurrentTrace() !== null) return fn();
  return runTrace(getGlobalTraceProvider().createTrace(options), () => fn());
}

/** The span factories and runners and the trace runners, by their public names (for api.js). */
export const SPAN_AND_TRACE_FUNCTIONS = {
  createAgentSpan, createCustomSpan, createFunctionSpan, createGenerationSpan, createGuardrailSpan,
  createHandoffSpan, createMCPListToolsSpan, createResponseSpan, createSpeechGroupSpan,
  createSpeechSpan, createTaskSpan, createTranscriptionSpan, createTurnSpan, withAgentSpan,
  withCustomSpan, withFunctionSpan, withGenerationSpan, withGuardrailSpan, withHandoffSpan,
  withMCPListToolsSpan, withResponseSpan, withSpeechGroupSpan, withSpeechSpan, withTaskSpan,
  withTranscriptionSpan, withTurnSpan, withTrace, getOrCreateTrace,
};
