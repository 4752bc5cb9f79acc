// Ids, times, and the exported JSON of traces and every span type.
import { TRACE_ID, SPAN_ID, GROUP_ID, ISO_TIME, useBatch, reset } from './helpers.mjs';

/** [factory, options.data, expected span_data] — the SDK's defaults, shapes and key order. */
const SPAN_TYPE_CASES = [
  ['createAgentSpan', { name: 'A', tools: ['t'], handoffs: ['B'], output_type: 'str' },
    { type: 'agent', name: 'A', tools: ['t'], handoffs: ['B'], output_type: 'str' }],
  ['createAgentSpan', undefined, { type: 'agent', name: 'Agent' }],
  ['createFunctionSpan', { name: 'f', input: 'i' }, { type: 'function', input: 'i', output: '', name: 'f' }],
  ['createFunctionSpan', { name: 'f', input: 'i', output: 'o', mcp_data: { server: 's' } },
    { type: 'function', input: 'i', output: 'o', name: 'f', mcp_data: { server: 's' } }],
  ['createGenerationSpan', { model: 'gpt-5', input: [{ role: 'user', content: 'hi' }], usage: { input_tokens: 3 } },
    { type: 'generation', model: 'gpt-5', input: [{ role: 'user', content: 'hi' }], usage: { input_tokens: 3 } }],
  ['createResponseSpan', { response_id: 'resp_1', _input: [1], _response: { id: 'x' } }, { type: 'response', response_id: 'resp_1' }],
  ['createHandoffSpan', { from_agent: 'A', to_agent: 'B' }, { type: 'handoff', from_agent: 'A', to_agent: 'B' }],
  ['createGuardrailSpan', { name: 'g' }, { type: 'guardrail', triggered: false, name: 'g' }],
  ['createGuardrailSpan', { name: 'g', triggered: true }, { type: 'guardrail', triggered: true, name: 'g' }],
  ['createCustomSpan', { name: 'c' }, { type: 'custom', data: {}, name: 'c' }],
  ['createCustomSpan', { name: 'c', data: { k: [1, 2.5, null, 'x'] }, extra: true },
    { type: 'custom', data: { k: [1, 2.5, null, 'x'] }, name: 'c', extra: true }],
  ['createMCPListToolsSpan', { server: 's', result: ['a', 'b'] }, { type: 'mcp_tools', server: 's', result: ['a', 'b'] }],
  ['createTranscriptionSpan', { input: { data: 'AAAA', format: 'pcm' }, output: 'hello', model: 'whisper' },
    { type: 'transcription', input: { data: 'AAAA', format: 'pcm' }, output: 'hello', model: 'whisper' }],
  ['createSpeechSpan', { input: 'hello', output: { data: 'AAAA', format: 'pcm' }, model: 'tts' },
    { type: 'speech', input: 'hello', output: { data: 'AAAA', format: 'pcm' }, model: 'tts' }],
  ['createSpeechGroupSpan', { input: 'hello' }, { type: 'speech_group', input: 'hello' }],
  ['createTaskSpan', { name: 'T', usage: { input_tokens: 1, output_tokens: 2 } },
    { type: 'custom', name: 'task', data: { sdk_span_type: 'task', name: 'T', usage: { input_tokens: 1, output_tokens: 2 } } }],
  ['createTaskSpan', undefined, { type: 'custom', name: 'task', data: { sdk_span_type: 'task', name: 'Agent workflow' } }],
  ['createTurnSpan', { turn: 2, agent_name: 'A' },
    { type: 'custom', name: 'turn', data: { sdk_span_type: 'turn', turn: 2, agent_name: 'A' } }],
];

export default function register(test, et, assert) {
  test('ids have the SDK formats and are distinct', () => {
    const seen = new Set();
    for (let i = 0; i < 200; i++) {
      const t = et.generateTraceId();
      const s = et.generateSpanId();
      assert.match(t, TRACE_ID);
      assert.match(s, SPAN_ID);
      seen.add(t).add(s);
    }
    assert.equal(seen.size, 400);
    assert.match(et.generateGroupId(), GROUP_ID);
  });

  test('a trace exports {object, id, workflow_name, group_id, metadata} with metadata {} by default', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('wf', async () => {});
    await et.withTrace('wf2', async () => {}, { groupId: 'conv-1', metadata: { user: 'u1', n: 2 } });
    await flush();
    assert.equal(items.length, 2);
    assert.match(items[0].id, TRACE_ID);
    assert.jsonEqual(items[0], { object: 'trace', id: items[0].id, workflow_name: 'wf', group_id: null, metadata: {} });
    assert.jsonEqual(items[1], { object: 'trace', id: items[1].id, workflow_name: 'wf2', group_id: 'conv-1', metadata: { user: 'u1', n: 2 } });
  });

  test('a caller-supplied trace id is kept; a malformed one is a TypeError', async () => {
    reset(et);
    const id = 'trace_0123456789abcdef0123456789abcdef';
    const trace = et.getGlobalTraceProvider().createTrace({ name: 'x', traceId: id });
    assert.equal(trace.traceId, id);
    assert.equal(trace.toJSON().id, id);
    assert.throws(() => et.getGlobalTraceProvider().createTrace({ traceId: 'trace_123' }), TypeError,
      /^traceId: trace id must be 'trace_' followed by 32 lowercase hex digits$/);
    assert.throws(() => et.getGlobalTraceProvider().createTrace({ traceId: 'TRACE_0123456789abcdef0123456789abcdef' }), TypeError);
  });

  test('span times are ISO 8601 UTC with milliseconds and an end never before the start', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('t', async () => {
      await et.withFunctionSpan(async () => new Promise((r) => setTimeout(r, 5)), { data: { name: 'slow' } });
    });
    await flush();
    const span = items.find((i) => i.object === 'trace.span');
    assert.match(span.started_at, ISO_TIME);
    assert.match(span.ended_at, ISO_TIME);
    assert.ok(Date.parse(span.ended_at) - Date.parse(span.started_at) >= 4, 'duration reflects the wait');
    assert.ok(Math.abs(Date.parse(span.started_at) - Date.now()) < 60_000, 'started_at is now');
  });

  test('startedAt/endedAt options are kept by dispatchSpanEnd and an end before the start is clamped', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('t', async (trace) => {
      const span = et.createCustomSpan({ data: { name: 'c' }, startedAt: '2026-11-25T02:09:16.873Z', endedAt: '2026-11-25T02:09:15.000Z' }, trace);
      span.end(); // already has an end time: a no-op, as in the SDK
      await et.dispatchSpanEnd(span); // replays it with its own times
    });
    await flush();
    const span = items.find((i) => i.object === 'trace.span');
    assert.equal(span.started_at, '2026-11-25T02:09:16.873Z');
    assert.equal(span.ended_at, '2026-11-25T02:09:16.873Z');
  });

  test('a frozen clock (as in deployed Workers): ends never precede starts, children never precede parents', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    const frozen = Date.parse('2026-11-25T02:09:16.873Z');
    et.setTracingClock(() => frozen);
    await et.withTrace('t', async () => {
      await et.withAgentSpan(async () => {
        await et.withFunctionSpan(async () => new Promise((r) => setTimeout(r, 3)), { data: { name: 'f' } });
      }, { data: { name: 'a' } });
    });
    await flush();
    for (const span of items.slice(1)) {
      assert.equal(span.started_at, '2026-11-25T02:09:16.873Z');
      assert.equal(span.ended_at, '2026-11-25T02:09:16.873Z');
    }
  });

  test('a clock that runs backwards still gives ordered times', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    let t = Date.parse('2026-11-25T02:09:16.873Z');
    et.setTracingClock(() => (t -= 1000));
    await et.withTrace('t', async () => {
      await et.withAgentSpan(async () => {
        await et.withFunctionSpan(async () => {}, { data: { name: 'f' } });
      }, { data: { name: 'a' } });
    });
    await flush();
    const [, fn, agent] = items;
    assert.ok(fn.ended_at >= fn.started_at, 'child end >= child start');
    assert.ok(agent.ended_at >= agent.started_at, 'parent end >= parent start');
    assert.ok(fn.started_at >= agent.started_at, 'child starts at or after its parent');
    assert.throws(() => et.setTracingClock(5), TypeError, /clock must be a function/);
  });

  for (const [factory, data, expected] of SPAN_TYPE_CASES) {
    test(`${factory}(${JSON.stringify(data)}) exports span_data ${JSON.stringify(expected)}`, async () => {
      reset(et);
      const { items, flush } = useBatch(et);
      let live;
      await et.withTrace('t', async () => {
        const span = et[factory](data === undefined ? undefined : { data });
        span.start();
        span.end();
        live = span.toJSON();
      });
      await flush();
      const span = items.find((i) => i.object === 'trace.span');
      assert.jsonEqual(span.span_data, expected);
      assert.jsonEqual(live, span, 'span.toJSON() equals the exported item');
      assert.jsonEqual(Object.keys(span), ['object', 'id', 'trace_id', 'parent_id', 'started_at', 'ended_at', 'span_data', 'error']);
    });
  }

  test('span data stays mutable until the span ends', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('t', async () => {
      await et.withGenerationSpan(async (span) => {
        span.spanData.output = [{ role: 'assistant', content: 'done' }];
        span.spanData.usage = { input_tokens: 5, output_tokens: 7 };
      }, { data: { model: 'm' } });
      const fn = et.createFunctionSpan({ data: { name: 'f' } });
      fn.start();
      fn.spanData.output = 'late';
      fn.end();
      fn.spanData.output = 'after end';
    });
    await flush();
    const spans = items.filter((i) => i.object === 'trace.span');
    assert.jsonEqual(spans[0].span_data, { type: 'generation', model: 'm', output: [{ role: 'assistant', content: 'done' }], usage: { input_tokens: 5, output_tokens: 7 } });
    assert.equal(spans[1].span_data.output, 'late');
  });

  test('private fields (leading underscore) are never exported', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('t', async () => {
      const span = et.createCustomSpan({ data: { name: 'c', _secret: 'x', data: { _kept: 'nested keys stay' } } });
      span.start();
      span.end();
    });
    await flush();
    assert.jsonEqual(items[1].span_data, { type: 'custom', data: { _kept: 'nested keys stay' }, name: 'c' });
  });

  test('strings with quotes, control characters and non-ASCII round-trip exactly', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    const text = 'quote " backslash \\ newline \n tab \t nul \u0000 bell \u0007 é 漢字 😀 \u2028';
    await et.withTrace(text, async () => {
      await et.withFunctionSpan(async () => {}, { data: { name: text, input: text, output: text } });
    });
    await flush();
    assert.equal(items[0].workflow_name, text);
    assert.equal(items[1].span_data.input, text);
    assert.equal(items[1].span_data.name, text);
  });

  test('lone surrogates in span data survive as JSON.stringify writes them', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    const lone = 'a\ud800b\udc00c';
    await et.withTrace('t', async () => {
      await et.withFunctionSpan(async () => {}, { data: { name: 'f', input: lone, output: 'ok' } });
      await et.withCustomSpan(async () => {}, { data: { name: 'c', data: { text: lone } } });
    });
    await flush();
    assert.equal(items[1].span_data.input, lone);
    assert.equal(items[2].span_data.data.text, lone);
  });

  test('lone surrogates in trace names, group ids and error messages survive as JSON.stringify writes them', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    const lone = 'a\ud800b\udc00c';
    const seen = [];
    et.addTraceProcessor({ onTraceStart(trace) { seen.push(trace.toJSON()); } });
    await et.withTrace(lone, async () => {
      await et.withCustomSpan(async (span) => { span.setError({ message: lone }); }, { data: { name: 'c' } });
      await et.withFunctionSpan(async (span) => { span.setError({ message: `tool ${lone}` }); }, { data: { name: 'f' } });
    }, { groupId: `g${lone}` });
    await flush();
    assert.equal(items[0].workflow_name, lone);
    assert.equal(items[0].group_id, `g${lone}`);
    assert.equal(items[1].error.message, lone);
    assert.equal(items[2].error.message, `tool ${lone}`);
    assert.equal(seen[0].workflow_name, lone);
    assert.equal(seen[0].group_id, `g${lone}`);
  });

  test('trace and span getters read back what was exported', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    let trace;
    let span;
    await et.withTrace('t', async (t) => {
      trace = t;
      await et.withAgentSpan(async (s) => { span = s; }, { data: { name: 'A' } });
    }, { groupId: 'g' });
    await flush();
    assert.equal(trace.traceId, items[0].id);
    assert.equal(trace.name, 't');
    assert.equal(trace.groupId, 'g');
    assert.equal(span.spanId, items[1].id);
    assert.equal(span.traceId, items[1].trace_id);
    assert.equal(span.startedAt, items[1].started_at);
    assert.equal(span.endedAt, items[1].ended_at);
    assert.equal(span.type, 'trace.span');
    assert.equal(trace.type, 'trace');
  });

  test('public classes keep their names in the minified bundles (what console.log shows)', async () => {
    reset(et);
    const names = ['BatchTraceProcessor', 'ConsoleSpanExporter', 'ExportedItem', 'NoopSpan', 'NoopTrace',
      'OpenAITracingExporter', 'Span', 'Trace', 'TraceProvider'];
    for (const name of names) assert.equal(et[name].name, name);
    const trace = et.getGlobalTraceProvider().createTrace({ name: 't' });
    const span = et.createFunctionSpan({ data: { name: 'f' } }, trace);
    assert.equal(trace.constructor.name, 'Trace');
    assert.equal(span.constructor.name, 'Span');
    assert.equal(et.getGlobalTraceProvider().constructor.name, 'TraceProvider');
  });
}
