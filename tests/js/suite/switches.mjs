// The disabled and sensitive-data switches, and error capture.
import { recorder, useBatch, reset, byName } from './helpers.mjs';

export default function register(test, et, assert) {
  test('setTracingDisabled(true): processors see nothing, user code runs unchanged', async () => {
    reset(et);
    const rec = recorder();
    et.setTraceProcessors([rec.processor]);
    et.setTracingDisabled(true);
    const result = await et.withTrace('t', async (trace) => {
      assert.equal(trace.traceId, 'no-op');
      assert.equal(trace.toJSON(), null);
      return et.withFunctionSpan(async (span) => {
        assert.equal(span.spanId, 'no-op');
        assert.jsonEqual(span.spanData, { type: 'function', input: '', output: '', name: 'f' });
        span.setError({ message: 'ignored' });
        return 'value';
      }, { data: { name: 'f' } });
    });
    assert.equal(result, 'value');
    et.setTracingDisabled(false);
    await et.forceFlush();
    assert.jsonEqual(rec.events.map((e) => e[0]), ['forceFlush']);
  });

  test('a trace created with {disabled: true} is a no-op while others record', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('off', async () => {
      await et.withFunctionSpan(async () => {}, { data: { name: 'hidden' } });
    }, { disabled: true });
    await et.withTrace('on', async () => {
      await et.withFunctionSpan(async () => {}, { data: { name: 'shown' } });
      await et.withFunctionSpan(async () => {}, { data: { name: 'off' }, disabled: true });
    });
    await flush();
    assert.jsonEqual(items.map((i) => i.workflow_name ?? i.span_data.name), ['on', 'shown']);
  });

  test('includeSensitiveData: false keeps model and tool data out of the export', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('t', async () => {
      await et.withFunctionSpan(async () => {}, { data: { name: 'fast', input: 'secret in', output: 'secret out' } });
      await et.withFunctionSpan(async () => {}, { data: { name: 'mcp', input: 'secret', output: 'secret', mcp_data: { s: 1 } } });
      await et.withFunctionSpan(async () => { throw Object.assign(new Error('secret failure'), { data: { secret: 1 } }); }, { data: { name: 'failing' } }).catch(() => {});
      await et.withGenerationSpan(async () => {}, { data: { model: 'm', input: [{ content: 'secret' }], output: [{ content: 'secret' }] } });
      await et.withSpeechGroupSpan(async () => {}, { data: { input: 'secret' } });
      await et.withCustomSpan(async () => {}, { data: { name: 'custom', data: { user: 'kept' } } });
    }, { includeSensitiveData: false });
    await flush();
    assert.jsonEqual(byName(items, 'fast').span_data, { type: 'function', input: '', output: '', name: 'fast' });
    assert.jsonEqual(byName(items, 'mcp').span_data, { type: 'function', input: '', output: '', name: 'mcp', mcp_data: { s: 1 } });
    assert.jsonEqual(byName(items, 'failing').error, { message: 'Tool execution failed. Error details are redacted.' });
    assert.jsonEqual(items.find((i) => i.span_data?.type === 'generation').span_data, { type: 'generation', model: 'm' });
    assert.jsonEqual(items.find((i) => i.span_data?.type === 'speech_group').span_data, { type: 'speech_group' });
    assert.jsonEqual(byName(items, 'custom').span_data.data, { user: 'kept' });
    assert.ok(!JSON.stringify(items).includes('secret'), 'no secret anywhere in the export');
  });

  test('the global sensitive-data switch applies to traces created after it; a trace option wins', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    et.setTracingIncludeSensitiveData(false);
    await et.withTrace('global-off', async () => et.withFunctionSpan(async () => {}, { data: { name: 'a', input: 'x' } }));
    await et.withTrace('trace-on', async () => et.withFunctionSpan(async () => {}, { data: { name: 'b', input: 'x' } }), { includeSensitiveData: true });
    et.setTracingIncludeSensitiveData(true);
    await et.withTrace('global-on', async () => et.withFunctionSpan(async () => {}, { data: { name: 'c', input: 'x' } }));
    await flush();
    assert.equal(byName(items, 'a').span_data.input, '');
    assert.equal(byName(items, 'b').span_data.input, 'x');
    assert.equal(byName(items, 'c').span_data.input, 'x');
  });

  test('includeSensitiveAudioData: false blanks audio but keeps transcripts', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('t', async () => {
      await et.withSpeechSpan(async () => {}, { data: { input: 'hello', output: { data: 'AAAA', format: 'pcm' } } });
      await et.withTranscriptionSpan(async () => {}, { data: { input: { data: 'BBBB', format: 'pcm' }, output: 'hi' } });
    }, { includeSensitiveAudioData: false });
    await flush();
    assert.jsonEqual(items[1].span_data, { type: 'speech', input: 'hello', output: { data: '', format: 'pcm' } });
    assert.jsonEqual(items[2].span_data, { type: 'transcription', input: { data: '', format: 'pcm' }, output: 'hi' });
  });

  test('withXSpan records a thrown error as {message, data} and rethrows it unchanged', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    const boom = new Error('boom');
    const detailed = Object.assign(new Error('with data'), { data: { code: 7 } });
    await et.withTrace('t', async () => {
      const caught = await assert.rejects(et.withFunctionSpan(async () => { throw boom; }, { data: { name: 'a' } }));
      assert.equal(caught, boom, 'the same error object is rethrown');
      await assert.rejects(et.withAgentSpan(async () => { throw detailed; }, { data: { name: 'b' } }));
      await assert.rejects(et.withCustomSpan(async () => { throw 'a string'; }, { data: { name: 'c' } }));
      await assert.rejects(et.withCustomSpan(async (span) => {
        span.setError({ message: 'set first' });
        throw new Error('later');
      }, { data: { name: 'd' } }));
    });
    await flush();
    assert.jsonEqual(byName(items, 'a').error, { message: 'boom' });
    assert.jsonEqual(byName(items, 'b').error, { message: 'with data', data: { code: 7 } });
    assert.jsonEqual(byName(items, 'c').error, { message: 'a string' });
    assert.jsonEqual(byName(items, 'd').error, { message: 'set first' });
  });

  test('a trace is ended even when its function throws, and the error reaches the caller', async () => {
    reset(et);
    const rec = recorder();
    et.setTraceProcessors([rec.processor]);
    const failure = new Error('run failed');
    const caught = await assert.rejects(et.withTrace('t', async () => { throw failure; }));
    assert.equal(caught, failure);
    assert.jsonEqual(rec.events.map((e) => e[0]), ['traceStart', 'traceEnd']);
  });
}
