// BatchTraceProcessor: queue limits, drop counting, flush, the ingest body, exporter failures.
import { collector, reset } from './helpers.mjs';

async function traces(et, count, spansEach = 0) {
  for (let i = 0; i < count; i++) {
    await et.withTrace(`t${i}`, async () => {
      for (let s = 0; s < spansEach; s++) {
        const span = et.createFunctionSpan({ data: { name: `f${s}` } });
        span.start();
        span.end();
      }
    });
  }
}

export default function register(test, et, assert) {
  test('forceFlush hands every queued item to the exporter, as one batch', async () => {
    reset(et);
    const batches = [];
    const processor = new et.BatchTraceProcessor({ export(items) { batches.push(items.length); } });
    et.setTraceProcessors([processor]);
    await traces(et, 3, 4);
    const counters = { refused: 0, timedOut: 0, retried: 0, truncated: 0, flattened: 0 };
    assert.jsonEqual(processor.stats(), { queued: 15, dropped: 0, exported: 0, failed: 0, pending: 15, inFlight: 0, ...counters });
    await et.forceFlush();
    assert.jsonEqual(batches, [15]);
    assert.jsonEqual(processor.stats(), { queued: 15, dropped: 0, exported: 15, failed: 0, pending: 0, inFlight: 0, ...counters });
    await et.forceFlush();
    assert.jsonEqual(batches, [15], 'an empty flush exports nothing');
  });

  test('a full queue drops items and counts every drop', async () => {
    reset(et);
    const { exporter, items } = collector();
    const processor = new et.BatchTraceProcessor(exporter, { maxQueueSize: 5, exportTriggerRatio: 1 });
    et.setTraceProcessors([processor]);
    await traces(et, 1, 9);
    const stats = processor.stats();
    assert.equal(stats.queued, 10, 'every item offered');
    assert.equal(stats.pending, 5);
    assert.equal(stats.dropped, 5);
    await processor.forceFlush();
    assert.equal(items.length, 5);
    assert.equal(processor.stats().exported + processor.stats().dropped, 10, 'every item is exported or counted');
  });

  test('crossing the trigger size exports a batch at once, without waiting for the timer', async () => {
    reset(et);
    const batches = [];
    const processor = new et.BatchTraceProcessor({ export(items) { batches.push(items.length); } },
      { maxQueueSize: 10, maxBatchSize: 4, exportTriggerRatio: 0.5, scheduleDelay: 60_000 });
    et.setTraceProcessors([processor]);
    await traces(et, 1, 5);
    assert.jsonEqual(batches, [4], 'one batch of maxBatchSize when the queue passed 5 items');
    await processor.shutdown();
    assert.jsonEqual(batches, [4, 2]);
  });

  test('the scheduled loop exports after scheduleDelay once started', async () => {
    reset(et);
    const batches = [];
    const processor = new et.BatchTraceProcessor({ export(items) { batches.push(items.length); } }, { scheduleDelay: 10 });
    processor.start();
    et.setTraceProcessors([processor]);
    await traces(et, 2, 1);
    assert.jsonEqual(batches, [], 'nothing before the timer (4 items are below the trigger)');
    // The loop's timer, not a guessed wait: poll for its export (a deadline only against a hang).
    for (const end = Date.now() + 10_000; batches.length === 0 && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
    assert.jsonEqual(batches, [4]);
    await processor.shutdown();
  });

  test('exportBody receives the ingest body {"data":[...]} built in the core', async () => {
    reset(et);
    const bodies = [];
    const processor = new et.BatchTraceProcessor({ exportBody(body, info) { bodies.push([new TextDecoder().decode(body), info.items]); } });
    const { exporter, items } = collector();
    et.setTraceProcessors([processor, new et.BatchTraceProcessor(exporter)]);
    await traces(et, 2, 2);
    await et.forceFlush();
    assert.equal(bodies.length, 1);
    assert.equal(bodies[0][1], 6);
    const body = JSON.parse(bodies[0][0]);
    assert.jsonEqual(Object.keys(body), ['data']);
    assert.jsonEqual(body.data, items, 'the body carries exactly the items an export() exporter gets');
  });

  test('exported items carry type, ids and toJSON() like the SDK items', async () => {
    reset(et);
    let received;
    et.setTraceProcessors([new et.BatchTraceProcessor({ export(items) { received = items; } })]);
    await et.withTrace('wf', async () => et.withFunctionSpan(async () => {}, { data: { name: 'f' } }), { groupId: 'g' });
    await et.forceFlush();
    const [trace, span] = received;
    assert.equal(trace.type, 'trace');
    assert.equal(trace.name, 'wf');
    assert.equal(trace.groupId, 'g');
    assert.equal(span.type, 'trace.span');
    assert.equal(span.traceId, trace.traceId);
    assert.equal(span.spanId, span.toJSON().id);
    assert.equal(JSON.parse(JSON.stringify(received))[1].span_data.name, 'f');
  });

  test('items of traces with their own tracingApiKey come in batches of their own, carrying the key', async () => {
    reset(et);
    const batches = [];
    et.setTraceProcessors([new et.BatchTraceProcessor({ export(items) { batches.push(items.map((i) => [i.tracingApiKey ?? null, i.type])); } })]);
    await et.withTrace('a', async () => et.withFunctionSpan(async () => {}, { data: { name: 'f' } }), { tracingApiKey: 'k1' });
    await et.withTrace('b', async () => {});
    await et.withTrace('c', async () => {}, { tracingApiKey: 'k1' });
    await et.forceFlush();
    assert.jsonEqual(batches, [
      [['k1', 'trace'], ['k1', 'trace.span'], ['k1', 'trace']],
      [[null, 'trace']],
    ]);
  });

  test('an exporter that throws or rejects never reaches user code; its items are counted failed', async () => {
    reset(et);
    const throwing = new et.BatchTraceProcessor({ export() { throw new Error('sync failure'); } });
    const rejecting = new et.BatchTraceProcessor({ async export() { throw new Error('async failure'); } });
    const { exporter, items } = collector();
    const healthy = new et.BatchTraceProcessor(exporter);
    et.setTraceProcessors([throwing, rejecting, healthy]);
    await traces(et, 1, 2);
    await et.forceFlush();
    assert.equal(throwing.stats().failed, 3);
    assert.equal(rejecting.stats().failed, 3);
    assert.equal(items.length, 3);
    await traces(et, 1, 1);
    await et.forceFlush();
    assert.equal(items.length, 5, 'tracing goes on after failures');
  });

  test('a JS processor that throws or rejects is isolated from the others', async () => {
    reset(et);
    const seen = [];
    et.setTraceProcessors([
      { onSpanEnd() { throw new Error('sync'); }, onTraceStart() { throw new Error('sync'); } },
      { async onSpanEnd() { throw new Error('async'); }, async forceFlush() { throw new Error('flush'); } },
      { onSpanEnd(span) { seen.push(span.spanData.name); }, onTraceStart(trace) { seen.push(trace.name); } },
    ]);
    await et.withTrace('t', async () => et.withFunctionSpan(async () => {}, { data: { name: 'f' } }));
    await et.forceFlush();
    assert.jsonEqual(seen, ['t', 'f']);
  });

  test('setTraceProcessors shuts the replaced processors down', async () => {
    reset(et);
    const calls = [];
    const old = { shutdown() { calls.push('old'); } };
    const kept = { shutdown() { calls.push('kept'); } };
    et.setTraceProcessors([old, kept]);
    et.setTraceProcessors([kept]);
    assert.jsonEqual(calls, ['old']);
  });

  test('processor methods are all optional', async () => {
    reset(et);
    et.setTraceProcessors([{}, { onSpanEnd: undefined }]);
    await et.withTrace('t', async () => et.withFunctionSpan(async () => 1, { data: { name: 'f' } }));
    await et.forceFlush();
    et.setTraceProcessors([]);
  });

  test('BatchTraceProcessor keeps the JS SDK defaults', async () => {
    reset(et);
    const processor = new et.BatchTraceProcessor({ export() {} });
    et.setTraceProcessors([processor]);
    await traces(et, 1, 1005);
    assert.equal(processor.stats().dropped, 0, 'the export at 80% of 1000 makes room');
    await processor.shutdown();
    assert.equal(processor.stats().exported, 1006);
  });
}
