// Bad input: every public function given wrong types, missing arguments, cyclic or BigInt data,
// huge strings, throwing proxies, junk processors, misuse of span lifecycles. Each gets a
// TypeError/RangeError naming the argument or a documented no-op; tracing keeps working.
import { useBatch, reset, byName } from './helpers.mjs';

const throwingProxy = new Proxy({}, {
  get() { throw new Error('proxy get'); },
  has() { throw new Error('proxy has'); },
  ownKeys() { throw new Error('proxy ownKeys'); },
  getOwnPropertyDescriptor() { throw new Error('proxy descriptor'); },
});

async function stillTraces(et, assert) {
  const { items, flush } = useBatch(et);
  await et.withTrace('after', async () => et.withFunctionSpan(async () => {}, { data: { name: 'ok' } }));
  await flush();
  assert.equal(items.length, 2, 'tracing still works afterwards');
  assert.equal(items[1].span_data.name, 'ok');
}

export default function register(test, et, assert) {
  test('withTrace / getOrCreateTrace reject bad arguments with TypeErrors naming them', async () => {
    reset(et);
    await assert.rejects(et.withTrace('t'), TypeError, /fn must be a function/);
    await assert.rejects(et.withTrace(42, async () => {}), TypeError, /trace must be/);
    await assert.rejects(et.withTrace('t', async () => {}, 'opts'), TypeError, /options must be an object/);
    await assert.rejects(et.withTrace('t', async () => {}, { groupId: 5 }), TypeError, /options.groupId must be a string/);
    await assert.rejects(et.withTrace('t', async () => {}, { metadata: [1] }), TypeError, /metadata must be an object/);
    await assert.rejects(et.getOrCreateTrace(null), TypeError, /fn must be a function/);
    await stillTraces(et, assert);
  });

  test('span factories reject bad options with TypeErrors naming them', async () => {
    reset(et);
    await et.withTrace('t', async () => {
      assert.throws(() => et.createFunctionSpan(), TypeError, /options.data.name is required/);
      assert.throws(() => et.createFunctionSpan({ data: { name: 1 } }), TypeError, /options.data.name/);
      assert.throws(() => et.createFunctionSpan('x'), TypeError, /options must be an object/);
      assert.throws(() => et.createAgentSpan({ data: 'x' }), TypeError, /options.data must be an object/);
      assert.throws(() => et.createTurnSpan({ data: { agent_name: 'a' } }), TypeError, /options.data.turn/);
      assert.throws(() => et.createSpeechSpan({ data: { output: 'x' } }), TypeError, /options.data.output/);
      assert.throws(() => et.createTranscriptionSpan({ data: {} }), TypeError, /options.data.input/);
      assert.throws(() => et.createCustomSpan({ data: { name: 'c' }, spanId: 'span_x' }), TypeError, /spanId/);
      assert.throws(() => et.createCustomSpan({ data: { name: 'c' }, startedAt: 'yesterday' }), RangeError,
        /^options\.startedAt: time must be an ISO 8601 UTC string/);
      assert.throws(() => et.createCustomSpan({ data: { name: 'c' }, startedAt: 5 }), TypeError, /startedAt/);
      assert.throws(() => et.createCustomSpan({ data: { name: 'c' }, error: 'bad' }), TypeError, /options.error/);
      assert.throws(() => et.createCustomSpan({ data: { name: 'c' } }, { not: 'a span' }), TypeError, /parent must be a Span or Trace/);
      assert.throws(() => et.getGlobalTraceProvider().createSpan({ data: { type: 'nope' } }), TypeError, /options.data.type must be one of/);
      await assert.rejects(et.withFunctionSpan(undefined, { data: { name: 'f' } }), TypeError, /fn must be a function/);
    });
    await stillTraces(et, assert);
  });

  test('setError validates its argument', async () => {
    reset(et);
    await et.withTrace('t', async () => {
      const span = et.createCustomSpan({ data: { name: 'c' } });
      assert.throws(() => span.setError('boom'), TypeError, /error must be \{message/);
      assert.throws(() => span.setError({ message: 1 }), TypeError, /error must be/);
      assert.throws(() => span.setError({ message: 'm', data: 5 }), TypeError, /error.data/);
    });
  });

  test('cyclic, BigInt and throwing span data: the span is exported without the bad fields (input/output as the SDK exporter sends them)', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    const cyclic = { name: 'loop' };
    cyclic.self = cyclic;
    await et.withTrace('t', async () => {
      await et.withCustomSpan(async () => {}, { data: { name: 'cyclic', data: cyclic, kept: 1 } });
      await et.withCustomSpan(async () => {}, { data: { name: 'bigint', data: { n: 10n }, kept: 2 } });
      await et.withFunctionSpan(async () => {}, { data: { name: 'big-input', input: 5n } });
      await et.withGenerationSpan(async () => {}, { data: { model: 'safe-input', input: [{ n: 5n, text: 'kept' }, 7n, cyclic] } });
      const span = et.createCustomSpan({ data: { name: 'getter' } });
      Object.defineProperty(span.spanData, 'bad', { enumerable: true, get() { throw new Error('getter'); } });
      span.start();
      span.end();
      await et.withCustomSpan(async (s) => s.setError({ message: 'm', data: cyclic }), { data: { name: 'bad-error-data' } });
    });
    await flush();
    assert.jsonEqual(byName(items, 'cyclic').span_data, { type: 'custom', name: 'cyclic', kept: 1 });
    assert.jsonEqual(byName(items, 'bigint').span_data, { type: 'custom', name: 'bigint', kept: 2 });
    // input/output: what @openai/agents-openai's exporter makes of them (a preview, or a JSON-safe copy).
    assert.jsonEqual(byName(items, 'big-input').span_data,
      { type: 'function', input: { truncated: true, original_type: 'bigint', preview: '<bigint truncated>' }, output: '', name: 'big-input' });
    assert.jsonEqual(items.find((i) => i.span_data?.model === 'safe-input').span_data,
      { type: 'generation', model: 'safe-input', input: [{ text: 'kept' }, null, { name: 'loop' }] });
    assert.jsonEqual(byName(items, 'getter').span_data, { type: 'custom', data: {}, name: 'getter' });
    assert.jsonEqual(byName(items, 'bad-error-data').error, { message: 'm' });
  });

  test('cyclic or BigInt trace metadata is a TypeError naming metadata', async () => {
    reset(et);
    const cyclic = {};
    cyclic.self = cyclic;
    await assert.rejects(et.withTrace('t', async () => {}, { metadata: cyclic }), TypeError, /metadata must be JSON-serializable/);
    await assert.rejects(et.withTrace('t', async () => {}, { metadata: { n: 1n } }), TypeError, /metadata/);
    await stillTraces(et, assert);
  });

  test('huge strings: RangeError for names, dropped span fields, nothing traps', async () => {
    reset(et);
    const huge = 'x'.repeat(9 * 1024 * 1024);
    await assert.rejects(et.withTrace(huge, async () => {}), RangeError, /options.name is too long/);
    const { items, flush } = useBatch(et);
    await et.withTrace('t', async () => {
      await et.withFunctionSpan(async () => {}, { data: { name: 'huge', input: huge, output: 'small' } });
      await et.withFunctionSpan(async () => {}, { data: { name: 'large', input: 'y'.repeat(1024 * 1024) } });
    });
    await flush();
    assert.jsonEqual(byName(items, 'huge').span_data, { type: 'function', output: 'small', name: 'huge' });
    assert.equal(byName(items, 'large').span_data.input.length, 1024 * 1024);
    await stillTraces(et, assert);
  });

  test('junk processors are TypeErrors, and later calls keep working', async () => {
    reset(et);
    for (const junk of [undefined, null, 42, 'p', true]) {
      assert.throws(() => et.addTraceProcessor(junk), TypeError, /processor must be a TracingProcessor/);
    }
    assert.throws(() => et.addTraceProcessor({ onSpanEnd: 'nope' }), TypeError, /processor.onSpanEnd must be a function/);
    assert.throws(() => et.addTraceProcessor(throwingProxy), TypeError, /processor could not be inspected/);
    assert.throws(() => et.setTraceProcessors('p'), TypeError, /processors must be an array/);
    assert.throws(() => et.setTraceProcessors([{}, 7]), TypeError, /processors\[1\]/);
    et.setTraceProcessors([]);
    await stillTraces(et, assert);
  });

  test('BatchTraceProcessor rejects bad exporters and options', () => {
    reset(et);
    assert.throws(() => new et.BatchTraceProcessor(), TypeError, /exporter must be/);
    assert.throws(() => new et.BatchTraceProcessor({}), TypeError, /exporter must be/);
    assert.throws(() => new et.BatchTraceProcessor(throwingProxy), Error);
    const ok = { export() {} };
    assert.throws(() => new et.BatchTraceProcessor(ok, 5), TypeError, /options must be an object/);
    assert.throws(() => new et.BatchTraceProcessor(ok, { maxQueueSize: 0 }), RangeError, /maxQueueSize/);
    assert.throws(() => new et.BatchTraceProcessor(ok, { maxQueueSize: 1.5 }), TypeError, /maxQueueSize/);
    assert.throws(() => new et.BatchTraceProcessor(ok, { maxBatchSize: '10' }), TypeError, /maxBatchSize/);
    assert.throws(() => new et.BatchTraceProcessor(ok, { scheduleDelay: -1 }), RangeError, /scheduleDelay/);
    assert.throws(() => new et.BatchTraceProcessor(ok, { exportTriggerRatio: 0 }), RangeError, /exportTriggerRatio/);
    assert.throws(() => new et.BatchTraceProcessor(ok, { scheduleDelay: NaN }), TypeError, /scheduleDelay must be a number, got NaN/);
    assert.throws(() => new et.BatchTraceProcessor(ok, { exportTriggerRatio: 2 }), RangeError, /exportTriggerRatio/);
  });

  test('switches and helpers reject wrong types', () => {
    reset(et);
    assert.throws(() => et.setTracingDisabled('yes'), TypeError, /disabled must be a boolean/);
    assert.throws(() => et.setTracingIncludeSensitiveData(1), TypeError, /includeData/);
    assert.throws(() => et.setTracingExportApiKey(42), TypeError, /key must be a string/);
    assert.throws(() => et.setTracingIdGenerator(5), TypeError, /generator/);
    assert.throws(() => et.setTracingLogger(5), TypeError, /logger/);
    assert.throws(() => et.setTracingLogger(undefined, { level: 'loud' }), RangeError, /level/);
    assert.throws(() => et.setTracingContextStorage({ run() {} }), TypeError, /getStore/);
    assert.throws(() => et.setTracingContextStorage({ getStore() {} }), TypeError, /run/);
    assert.throws(() => et.withTraceContext({ trace: 1 }, () => {}), TypeError, /context must be/);
  });

  test('a custom id generator with malformed ids is a TypeError; good ones are used', async () => {
    reset(et);
    et.setTracingIdGenerator({ generateTraceId: () => 'not-an-id' });
    await assert.rejects(et.withTrace('t', async (t) => t.traceId), TypeError, /traceId/);
    let n = 0;
    et.setTracingIdGenerator({
      generateTraceId: () => 'trace_' + 'a'.repeat(32),
      generateSpanId: () => 'span_' + String(++n).padStart(24, '0'),
    });
    const { items, flush } = useBatch(et);
    await et.withTrace('t', async () => et.withFunctionSpan(async () => {}, { data: { name: 'f' } }));
    await flush();
    assert.equal(items[0].id, 'trace_' + 'a'.repeat(32));
    assert.equal(items[1].id, 'span_000000000000000000000001');
    et.setTracingIdGenerator(undefined);
  });

  test('ending a span twice exports it once; starting twice keeps the first start', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('t', async () => {
      const span = et.createFunctionSpan({ data: { name: 'twice' } });
      span.start();
      const started = span.startedAt;
      span.start();
      assert.equal(span.startedAt, started);
      span.end();
      span.end();
    });
    await flush();
    assert.equal(items.filter((i) => i.span_data?.name === 'twice').length, 1);
  });

  test('ending a span after its trace ended still exports it; a never-started span has no start time', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    let late;
    let unstarted;
    await et.withTrace('t', async () => {
      late = et.createFunctionSpan({ data: { name: 'late' } });
      late.start();
      unstarted = et.createFunctionSpan({ data: { name: 'unstarted' } });
    });
    late.end();
    unstarted.end();
    await flush();
    assert.equal(byName(items, 'late').trace_id, items[0].id);
    assert.equal(byName(items, 'unstarted').started_at, null);
  });

  test('dispatch functions reject foreign objects and skip no-ops', async () => {
    reset(et);
    await assert.rejects(et.dispatchTrace({}), TypeError, /dispatch expects/);
    await assert.rejects(et.dispatchSpan(5), TypeError, /dispatch expects/);
    await et.dispatchSpan(et.createFunctionSpan({ data: { name: 'noop' } }));
  });

  test('constructors: new Trace(options) is a trace of the registered processors (as agents-core); new Span and new ExportedItem are internal (TypeError saying what to call)', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    const trace = new et.Trace({ name: 'constructed', groupId: 'g-1', metadata: { k: 'v' } });
    await trace.start();
    await trace.end();
    await flush();
    assert.jsonEqual(items.map((i) => [i.workflow_name, i.group_id, i.metadata]), [['constructed', 'g-1', { k: 'v' }]]);
    assert.throws(() => new et.Trace({ name: 5 }), TypeError, /options.name/);
    assert.throws(() => new et.Span({ data: { type: 'custom', name: 'c' } }), TypeError, /createXSpan/);
    assert.throws(() => new et.ExportedItem(), TypeError, /BatchTraceProcessor/);
  });
}
