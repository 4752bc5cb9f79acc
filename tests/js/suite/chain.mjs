// The processor chain (`edgetrace/processors`, as `p`): each stage as the exporters behind it see
// the items, its counters, and the chain's place among the processors. Registered in the runs
// that import the processors entry (the module with the chain).
import { collector, reset, byName } from './helpers.mjs';

/** A batch processor into a collecting exporter. */
function batch(et, options) {
  const { exporter, items } = collector();
  return { processor: new et.BatchTraceProcessor(exporter, options), items };
}

/** A trace with one function span (and an error when `error` is given). */
async function toolTrace(et, name, options = {}, data = {}) {
  await et.withTrace(name, async (trace) => {
    const span = et.createFunctionSpan({ data: { name: `${name}-tool`, input: 'in', output: 'out', ...data } }, trace);
    span.start();
    if (options.error) span.setError({ message: options.error });
    span.end();
  }, options.trace);
}

const traceIds = (items) => [...new Set(items.map((i) => i.trace_id ?? i.id))];

export default function register(test, et, assert, runtime) {
  const p = runtime.processors;

  test('head sampling keeps whole traces, decided from the trace id; a trace can force its fate', async () => {
    reset(et);
    const { processor, items } = batch(et);
    const sampler = new p.HeadSampler({ ratio: 0.5 });
    et.setTraceProcessors([new p.ProcessorChain([sampler, processor])]);
    for (let i = 0; i < 40; i++) await toolTrace(et, `t${i}`);
    await et.forceFlush();
    const kept = traceIds(items);
    // Each kept trace arrives whole (its trace item and its span), the dropped ones not at all.
    assert.equal(items.length, kept.length * 2);
    const stats = sampler.stats();
    assert.equal(stats.tracesKept + stats.tracesDropped, 40);
    assert.equal(stats.tracesKept, kept.length);
    assert.ok(stats.tracesKept > 5 && stats.tracesKept < 35, `about half kept (${stats.tracesKept})`);
    // The same ids decide the same way: in every runtime, and here for the trace's own choice.
    items.length = 0;
    await toolTrace(et, 'forced', { trace: { traceId: `trace_${'f'.repeat(32)}`, sampled: true } });
    await toolTrace(et, 'dropped', { trace: { traceId: `trace_${'0'.repeat(32)}`, sampled: false } });
    await toolTrace(et, 'low-id', { trace: { traceId: `trace_${'0'.repeat(32)}` } });
    await et.forceFlush();
    assert.jsonEqual(items.map((i) => i.workflow_name ?? i.span_data.name), ['forced', 'forced-tool', 'low-id', 'low-id-tool']);
  });

  test('tail sampling keeps traces with errors or slow ones, holds until the trace ends, and counts', async () => {
    reset(et);
    const { processor, items } = batch(et);
    const sampler = new p.TailSampler({ ratio: 0, slowerThanMs: 50 });
    const chain = new p.ProcessorChain([sampler, processor]);
    et.setTraceProcessors([chain]);
    let clock = 1_000;
    et.setTracingClock(() => clock);
    await toolTrace(et, 'failing', { error: 'boom' });
    await toolTrace(et, 'plain');
    await et.withTrace('slow', async (trace) => {
      const span = et.createFunctionSpan({ data: { name: 'slow-tool' } }, trace);
      span.start();
      clock += 100;
      span.end();
    });
    await et.forceFlush();
    assert.jsonEqual(traceIds(items).length, 2);
    assert.ok(byName(items, 'failing-tool') && byName(items, 'slow-tool') && !byName(items, 'plain-tool'));
    const s = sampler.stats();
    assert.jsonEqual([s.tracesKept, s.tracesDropped, s.keptForError, s.keptForLatency, s.heldTraces], [2, 1, 1, 1, 0]);

    // An open trace is held: a flush leaves it waiting for its end (in a Worker, another
    // request's run), the process's last flush decides it as it stands.
    et.setTracingClock(undefined);
    items.length = 0;
    const open = et.getGlobalTraceProvider().createTrace({ name: 'open' });
    await open.start();
    const span = et.createFunctionSpan({ data: { name: 'open-tool' } }, open);
    span.start();
    span.setError({ message: 'e' });
    span.end();
    assert.equal(sampler.stats().heldItems, 2);
    await chain.forceFlush();
    assert.equal(items.length, 0, 'held in the sampler');
    await chain.forceFlush({ [Symbol.for('edgetrace.finalFlush')]: true });
    assert.equal(items.length, 2);
    // What ends after the decision follows it.
    const late = et.createFunctionSpan({ data: { name: 'late-tool' } }, open);
    late.start();
    late.end();
    await chain.forceFlush();
    assert.ok(byName(items, 'late-tool'));
    assert.equal(sampler.stats().late, 1);
  });

  test('tail sampling decides a trace that never ends once it is older than maxTraceAgeMs', async () => {
    reset(et);
    const { processor, items } = batch(et);
    const sampler = new p.TailSampler({ ratio: 1, maxTraceAgeMs: 20 });
    et.setTraceProcessors([new p.ProcessorChain([sampler, processor])]);
    const trace = et.getGlobalTraceProvider().createTrace({ name: 'abandoned' });
    await trace.start();
    const span = et.createFunctionSpan({ data: { name: 'abandoned-tool' } }, trace);
    span.start();
    span.end();
    // Polled up to a deadline far beyond the age (a loaded machine's timers run late, never early).
    for (const end = Date.now() + 10_000; sampler.stats().decidedByAge === 0 && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sampler.stats().decidedByAge, 1, 'the age timer decided it');
    await processor.forceFlush();
    assert.equal(items.length, 2);
  });

  test('a flush decides held traces past their maximum age and leaves young open ones waiting', async () => {
    reset(et);
    const { processor, items } = batch(et);
    const sampler = new p.TailSampler({ ratio: 1, maxTraceAgeMs: 60_000 });
    const chain = new p.ProcessorChain([sampler, processor]);
    et.setTraceProcessors([chain]);
    const openTrace = async (name) => {
      const trace = et.getGlobalTraceProvider().createTrace({ name });
      await trace.start();
      const span = et.createFunctionSpan({ data: { name: `${name}-tool` } }, trace);
      span.start();
      span.end();
    };
    et.setTracingClock(() => Date.now() - 120_000); // a run that started two minutes ago
    await openTrace('old');
    et.setTracingClock(undefined);
    await openTrace('young'); // another request's run, still going
    await chain.forceFlush();
    assert.jsonEqual(items.map((i) => i.workflow_name ?? i.span_data.name), ['old', 'old-tool']);
    assert.jsonEqual([sampler.stats().decidedByAge, sampler.stats().heldTraces], [1, 1]);
  });

  test('tail sampling memory is bounded: past a cap the oldest trace is decided early', async () => {
    reset(et);
    const { processor, items } = batch(et);
    const sampler = new p.TailSampler({ ratio: 1, maxTraces: 2 });
    et.setTraceProcessors([new p.ProcessorChain([sampler, processor])]);
    const open = [];
    for (let i = 0; i < 5; i++) {
      const trace = et.getGlobalTraceProvider().createTrace({ name: `t${i}` });
      await trace.start();
      open.push(trace);
    }
    const s = sampler.stats();
    assert.jsonEqual([s.heldTraces, s.decidedEarly], [2, 3]);
    await processor.forceFlush();
    assert.jsonEqual(items.map((i) => i.workflow_name), ['t0', 't1', 't2']);
  });

  test('redaction: keys, default patterns and custom ones, in span data, errors and metadata', async () => {
    reset(et);
    const { processor, items } = batch(et);
    const redactor = new p.Redactor({ keys: ['ssn'], patterns: { order: 'ORD-\\d{6}', ticket: /tkt_[a-z]+/i } });
    et.setTraceProcessors([new p.ProcessorChain([redactor, processor])]);
    await et.withTrace('wf', async (trace) => {
      const tool = et.createFunctionSpan({ data: { name: 'lookup', input: '{"ssn":"078-05-1120","q":"ORD-123456"}', output: 'TKT_abc café' } }, trace);
      tool.start();
      tool.setError({ message: 'denied for ann@example.com', data: { authorization: 'Bearer abc.def' } });
      tool.end();
      const gen = et.createGenerationSpan({ data: { input: [{ role: 'user', content: 'key sk-proj-0123456789abcdefghij, card 4111 1111 1111 1111' }], usage: { input_tokens: 3, output_tokens: 1 } } }, trace);
      gen.start();
      gen.end();
    }, { metadata: { user: 'bob@example.org', api_key: 'k', plan: 'pro' } });
    await et.forceFlush();
    assert.jsonEqual(items[0].metadata, { user: '[REDACTED:email]', api_key: '[REDACTED]', plan: 'pro' });
    const tool = byName(items, 'lookup');
    assert.equal(tool.span_data.input, '{"ssn":"[REDACTED]","q":"[REDACTED:order]"}');
    assert.equal(tool.span_data.output, '[REDACTED:ticket] café');
    assert.jsonEqual(tool.error, { message: 'denied for [REDACTED:email]', data: { authorization: '[REDACTED]' } });
    const gen = items.find((i) => i.span_data?.type === 'generation');
    assert.equal(gen.span_data.input[0].content, 'key [REDACTED:openai_key], card [REDACTED:card]');
    assert.jsonEqual(gen.span_data.usage, { input_tokens: 3, output_tokens: 1 });
    const s = redactor.stats();
    assert.jsonEqual([s.items, s.keys, s.patterns], [3, 3, 6]);
  });

  test('redaction hides inputs / outputs for every span or for the traces that ask', async () => {
    reset(et);
    const { processor, items } = batch(et);
    et.setTraceProcessors([new p.ProcessorChain([new p.Redactor({ hideOutputs: true }), processor])]);
    await toolTrace(et, 'all');
    await toolTrace(et, 'asked', { trace: { hideInputs: true } });
    await et.forceFlush();
    assert.jsonEqual([byName(items, 'all-tool').span_data.input, byName(items, 'all-tool').span_data.output], ['in', '']);
    assert.jsonEqual([byName(items, 'asked-tool').span_data.input, byName(items, 'asked-tool').span_data.output], ['', '']);
  });

  test('redaction options are checked when the stage is made, naming the option', async () => {
    reset(et);
    assert.throws(() => new p.Redactor({ patterns: { bad: '(' } }), TypeError, /options\.patterns\.bad/);
    assert.throws(() => new p.Redactor({ patterns: { 'Bad Name': 'x' } }), TypeError, /Bad Name/);
    assert.throws(() => new p.Redactor({ keys: 'password' }), TypeError, /options\.keys/);
    assert.throws(() => new p.HeadSampler({ ratio: 2 }), RangeError, /ratio/);
    assert.throws(() => new p.TailSampler({ maxTraces: 0 }), RangeError, /maxTraces/);
    assert.throws(() => new p.SpanFilter({ keep: ['nope'] }), TypeError, /options\.keep\[0\]/);
    // Options that could do nothing are refused, each naming itself.
    assert.throws(() => new p.Redactor({ removePatterns: ['email', 'nope'] }), TypeError, /^Redactor: options\.removePatterns\[1\] \("nope"\): no redaction pattern has this name/);
    assert.throws(() => new p.Redactor({ defaults: false, removePatterns: ['email'] }), TypeError, /options\.removePatterns\[0\] \("email"\)/);
    assert.throws(() => new p.Redactor({ keys: ['session_id', ''] }), TypeError, /^Redactor: options\.keys\[1\] \(""\): a sensitive key must hold a letter or digit/);
    assert.throws(() => new p.Redactor({ keys: ['_-.'] }), TypeError, /options\.keys\[0\]/);
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`p${i}`, 'x']));
    assert.throws(() => new p.Redactor({ patterns: many }), RangeError, /options\.patterns\.p58: at most 64 redaction patterns/);
    assert.throws(() => new p.Router({ byMetadata: 'tenant', routes: {} }), TypeError, /routes is empty and there is no options\.otherwise/);
    assert.throws(() => new p.ComplianceLog({ keys: ['user_id', 'Api-Key'], sink() {} }), TypeError, /^ComplianceLog: options\.keys\[1\] \("Api-Key"\): a compliance log never copies sensitive values/);
    assert.ok(new p.Redactor({ removePatterns: ['email'], keys: ['session_id'] }), 'options that do something are taken');
  });

  test('routing by metadata: two tenants in one isolate never see each other\'s items', async () => {
    reset(et);
    const acme = batch(et);
    const globex = batch(et);
    const router = new p.Router({ byMetadata: 'tenant', routes: { acme: acme.processor, globex: globex.processor } });
    et.setTraceProcessors([new p.ProcessorChain([new p.Redactor(), router])]);
    // Interleaved, as concurrent requests of two tenants in one Worker isolate are.
    const a = et.getGlobalTraceProvider().createTrace({ name: 'a', metadata: { tenant: 'acme' } });
    const g = et.getGlobalTraceProvider().createTrace({ name: 'g', metadata: { tenant: 'globex' } });
    const x = et.getGlobalTraceProvider().createTrace({ name: 'x', metadata: { tenant: 'initech' } });
    for (const t of [a, g, x]) await t.start();
    for (const [t, name] of [[a, 'a'], [g, 'g'], [x, 'x'], [a, 'a2'], [g, 'g2']]) {
      const span = et.createFunctionSpan({ data: { name } }, t);
      span.start();
      span.end();
    }
    for (const t of [a, g, x]) await t.end();
    await et.forceFlush();
    assert.jsonEqual(traceIds(acme.items), [a.traceId]);
    assert.jsonEqual(traceIds(globex.items), [g.traceId]);
    assert.equal(acme.items.length + globex.items.length, 6);
    assert.jsonEqual(router.stats(), { stage: 'router', routed: { acme: 3, globex: 3 }, unrouted: 2 });
    assert.throws(() => et.addTraceProcessor(acme.processor), TypeError, /ProcessorChain/);
  });

  test('routing by span type, with an otherwise route; a span filter drops by type', async () => {
    reset(et);
    const models = batch(et);
    const rest = batch(et);
    const filter = new p.SpanFilter({ drop: ['custom'] });
    et.setTraceProcessors([new p.ProcessorChain([filter, new p.Router({ bySpanType: true, routes: { generation: models.processor }, otherwise: rest.processor })])]);
    await et.withTrace('wf', async (trace) => {
      for (const span of [
        et.createGenerationSpan({ data: { model: 'm' } }, trace),
        et.createFunctionSpan({ data: { name: 'tool' } }, trace),
        et.createCustomSpan({ data: { name: 'noise', data: {} } }, trace),
      ]) {
        span.start();
        span.end();
      }
    });
    await et.forceFlush();
    assert.jsonEqual(models.items.map((i) => i.span_data?.type ?? i.object), ['trace', 'generation']);
    assert.jsonEqual(rest.items.map((i) => i.span_data?.type ?? i.object), ['trace', 'function']);
    assert.equal(filter.stats().dropped, 1);
  });

  test('the error tracker groups errors by span type and name, after redaction', async () => {
    reset(et);
    const { processor } = batch(et);
    const errors = new p.ErrorTracker();
    et.setTraceProcessors([new p.ProcessorChain([new p.Redactor(), errors, processor])]);
    await toolTrace(et, 'search', { error: 'timeout for a@b.co' });
    await toolTrace(et, 'search', { error: 'rate limited' });
    await toolTrace(et, 'other', { error: 'x' });
    const groups = errors.groups();
    assert.jsonEqual(groups.map((g) => [g.type, g.name, g.count, g.lastMessage]), [
      ['function', 'search-tool', 2, 'rate limited'], ['function', 'other-tool', 1, 'x'],
    ]);
    assert.ok(groups[0].firstSeen <= groups[0].lastSeen);
    assert.equal(errors.stats().errors, 3);
    errors.groups({ clear: true });
    assert.equal(errors.groups().length, 0);
  });

  test('performance alerts call back for slow spans of a type / name and for slow traces', async () => {
    reset(et);
    const { processor } = batch(et);
    const alerts = [];
    const stage = new p.PerfAlerts({
      rules: [{ spanType: 'function', name: 'search', thresholdMs: 100 }, { traces: true, thresholdMs: 1_000 }],
      onAlert: (alert) => alerts.push(alert),
    });
    et.setTraceProcessors([new p.ProcessorChain([stage, processor])]);
    let clock = 1_000;
    et.setTracingClock(() => clock);
    await et.withTrace('slow run', async (trace) => {
      for (const [name, ms] of [['search', 150], ['search', 50], ['other', 900], ['other', 100]]) {
        const span = et.createFunctionSpan({ data: { name } }, trace);
        span.start();
        clock += ms;
        span.end();
      }
    });
    assert.jsonEqual(alerts.map((a) => [a.kind, a.name ?? a.workflowName, a.durationMs]), [['span', 'search', 150], ['trace', 'slow run', 1_200]]);
    assert.ok(/^span_/.test(alerts[0].spanId) && alerts[0].traceId === alerts[1].traceId);
    assert.jsonEqual(alerts.map((a) => a.thresholdMs), [100, 1_000]);
    assert.jsonEqual(stage.stats(), { stage: 'perfAlerts', written: 2, dropped: 0, delivered: 2, pending: 0 });
    assert.throws(() => new p.PerfAlerts({ rules: [{ spanType: 'nope', thresholdMs: 1 }], onAlert() {} }), TypeError, /spanType/);
  });

  test('the compliance log writes one record per trace to its sink, never sensitive data, bounded while the sink is slow', async () => {
    reset(et);
    const { processor } = batch(et);
    const written = [];
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    const log = new p.ComplianceLog({
      keys: ['user_id'],
      maxRecords: 2,
      sink: async (records) => { written.push(...records); await gate; },
    });
    et.setTraceProcessors([new p.ProcessorChain([log, processor])]);
    for (let i = 0; i < 5; i++) {
      await toolTrace(et, `run${i}`, { error: i === 4 ? 'boom' : undefined, trace: { metadata: { user_id: `u${i}`, note: 'private' } } }, { input: 'secret input' });
    }
    // Records are handed over after a 0 ms timer (one sink call per burst), or at a flush.
    assert.equal(written.length, 0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The two newest waited (drop-oldest: three were dropped); the sink got them and has not settled.
    assert.jsonEqual(written.map((r) => r.who.user_id), ['u3', 'u4']);
    for (let i = 5; i < 8; i++) await toolTrace(et, `run${i}`, { trace: { metadata: { user_id: `u${i}` } } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    // While that call is pending, records wait in the core, bounded (u5 dropped as well).
    assert.jsonEqual(log.stats(), { stage: 'complianceLog', written: 8, dropped: 4, delivered: 2, pending: 2, sinkFailed: 0, sinkTimedOut: 0 });
    release();
    await et.forceFlush();
    assert.jsonEqual(written.map((r) => r.who.user_id), ['u3', 'u4', 'u6', 'u7']);
    const last = written[1];
    assert.jsonEqual([last.workflowName, last.spans, last.errors, last.spanTypes, last.complete], ['run4', 1, 1, ['function'], true]);
    assert.ok(!JSON.stringify(written).includes('secret') && !JSON.stringify(written).includes('private'));
    assert.throws(() => new p.ComplianceLog({ keys: ['api_key'], sink() {} }), TypeError, /never copies sensitive/);
  });

  test('a function stage sees items as the stages before it left them, and what it passes on goes on', async () => {
    reset(et);
    const items = [];
    const keys = [];
    const processor = new et.BatchTraceProcessor({
      export(batch) {
        for (const item of batch) {
          items.push(item.toJSON());
          keys.push(item.tracingApiKey);
        }
      },
    });
    const seen = [];
    const errors = new p.ErrorTracker();
    const chain = new p.ProcessorChain([
      new p.Redactor(),
      (item) => {
        seen.push(item.object === 'trace' ? item.metadata.user : item.span_data.input);
        if (item.span_data?.name === 'noise') return null;
        if (item.span_data?.name === 'broken') throw new Error('bug');
        if (item.object === 'trace.span') item.span_data.output = 'rewritten';
        return undefined;
      },
      (item) => (item.object === 'trace' ? { ...item, metadata: { ...item.metadata, stage: 'second' } } : item),
      errors,
      processor,
    ]);
    et.setTraceProcessors([chain]);
    await et.withTrace('wf', async (trace) => {
      for (const name of ['keep', 'noise', 'broken']) {
        const span = et.createFunctionSpan({ data: { name, input: 'mail ann@example.com', output: 'x' } }, trace);
        span.start();
        if (name === 'keep') span.setError({ message: 'e' });
        span.end();
      }
    }, { metadata: { user: 'bob@example.org' }, tracingApiKey: 'sk-tenant' });
    await et.forceFlush();
    assert.jsonEqual(seen, ['[REDACTED:email]', 'mail [REDACTED:email]', 'mail [REDACTED:email]', 'mail [REDACTED:email]']);
    assert.jsonEqual(items.map((i) => i.metadata?.stage ?? i.span_data.output), ['second', 'rewritten']);
    assert.equal(errors.groups()[0].name, 'keep', 'stages after a function see what it passed on');
    const stats = chain.stats().stages[1];
    assert.jsonEqual([stats.stage, stats.items, stats.dropped, stats.failed], ['function', 4, 1, 1]);
    assert.jsonEqual(chain.stats().stages[2].items, 2);
    assert.jsonEqual(keys, ['sk-tenant', 'sk-tenant'], "the trace's own export key survives the function stages");
  });

  test('live events: trace and span starts and ends as they happen, redacted, for a live view', async () => {
    reset(et);
    const { processor } = batch(et);
    const events = [];
    const live = new p.LiveEvents({ onEvent: (event) => events.push(event) });
    et.setTraceProcessors([new p.ProcessorChain([new p.Redactor(), live, processor])]);
    await et.withTrace('live', async (trace) => {
      const span = et.createFunctionSpan({ data: { name: 'search', input: 'mail ann@example.com' } }, trace);
      span.start();
      // The view has the start before the span ends (a 0 ms timer after it).
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.jsonEqual(events.map((e) => e.type), ['trace.start', 'span.start']);
      assert.equal(events[1].item.ended_at, null);
      assert.equal(events[1].item.span_data.input, 'mail [REDACTED:email]');
      assert.equal(events[1].item.id, span.spanId);
      span.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.jsonEqual(events.map((e) => e.type), ['trace.start', 'span.start', 'span.end', 'trace.end']);
    assert.equal(events[3].item.id, events[0].item.id);
    assert.jsonEqual(live.stats(), { stage: 'liveEvents', written: 4, dropped: 0, delivered: 4, pending: 0 });
  });

  test('the trace store keeps completed traces, answers queries, forgets old ones and writes each to its sink', async () => {
    reset(et);
    const { processor } = batch(et);
    const written = [];
    const store = new p.TraceStore({ maxTraces: 3, sink: (traces) => { written.push(...traces); } });
    const chain = new p.ProcessorChain([new p.Redactor(), store, processor]);
    et.setTraceProcessors([chain]);
    let now = Date.UTC(2026, 11, 1);
    et.setTracingClock(() => now);
    for (let i = 0; i < 4; i++) {
      await toolTrace(et, `run${i}`, { error: i === 2 ? 'boom' : undefined, trace: { groupId: i % 2 ? 'odd' : 'even' } }, { input: 'mail ann@example.com' });
      now += 60_000;
    }
    et.setTracingClock(undefined);
    // Cap 3: run0 was evicted; newest first.
    assert.jsonEqual(store.query().map((t) => t.workflowName), ['run3', 'run2', 'run1']);
    assert.jsonEqual(store.query({ hasError: true }).map((t) => t.workflowName), ['run2']);
    assert.jsonEqual(store.query({ groupId: 'odd', limit: 1 }).map((t) => t.workflowName), ['run3']);
    assert.jsonEqual(store.query({ since: new Date(Date.UTC(2026, 11, 1, 0, 2)) }).map((t) => t.workflowName), ['run3', 'run2']);
    const [latest] = store.query();
    assert.jsonEqual([latest.spans, latest.hasError, typeof latest.startedAt], [1, false, 'string']);
    const items = store.items(latest.traceId);
    assert.jsonEqual(items.map((i) => i.object), ['trace', 'trace.span']);
    assert.equal(items[1].span_data.input, 'mail [REDACTED:email]', 'the store keeps what the stages before it left');
    assert.equal(store.items(`trace_${'0'.repeat(32)}`), undefined);
    const analysis = store.analyze({ hasError: true });
    assert.jsonEqual(analysis.traces.map((t) => t.errors[0].error), ['boom']);
    assert.equal(store.deleteBefore(Date.UTC(2026, 11, 1, 0, 2)), 1);
    assert.equal(store.query().length, 2);
    // The sink got every completed trace as JSONL, after a 0 ms timer or at the flush.
    await chain.forceFlush();
    assert.jsonEqual(written.map((t) => JSON.parse(t.jsonl.split('\n')[0]).workflow_name), ['run0', 'run1', 'run2', 'run3']);
    assert.ok(written.every((t) => t.jsonl.endsWith('\n') && t.jsonl.includes(t.traceId)));
    const stats = store.stats();
    assert.jsonEqual([stats.traces, stats.stored, stats.evicted, stats.deleted, stats.sinkDelivered], [2, 4, 1, 1, 4]);
  });

  test('a chain is stages then processors; JS processors registered beside it see live, unredacted objects', async () => {
    reset(et);
    const { processor, items } = batch(et);
    assert.throws(() => new p.ProcessorChain([processor, new p.Redactor()]), TypeError, /stages must come before/);
    assert.throws(() => new p.ProcessorChain([new p.Redactor()]), TypeError, /followed by/);
    assert.throws(() => new p.ProcessorChain([new p.Redactor(), { onSpanEnd() {} }]), TypeError, /BatchTraceProcessor/);
    const stage = new p.Redactor();
    const chain = new p.ProcessorChain([stage, processor]);
    assert.throws(() => new p.ProcessorChain([stage, batch(et).processor]), TypeError, /already in a ProcessorChain/);
    const seen = [];
    et.setTraceProcessors([chain, { onSpanEnd: (span) => seen.push(span.spanData.input) }]);
    await toolTrace(et, 'wf', {}, { input: 'mail ann@example.com' });
    await et.forceFlush();
    assert.jsonEqual(seen, ['mail ann@example.com']);
    assert.equal(byName(items, 'wf-tool').span_data.input, 'mail [REDACTED:email]');
    const stats = chain.stats();
    assert.equal(stats.stages[0].stage, 'redactor');
    assert.equal(stats.processors[0].exported, 2);
  });
}
