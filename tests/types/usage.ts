// Type-level usage of every edgetrace export, written the way an @openai/agents-core user would
// write it: a small agent run, a JS processor, batch processors with both exporter kinds, the
// switches and the context helpers. `make typecheck` compiles it (no emit); it also runs as is
// (compile with --noEmit false --outDir <dir>), asserting what the types promise.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  BatchTraceProcessor,
  ConsoleSpanExporter,
  ExportedItem,
  NoopSpan,
  NoopTrace,
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
  setTraceProcessors,
  setTracingContextStorage,
  setTracingDisabled,
  setTracingExportApiKey,
  setTracingIdGenerator,
  setTracingIncludeSensitiveData,
  setTracingClock,
  OpenAITracingExporter,
  setDefaultOpenAITracingExporter,
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
} from 'edgetrace';
import type {
  AgentSpanData,
  BatchTraceProcessorOptions,
  BatchTraceProcessorStats,
  BodyExporter,
  CreateSpanOptions,
  CustomSpanData,
  FunctionSpanData,
  GenerationSpanData,
  GenerationUsageData,
  GuardrailSpanData,
  HandoffSpanData,
  MCPListToolsSpanData,
  ResponseSpanData,
  SpanData,
  SpanError,
  SpanJSON,
  SpeechGroupSpanData,
  SpeechSpanData,
  TaskSpanData,
  TaskUsageData,
  TraceContextSnapshot,
  TraceJSON,
  TraceOptions,
  TracingContextStorage,
  TracingExporter,
  TracingIdGenerator,
  TracingLogLevel,
  TracingLogger,
  TracingProcessor,
  TranscriptionSpanData,
  TurnSpanData,
  TurnUsageData,
} from 'edgetrace';

const TRACE_ID = /^trace_[0-9a-f]{32}$/;
const SPAN_ID = /^span_[0-9a-f]{24}$/;

// --- Logging: collect the library's warnings instead of printing them. ---------------------------

const logLines: string[] = [];
const logLevel: TracingLogLevel = 'warn';
const collectingLogger: Partial<TracingLogger> = {
  warn: (...args: unknown[]) => { logLines.push(args.map(String).join(' ')); },
  error: (...args: unknown[]) => { logLines.push(args.map(String).join(' ')); },
};
setTracingLogger(collectingLogger, { level: logLevel });

// --- Context storage: any AsyncLocalStorage-like object plugs in. --------------------------------

const storage: TracingContextStorage = new AsyncLocalStorage<unknown>();
setTracingContextStorage(storage);

// --- A processor written in JS: every method optional, sync or async. -----------------------------

class RecordingProcessor implements TracingProcessor {
  readonly events: string[] = [];
  readonly ended: SpanJSON[] = [];
  flushed = 0;

  async onTraceStart(trace: Trace): Promise<void> {
    const json: TraceJSON = trace.toJSON();
    this.events.push(`trace start ${json.workflow_name} ${trace.groupId ?? '-'}`);
  }

  onTraceEnd(trace: Trace): void {
    this.events.push(`trace end ${trace.name}`);
  }

  onSpanStart(span: Span<any>): void {
    this.events.push(`span start ${span.spanData.type}`);
  }

  onSpanEnd(span: Span<SpanData>): void {
    const data = span.spanData;
    // SpanData is a union discriminated by `type`.
    let label: string = data.type;
    if (data.type === 'function') label = `function ${data.name} -> ${data.output}`;
    else if (data.type === 'generation') label = `generation ${data.model ?? '?'}`;
    else if (data.type === 'turn') label = `turn ${data.turn} of ${data.agent_name}`;
    this.events.push(`span end ${label}${span.error ? ` (error: ${span.error.message})` : ''}`);
    this.ended.push(span.toJSON());
  }

  forceFlush(): void {
    this.flushed += 1;
  }

  async shutdown(_timeout?: number): Promise<void> {
    this.events.push('shutdown');
  }
}

// An object literal is a processor too.
const counting: TracingProcessor = {
  onSpanEnd: () => { spansSeen += 1; },
};
let spansSeen = 0;

// --- Exporters: one receiving items, one receiving the ready-made ingest body. ---------------------

const exportedItems: Array<TraceJSON | SpanJSON> = [];
const itemExporter: TracingExporter = {
  async export(items: ExportedItem[], _signal?: AbortSignal): Promise<void> {
    for (const item of items) {
      assert.ok(item instanceof ExportedItem);
      if (item.type === 'trace') {
        assert.equal(typeof item.name, 'string');
        assert.equal(item.spanId, undefined);
      } else {
        assert.match(item.spanId ?? '', SPAN_ID);
      }
      assert.match(item.traceId, TRACE_ID);
      exportedItems.push(item.toJSON());
    }
  },
};

const bodies: Array<{ items: number; data: unknown[] }> = [];
const bodyExporter: BodyExporter = {
  exportBody(body, info) {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { data: unknown[] };
    bodies.push({ items: info.items, data: parsed.data });
  },
};

/** What a real ingest exporter looks like: the body goes to fetch as is. */
function ingestExporter(endpoint: string, apiKey: string): BodyExporter {
  return {
    async exportBody(body: Uint8Array<ArrayBuffer>): Promise<void> {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', 'OpenAI-Beta': 'traces=v1' },
        body,
      });
      if (!response.ok) throw new Error(`ingest failed: ${response.status}`);
    },
  };
}

const batchOptions: BatchTraceProcessorOptions = { maxQueueSize: 2000, maxBatchSize: 50, scheduleDelay: 1000, exportTriggerRatio: 0.5 };
const itemBatch = new BatchTraceProcessor(itemExporter, batchOptions);
const bodyBatch = new BatchTraceProcessor(bodyExporter);
const consoleExporter: TracingExporter = new ConsoleSpanExporter();
const recorder = new RecordingProcessor();

setTraceProcessors([itemBatch, bodyBatch]);
addTraceProcessor(recorder);
addTraceProcessor(counting);
if (process.env.EDGETRACE_INGEST_URL) {
  addTraceProcessor(new BatchTraceProcessor(ingestExporter(process.env.EDGETRACE_INGEST_URL, getTracingExportApiKey() ?? '')));
}
itemBatch.start();
startTraceExportLoop();

// --- Switches. ----------------------------------------------------------------------------------

setTracingDisabled(false);
setTracingIncludeSensitiveData(true);
setTracingIncludeSensitiveData(true, false);
setTracingExportApiKey('sk-test-key');
assert.equal(getTracingExportApiKey(), 'sk-test-key');
setTracingExportApiKey(undefined);
assert.equal(getTracingExportApiKey(), undefined);

// --- Ids. ---------------------------------------------------------------------------------------

assert.match(generateTraceId(), TRACE_ID);
assert.match(generateSpanId(), SPAN_ID);
assert.match(generateGroupId(), /^group_[0-9a-f]{24}$/);
const idGenerator: TracingIdGenerator = defaultTracingIdGenerator;
assert.match(idGenerator.generateSpanId(), SPAN_ID);

let traceCounter = 0;
setTracingIdGenerator({ generateTraceId: () => `trace_${(++traceCounter).toString(16).padStart(32, '0')}` });
const provider: TraceProvider = getGlobalTraceProvider();
assert.equal(provider.generateTraceId(), `trace_${'1'.padStart(32, '0')}`);
setTracingIdGenerator(undefined);
provider.setIdGenerator(defaultTracingIdGenerator);
assert.match(provider.generateSpanId(), SPAN_ID);

// --- A small agent run. -------------------------------------------------------------------------

type Weather = { city: string; celsius: number };

async function getWeather(city: string): Promise<Weather> {
  return { city, celsius: 21 };
}

async function callModel(input: Array<Record<string, any>>): Promise<{ text: string; usage: GenerationUsageData }> {
  return { text: `echo: ${input.length} messages`, usage: { input_tokens: 12, output_tokens: 5, details: null } };
}

const traceOptions: TraceOptions = {
  groupId: generateGroupId(),
  metadata: { user: 'u_123', plan: 'pro' },
  tracingApiKey: 'sk-trace-key',
  includeSensitiveData: true,
  includeSensitiveAudioData: false,
};

const answer: string = await withTrace('Weather assistant', async (trace) => {
  assert.ok(trace instanceof Trace);
  assert.equal(getCurrentTrace(), trace);
  assert.equal(getCurrentSpan(), null);

  const taskUsage: TaskUsageData = { input_tokens: 12, output_tokens: 5, cached_input_tokens: 0, cache_write_input_tokens: 0, requests: 1, total_tokens: 17 };
  return withTaskSpan(async (task) => {
    task.spanData.usage = taskUsage;
    return withAgentSpan(async (agentSpan): Promise<string> => {
      const agentData: AgentSpanData = agentSpan.spanData;
      agentData.tools = ['get_weather'];
      assert.equal(agentData.name, 'Weather agent');

      const turnUsage: TurnUsageData = { input_tokens: 12, output_tokens: 5, cached_input_tokens: 0, cache_write_input_tokens: 0 };
      const reply = await withTurnSpan(async (turn) => {
        turn.spanData.usage = turnUsage;

        await withGuardrailSpan(async (guard) => {
          const data: GuardrailSpanData = guard.spanData;
          assert.equal(data.triggered, false);
        }, { data: { name: 'no_pii' } });

        const listed = await withMCPListToolsSpan(async (span) => {
          const data: MCPListToolsSpanData = span.spanData;
          data.result = ['get_weather'];
          return data.result;
        }, { data: { server: 'weather-mcp' } });

        const weather = await withFunctionSpan(async (fnSpan) => {
          const data: FunctionSpanData = fnSpan.spanData;
          assert.equal(data.output, '');
          assert.ok(fnSpan instanceof Span);
          assert.equal(getCurrentSpan(), fnSpan);
          assert.equal(fnSpan.parentId, turn.spanId);
          const result = await getWeather('Paris');
          data.output = JSON.stringify(result);
          return result;
        }, { data: { name: listed[0] ?? 'get_weather', input: '{"city":"Paris"}' } });

        const modelText = await withGenerationSpan(async (gen) => {
          const data: GenerationSpanData = gen.spanData;
          const { text, usage } = await callModel(data.input ?? []);
          data.output = [{ role: 'assistant', content: text }];
          data.usage = usage;
          return text;
        }, { data: { model: 'gpt-4.1', model_config: { temperature: 0 }, input: [{ role: 'user', content: 'Weather in Paris?' }] } });

        await withResponseSpan(async (span) => {
          const data: ResponseSpanData = span.spanData;
          data._response = { id: 'resp_123', output_text: modelText };
        }, { data: { response_id: 'resp_123' } });

        return `${modelText}; ${weather.city} is ${weather.celsius} C`;
      }, { data: { turn: 1, agent_name: agentData.name } });

      // A tool that fails: the span records the error and the error is rethrown unchanged.
      const failure = new Error('upstream timeout');
      await assert.rejects(
        withFunctionSpan(async () => { throw failure; }, { data: { name: 'flaky_tool' } }),
        (thrown) => thrown === failure,
      );

      const handedTo = await withHandoffSpan(async (span) => {
        span.spanData.to_agent = 'Billing agent';
        return span.spanData.to_agent;
      }, { data: { from_agent: agentData.name } });
      await withCustomSpan(async (span) => {
        const data: CustomSpanData = span.spanData;
        assert.deepEqual(data.data, {});
        data.data.refreshed = handedTo;
      }, { data: { name: 'cache refresh' } });

      // Handoff and custom spans made by hand, with an explicit parent and an explicit error.
      const handoff = createHandoffSpan({ data: { from_agent: agentData.name, to_agent: 'Billing agent' } }, agentSpan);
      handoff.start();
      const handoffData: HandoffSpanData = handoff.spanData;
      assert.equal(handoffData.to_agent, 'Billing agent');
      handoff.end();

      const cache = createCustomSpan({ data: { name: 'cache lookup', data: { hit: false } } });
      cache.start();
      const cacheError: SpanError = { message: 'cache unavailable', data: { retryable: true } };
      cache.setError(cacheError);
      assert.deepEqual(cache.error, cacheError);
      cache.end();
      assert.ok(cache.endedAt !== null);

      // Context helpers: make a span current by hand, then restore.
      const manual = createAgentSpan({ data: { name: 'Sub agent' } });
      manual.start();
      setCurrentSpan(manual);
      const child = createGuardrailSpan({ data: { name: 'inner', triggered: true } });
      assert.equal(child.parentId, manual.spanId);
      child.start();
      child.end();
      resetCurrentSpan();
      assert.equal(getCurrentSpan(), agentSpan);
      manual.end();

      // Capture the context and resume it in a callback that lost it.
      const snapshot: TraceContextSnapshot | null = getCurrentTraceContext();
      assert.ok(snapshot);
      assert.equal(snapshot.span, agentSpan);
      const resumedParent = await new Promise<string | null>((resolve) => {
        withTraceContext(null, () => {
          assert.equal(getCurrentTrace(), null);
          setTimeout(() => {
            resolve(withTraceContext(snapshot, () => {
              const later = createCustomSpan({ data: { name: 'resumed' } });
              later.start();
              later.end();
              return later.parentId;
            }));
          }, 1);
        });
      });
      assert.equal(resumedParent, agentSpan.spanId);

      return reply;
    }, { data: { name: 'Weather agent', handoffs: ['Billing agent'], output_type: 'text' } });
  }, { data: { name: 'Weather assistant run' } });
}, traceOptions);

assert.match(answer, /Paris is 21 C/);
assert.equal(getCurrentTrace(), null);

// --- Voice spans. -------------------------------------------------------------------------------

await withTrace('Voice pipeline', async () => {
  await withSpeechGroupSpan(async (group) => {
    const groupData: SpeechGroupSpanData = group.spanData;
    groupData.input = 'Hello there';
    const heard = await withTranscriptionSpan(async (span) => {
      const data: TranscriptionSpanData = span.spanData;
      data.output = 'hello there';
      return data.output;
    }, { data: { input: { data: 'UklGRg==', format: 'pcm' }, model: 'gpt-4o-transcribe' } });
    await withSpeechSpan(async (span) => {
      const data: SpeechSpanData = span.spanData;
      data.input = heard;
    }, { data: { output: { data: 'UklGRg==', format: 'mp3' }, model: 'gpt-4o-mini-tts' } });
  });
});

// --- The same spans made with createXSpan (not started until start()). -------------------------

await getOrCreateTrace(async () => {
  const trace = getCurrentTrace();
  assert.ok(trace instanceof Trace);
  assert.equal(trace.name, 'Agent workflow');
  const spans = [
    createTaskSpan(),
    createTurnSpan({ data: { turn: 2, agent_name: 'Weather agent' } }),
    createGenerationSpan({ data: { model: 'gpt-4.1-mini' } }),
    createResponseSpan({ data: { response_id: 'resp_456' } }),
    createMCPListToolsSpan(),
    createSpeechGroupSpan(),
    createTranscriptionSpan({ data: { input: { data: '', format: 'pcm' } } }),
    createSpeechSpan({ data: { output: { data: '', format: 'pcm' } } }),
    createFunctionSpan({ data: { name: 'noop_tool' } }, trace),
  ];
  for (const span of spans) {
    assert.equal(span.startedAt, null);
    span.start();
    span.end();
    assert.match(span.spanId, SPAN_ID);
  }
  const taskData: TaskSpanData = (spans[0] as Span<TaskSpanData>).spanData;
  assert.equal(taskData.name, 'Agent workflow');
  const turnData: TurnSpanData = (spans[1] as Span<TurnSpanData>).spanData;
  assert.equal(turnData.turn, 2);

  // Nested getOrCreateTrace reuses the current trace.
  await getOrCreateTrace(() => assert.equal(getCurrentTrace(), trace));
});

// --- Provider API, explicit traces and replay. --------------------------------------------------

const explicitId = generateTraceId();
const imported = provider.createTrace({ traceId: explicitId, name: 'Imported run', metadata: { source: 'queue' } });
assert.ok(imported instanceof Trace);
assert.equal(imported.traceId, explicitId);
const customOptions: CreateSpanOptions<CustomSpanData> = {
  data: { type: 'custom', name: 'imported step', data: { attempt: 1 } },
  startedAt: '2025-01-01T00:00:00.000Z',
  endedAt: '2025-01-01T00:00:01.500Z',
};
const importedSpan = provider.createSpan(customOptions, imported);
assert.ok(importedSpan instanceof Span);
await dispatchTrace(imported);
await dispatchSpan(importedSpan);
assert.equal(importedSpan.endedAt, '2025-01-01T00:00:01.500Z');
await dispatchSpanStart(importedSpan);
await dispatchSpanEnd(importedSpan);
await provider.dispatchSpan(importedSpan);
assert.equal(importedSpan.toJSON().ended_at, '2025-01-01T00:00:01.500Z');
assert.deepEqual(imported.toJSON({ includeTracingApiKey: true }).metadata, { source: 'queue' });

await withTrace(imported, async (same) => assert.equal(same, imported));
assert.equal(provider.getCurrentTrace(), null);
assert.equal(provider.getCurrentSpan(), null);

// --- Disabled tracing: no-op traces and spans, user code unchanged. -----------------------------

const disabledResult = await withTrace('Not recorded', async (trace) => {
  assert.ok(trace instanceof NoopTrace);
  assert.equal(trace.toJSON(), null);
  return withAgentSpan(async (span) => {
    assert.ok(span instanceof NoopSpan);
    assert.ok(!(span instanceof Span));
    assert.equal(span.toJSON(), null);
    return 42;
  });
}, { disabled: true });
assert.equal(disabledResult, 42);

setTracingDisabled(true);
const noopSpan = createFunctionSpan({ data: { name: 'ignored' } });
assert.ok(noopSpan instanceof NoopSpan);
assert.equal(noopSpan.spanId, 'no-op');
provider.setDisabled(false);

// Outside any trace a span is a no-op too.
const orphan = createCustomSpan({ data: { name: 'orphan' } });
assert.ok(orphan instanceof NoopSpan);

// --- Wrong calls are rejected by the types (and by the runtime). ---------------------------------

assert.throws(() => {
  // @ts-expect-error data.name is required for function spans
  createFunctionSpan({ data: { input: '{}' } });
}, TypeError);
assert.throws(() => {
  // @ts-expect-error not an exporter
  new BatchTraceProcessor(42);
}, TypeError);
assert.throws(() => {
  // @ts-expect-error an exporter needs export() or exportBody()
  new BatchTraceProcessor({ send() {} });
}, TypeError);
assert.throws(() => {
  // @ts-expect-error options are numbers
  new BatchTraceProcessor(itemExporter, { maxQueueSize: '10' });
}, TypeError);
assert.throws(() => {
  // @ts-expect-error agent_name is required for turn spans
  createTurnSpan({ data: { turn: 1 } });
}, TypeError);
assert.throws(() => {
  // @ts-expect-error transcription spans need input audio
  createTranscriptionSpan({ data: { output: 'text' } });
}, TypeError);
assert.throws(() => {
  // @ts-expect-error a boolean, not a string
  setTracingDisabled('yes');
}, TypeError);
assert.throws(() => {
  // @ts-expect-error includeData is required
  setTracingIncludeSensitiveData();
}, TypeError);
assert.throws(() => {
  // @ts-expect-error processor methods must be functions
  addTraceProcessor({ onSpanEnd: 42 });
}, TypeError);
assert.throws(() => {
  // @ts-expect-error unknown log level
  setTracingLogger(console, { level: 'verbose' });
}, RangeError);
assert.throws(() => {
  // @ts-expect-error spans come from the factories, not a constructor
  new Span();
}, TypeError);
await assert.rejects(async () => {
  // @ts-expect-error fn must be a function
  await withTrace('bad', 'not a function');
}, TypeError);
await assert.rejects(async () => {
  // @ts-expect-error metadata is an object
  await withTrace('bad metadata', async () => {}, { metadata: 'x' });
}, TypeError);
await assert.rejects(async () => {
  // @ts-expect-error dispatch takes an edgetrace Trace
  await dispatchTrace({ traceId: explicitId });
}, TypeError);
assert.throws(() => {
  // @ts-expect-error traceId is read-only
  imported.traceId = generateTraceId();
}, TypeError);
assert.throws(() => provider.createTrace({ traceId: 'trace_not-hex' }), TypeError);

// --- Flush, inspect, shut down. -----------------------------------------------------------------

await forceFlush();
await provider.forceFlush();

const itemStats: BatchTraceProcessorStats = itemBatch.stats();
const bodyStats = bodyBatch.stats();
assert.equal(itemStats.dropped, 0);
assert.equal(itemStats.failed, 0);
assert.equal(itemStats.pending, 0);
assert.equal(itemStats.exported, itemStats.queued);
assert.equal(itemStats.queued, itemStats.pending + itemStats.inFlight + itemStats.exported + itemStats.failed + itemStats.dropped);
assert.equal(itemStats.refused + itemStats.timedOut, 0);
assert.equal(bodyStats.queued, itemStats.queued);
assert.equal(exportedItems.length, itemStats.exported);
assert.equal(bodies.reduce((n, b) => n + b.items, 0), bodyStats.exported);
assert.equal(bodies.reduce((n, b) => n + b.data.length, 0), bodyStats.exported);

const traceItems = exportedItems.filter((item): item is TraceJSON => item.object === 'trace');
const spanItems = exportedItems.filter((item): item is SpanJSON => item.object === 'trace.span');
assert.ok(traceItems.some((t) => t.workflow_name === 'Weather assistant' && t.metadata.user === 'u_123'));
const failed = spanItems.find((s) => s.span_data.name === 'flaky_tool');
assert.equal(failed?.error?.message, 'upstream timeout');
assert.ok(spanItems.every((s) => !('_response' in s.span_data)));
assert.equal(spansSeen, recorder.ended.length);
assert.ok(recorder.events.includes('trace start Weather assistant ' + traceOptions.groupId));
assert.ok(recorder.flushed >= 2);

await consoleExporter.export([]);
await provider.shutdown(1000);
assert.ok(recorder.events.includes('shutdown'));
assert.deepEqual(logLines.filter((line) => !line.includes('Span already')), []);

setTracingLogger(undefined);
setTracingClock(() => Date.parse('2026-11-25T02:09:16.873Z'));
setTracingClock(undefined);
const openai = new OpenAITracingExporter({ apiKey: 'sk-test', endpoint: 'http://127.0.0.1:9/ingest', maxRetries: 1, timeout: 50 });
const openaiStats: { requests: number; delivered: number; retried: number; failed: number } = openai.stats();
assert.equal(openaiStats.requests, 0);
assert.equal(openai.stats().fieldsDropped + openai.stats().itemsDropped, 0);
const bounded = new BatchTraceProcessor(openai, { exportTimeout: 5_000, maxAbandonedExports: 1 });
// @ts-expect-error exportTimeout is a number of milliseconds
assert.throws(() => new BatchTraceProcessor(openai, { exportTimeout: '5s' }), TypeError);
await bounded.shutdown();
// @ts-expect-error headers are strings
assert.throws(() => new OpenAITracingExporter({ headers: { a: 1 } }), TypeError);
setDefaultOpenAITracingExporter();
setTraceProcessors([]);
// @ts-expect-error the clock must be a function
assert.throws(() => setTracingClock(5 as never as number), TypeError);
setTracingContextStorage(undefined);
