// Parentage, the current trace/span, and the order processors see events in.
import { recorder, useBatch, reset, byName } from './helpers.mjs';

export default function register(test, et, assert, runtime) {
  test('nested withXSpan calls parent each span to the enclosing one', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('t', async () => {
      await et.withAgentSpan(async () => {
        await et.withFunctionSpan(async () => {
          await et.withCustomSpan(async () => {}, { data: { name: 'leaf' } });
        }, { data: { name: 'tool' } });
        await et.withGenerationSpan(async () => {}, { data: { model: 'm' } });
      }, { data: { name: 'root' } });
    });
    await flush();
    const agent = byName(items, 'root');
    const tool = byName(items, 'tool');
    const leaf = byName(items, 'leaf');
    const generation = items.find((i) => i.span_data?.type === 'generation');
    assert.equal(agent.parent_id, null);
    assert.equal(tool.parent_id, agent.id);
    assert.equal(leaf.parent_id, tool.id);
    assert.equal(generation.parent_id, agent.id);
    for (const span of [agent, tool, leaf, generation]) assert.equal(span.trace_id, items[0].id);
    // Spans are exported as they end: innermost first, the trace at its start.
    assert.jsonEqual(items.map((i) => i.span_data?.name ?? i.span_data?.type ?? 'trace'), ['trace', 'leaf', 'tool', 'generation', 'root']);
  });

  test('an explicit parent wins over the current span', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('t', async (trace) => {
      const other = et.createAgentSpan({ data: { name: 'other' } });
      other.start();
      await et.withAgentSpan(async () => {
        const child = et.createFunctionSpan({ data: { name: 'child' } }, other);
        child.start();
        child.end();
        const top = et.createFunctionSpan({ data: { name: 'top' } }, trace);
        top.start();
        top.end();
      }, { data: { name: 'current' } });
      other.end();
    });
    await flush();
    assert.equal(byName(items, 'child').parent_id, byName(items, 'other').id);
    assert.equal(byName(items, 'top').parent_id, null);
  });

  test('a span with no trace anywhere is a no-op span, and user code still runs', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    const span = et.createFunctionSpan({ data: { name: 'orphan' } });
    assert.equal(span.spanId, 'no-op');
    assert.equal(span.toJSON(), null);
    span.start();
    span.end();
    const result = await et.withFunctionSpan(async (s) => { assert.equal(s.traceId, 'no-op'); return 42; }, { data: { name: 'x' } });
    assert.equal(result, 42);
    await flush();
    assert.equal(items.length, 0);
  });

  test('getCurrentTrace / getCurrentSpan follow withTrace and withXSpan, and reset after', async () => {
    reset(et);
    assert.equal(et.getCurrentTrace(), null);
    await et.withTrace('t', async (trace) => {
      assert.equal(et.getCurrentTrace(), trace);
      assert.equal(et.getCurrentSpan(), null);
      await et.withAgentSpan(async (agent) => {
        assert.equal(et.getCurrentSpan(), agent);
        await et.withFunctionSpan(async (fn) => {
          assert.equal(et.getCurrentSpan(), fn);
          assert.equal(et.getCurrentTraceContext().span, fn);
        }, { data: { name: 'f' } });
        assert.equal(et.getCurrentSpan(), agent);
      }, { data: { name: 'a' } });
      assert.equal(et.getCurrentSpan(), null);
    });
    assert.equal(et.getCurrentTrace(), null);
    assert.equal(et.getCurrentTraceContext(), null);
  });

  test('setCurrentSpan / resetCurrentSpan push and pop the current span', async () => {
    reset(et);
    assert.throws(() => et.setCurrentSpan({}), TypeError, /span must be a Span/);
    assert.throws(() => et.setCurrentSpan(et.createAgentSpan({ data: { name: 'x' } })), Error, /^No existing trace found$/);
    await et.withTrace('t', async () => {
      const a = et.createAgentSpan({ data: { name: 'a' } });
      const b = et.createAgentSpan({ data: { name: 'b' } });
      et.setCurrentSpan(a);
      assert.equal(et.getCurrentSpan(), a);
      et.setCurrentSpan(b);
      assert.equal(et.getCurrentSpan(), b);
      et.resetCurrentSpan();
      assert.equal(et.getCurrentSpan(), a);
      et.resetCurrentSpan();
      assert.equal(et.getCurrentSpan(), null);
    });
  });

  test('withTraceContext(null) runs without a trace; withTraceContext(ctx) restores one', async () => {
    reset(et);
    await et.withTrace('t', async (trace) => {
      et.withTraceContext(null, () => assert.equal(et.getCurrentTrace(), null));
      const ctx = et.getCurrentTraceContext();
      await et.withTraceContext(null, async () => {
        await et.withTraceContext(ctx, async () => assert.equal(et.getCurrentTrace(), trace));
      });
    });
  });

  test('a custom context storage needs only run and getStore', async () => {
    reset(et);
    const stack = [];
    et.setTracingContextStorage({
      run(store, callback) {
        stack.push(store);
        try {
          const result = callback();
          return result instanceof Promise ? result.finally(() => stack.pop()) : (stack.pop(), result);
        } catch (error) {
          stack.pop();
          throw error;
        }
      },
      getStore: () => stack.at(-1),
    });
    try {
      const { items, flush } = useBatch(et);
      await et.withTrace('custom-storage', async (trace) => {
        assert.equal(et.getCurrentTrace(), trace);
        const span = et.createAgentSpan({ data: { name: 'a' } });
        et.setCurrentSpan(span);
        assert.equal(et.getCurrentSpan(), span);
        et.resetCurrentSpan();
      });
      await flush();
      assert.equal(items[0].workflow_name, 'custom-storage');
      assert.equal(stack.length, 0, 'every scope was left');
    } finally {
      et.setTracingContextStorage(undefined);
    }
  });

  test('getOrCreateTrace reuses the current trace or makes one', async () => {
    reset(et);
    const { items, flush } = useBatch(et);
    await et.getOrCreateTrace(async () => {
      const outer = et.getCurrentTrace();
      assert.equal(outer.name, 'Agent workflow');
      await et.getOrCreateTrace(async () => assert.equal(et.getCurrentTrace(), outer));
    });
    await flush();
    assert.equal(items.filter((i) => i.object === 'trace').length, 1);
  });

  test('processors see events in causal order', async () => {
    reset(et);
    const rec = recorder();
    et.setTraceProcessors([rec.processor]);
    await et.withTrace('t', async () => {
      await et.withAgentSpan(async () => {
        await et.withFunctionSpan(async () => {}, { data: { name: 'f' } });
      }, { data: { name: 'a' } });
    });
    await et.forceFlush();
    const names = rec.events.map(([event, item]) => `${event}:${item?.span_data?.name ?? item?.workflow_name ?? ''}`);
    assert.jsonEqual(names, ['traceStart:t', 'spanStart:a', 'spanStart:f', 'spanEnd:f', 'spanEnd:a', 'traceEnd:t', 'forceFlush:']);
    const started = rec.events[1][1];
    assert.equal(started.ended_at, null, 'a span seen at start has no end time yet');
    assert.ok(started.started_at !== null);
  });

  test('every registered processor gets every event (fan-out), batch and JS alike', async () => {
    reset(et);
    const a = recorder();
    const b = recorder();
    const batch = useBatch(et);
    et.addTraceProcessor(a.processor);
    et.addTraceProcessor(b.processor);
    await et.withTrace('t', async () => et.withFunctionSpan(async () => {}, { data: { name: 'f' } }));
    await et.forceFlush();
    assert.equal(a.events.length, 5);
    assert.jsonEqual(a.events, b.events);
    assert.jsonEqual(batch.items, [a.events[0][1], a.events[2][1]]);
  });

  const tick = () => new Promise((r) => setTimeout(r, Math.random() * 3));
  const checkInterleaved = (items, assert) => {
    for (let n = 0; n < 100; n++) {
      const trace = items.find((i) => i.object === 'trace' && i.workflow_name === `t${n}`);
      const agent = byName(items, `a${n}`);
      assert.equal(agent.trace_id, trace.id, `a${n} trace`);
      for (const k of [0, 1]) {
        const fn = byName(items, `f${n}.${k}`);
        assert.equal(fn.parent_id, agent.id, `f${n}.${k} parent`);
        assert.equal(fn.trace_id, trace.id, `f${n}.${k} trace`);
      }
    }
  };

  if (runtime.asyncContext) {
    test('100 interleaved async traces keep every span with its own parent (async context)', async () => {
      reset(et);
      const { items, flush } = useBatch(et, { maxQueueSize: 10000 });
      await Promise.all(Array.from({ length: 100 }, (_, n) => et.withTrace(`t${n}`, async () => {
        await et.withAgentSpan(async () => {
          await tick();
          await Promise.all([0, 1].map((k) => et.withFunctionSpan(async () => { await tick(); }, { data: { name: `f${n}.${k}` } })));
        }, { data: { name: `a${n}` } });
      })));
      await flush();
      checkInterleaved(items, assert);
    });
  } else {
    // Without async context the current span follows synchronous scopes only: across awaits,
    // parents are passed explicitly (the documented pattern there).
    test('100 interleaved async traces keep every span with its own parent (explicit parents)', async () => {
      reset(et);
      const { items, flush } = useBatch(et, { maxQueueSize: 10000 });
      const provider = et.getGlobalTraceProvider();
      await Promise.all(Array.from({ length: 100 }, async (_, n) => {
        const trace = provider.createTrace({ name: `t${n}` });
        await trace.start();
        await et.withAgentSpan(async (agent) => {
          await tick();
          await Promise.all([0, 1].map((k) => et.withFunctionSpan(async () => { await tick(); }, { data: { name: `f${n}.${k}` } }, agent)));
        }, { data: { name: `a${n}` } }, trace);
        await trace.end();
      }));
      await flush();
      checkInterleaved(items, assert);
    });
  }
}
