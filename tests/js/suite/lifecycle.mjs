// The processor lifecycle: one export in flight, the export time bound and the cap on abandoned
// exports, counters that always add up, shutdown once and refusing after it. Registered last:
// the provider's shutdown is memoized for the isolate (as the SDK's), so it is tested at the end.
import { reset } from './helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits are for events, never for a guessed time: `until` polls a condition up to a deadline far
// beyond what a loaded machine needs (a miss is a hang or a bug, not load).
const DEADLINE_MS = 10_000;
async function until(condition) {
  for (const end = Date.now() + DEADLINE_MS; !condition() && Date.now() < end;) await sleep(5);
  return condition();
}

/** Whether `promise` settled within DEADLINE_MS. */
function settles(promise) {
  let timer;
  const deadline = new Promise((resolve) => { timer = setTimeout(() => resolve(false), DEADLINE_MS); });
  return Promise.race([promise.then(() => true, () => true), deadline]).finally(() => clearTimeout(timer));
}

/** A promise the test resolves: `{ promise, release }`. */
function gate() {
  let release;
  const promise = new Promise((resolve) => { release = resolve; });
  return { promise, release };
}

// A full GC, where the runtime lets a test force one (Node --expose-gc, Deno
// --v8-flags=--expose-gc, Bun); workerd and Chromium offer none.
const forceGc = typeof globalThis.gc === 'function' ? () => globalThis.gc()
  : typeof globalThis.Bun?.gc === 'function' ? () => globalThis.Bun.gc(true) : undefined;

/** Every item is in exactly one counter. */
function addsUp(assert, stats, what = '') {
  assert.equal(stats.queued, stats.pending + stats.inFlight + stats.exported + stats.failed + stats.dropped,
    `the counters add up ${what} (${JSON.stringify(stats)})`);
}

/** `count` function spans in one trace, each handed over after a macrotask (exports can run). */
async function spansWithPauses(et, count, every = 10) {
  await et.withTrace('lifecycle', async () => {
    for (let i = 0; i < count; i++) {
      const span = et.createFunctionSpan({ data: { name: `f${i}` } });
      span.start();
      span.end();
      if (i % every === 0) await sleep(1);
    }
  });
}

/** Names of the objects `register(name, object)` was given that a forced GC collected. */
async function collectedAfter(run) {
  const collected = new Set();
  const registry = new FinalizationRegistry((name) => collected.add(name));
  let registered = 0;
  await run((name, object) => {
    registered += 1;
    registry.register(object, name);
  });
  // Finalization callbacks run in a later task, later still on a loaded machine: GC and wait, up
  // to the deadline, until everything was collected.
  for (const end = Date.now() + DEADLINE_MS; collected.size < registered && Date.now() < end;) {
    forceGc();
    await sleep(5);
  }
  return [...collected].sort();
}

export default function register(test, et, assert) {
  if (forceGc !== undefined) {
    test('lifecycle: nothing of a finished, flushed trace stays reachable: its metadata, span data, Trace and Span objects are collected', async () => {
      reset(et);
      const names = await collectedAfter(async (watch) => {
        et.setTraceProcessors([new et.BatchTraceProcessor({ export() {} }), { onSpanEnd(span) { span.toJSON(); } }]);
        const metadata = { tenant: 'a' };
        watch('metadata', metadata);
        await et.withTrace('request', async (trace) => {
          watch('trace', trace);
          await et.withCustomSpan(async (span) => {
            watch('span', span);
            watch('custom data', span.spanData);
          }, { data: { name: 'c', data: { secret: 'y' } } });
          await et.withFunctionSpan(async (span) => watch('function data', span.spanData),
            { data: { name: 'f', input: 'i', output: 'o' } });
        }, { metadata, tracingApiKey: 'sk-tenant-a' });
        await et.forceFlush();
        et.setTraceProcessors([]);
      });
      assert.jsonEqual(names, ['custom data', 'function data', 'metadata', 'span', 'trace']);
    });
  }

  test('lifecycle: one export in flight at a time; the queue fills meanwhile and drops past its size, every item counted', async () => {
    reset(et);
    let running = 0;
    let most = 0;
    // Every export waits until all the spans were offered (a slow exporter, however fast the
    // machine): the trigger and the loop's timer keep asking for exports meanwhile.
    const slow = gate();
    const processor = new et.BatchTraceProcessor({
      async export() {
        running += 1;
        most = Math.max(most, running);
        addsUp(assert, processor.stats(), 'while exporting');
        await slow.promise;
        await sleep(1); // each export, the later ones too, spans a macrotask
        running -= 1;
      },
    }, { maxQueueSize: 50, maxBatchSize: 10, exportTriggerRatio: 0.5, scheduleDelay: 5 });
    processor.start();
    et.setTraceProcessors([processor]);
    await spansWithPauses(et, 300, 5);
    addsUp(assert, processor.stats(), 'after the spans');
    slow.release();
    await processor.forceFlush();
    const stats = processor.stats();
    assert.equal(most, 1, 'exports ran one at a time');
    assert.equal(stats.queued, 301);
    assert.ok(stats.dropped > 0, 'an exporter slower than the spans cannot keep up: the queue dropped');
    assert.equal(stats.pending + stats.inFlight + stats.failed, 0);
    addsUp(assert, stats, 'after the flush');
    et.setTraceProcessors([]);
  });

  test('lifecycle: an export that never settles times out (failed, timedOut, signal aborted), the next one starts, and past maxAbandonedExports batches are dropped', async () => {
    reset(et);
    const signals = [];
    const processor = new et.BatchTraceProcessor({
      export(items, signal) {
        signals.push(signal);
        return new Promise(() => {});
      },
    }, { maxQueueSize: 100, maxBatchSize: 10, exportTriggerRatio: 0.1, exportTimeout: 30, maxAbandonedExports: 2 });
    et.setTraceProcessors([processor]);
    await spansWithPauses(et, 11, 100);
    assert.equal(signals.length, 1, 'one export started');
    assert.equal(processor.stats().inFlight, 10);
    assert.ok(await until(() => signals[0].aborted), 'its signal was aborted at the bound');
    assert.equal(processor.stats().timedOut, 10);
    await spansWithPauses(et, 11, 100);
    assert.equal(signals.length, 2, 'the next export started once the first timed out');
    assert.ok(await until(() => signals[1].aborted), 'the second timed out too');
    await spansWithPauses(et, 20, 100);
    // The two abandoned exports never settle: a flush that waited for them would never return.
    assert.ok(await settles(processor.forceFlush({ timeoutMs: 100 })), 'forceFlush returned at its bound');
    const stats = processor.stats();
    assert.equal(signals.length, 2, 'no third export: two abandoned ones fill the cap');
    assert.equal(stats.failed, 20);
    assert.equal(stats.timedOut, 20);
    assert.ok(stats.dropped >= 20, `batches past the cap were dropped (${stats.dropped})`);
    assert.equal(stats.pending + stats.inFlight, 0);
    addsUp(assert, stats);
    et.setTraceProcessors([]);
  });

  test('lifecycle: a late success of an export that timed out is not counted again', async () => {
    reset(et);
    // The export succeeds only when the test lets it, after its time-out was seen.
    const late = gate();
    let settled = false;
    const processor = new et.BatchTraceProcessor({ export: () => late.promise.then(() => { settled = true; return true; }) },
      { exportTimeout: 20 });
    et.setTraceProcessors([processor]);
    await spansWithPauses(et, 4);
    // (settles() also keeps Node's event loop alive: the processor's export timer is unref'd.)
    assert.ok(await settles(processor.forceFlush()), 'the flush ended when the export timed out');
    assert.equal(processor.stats().failed, 5, 'timed out');
    late.release();
    // until() returns after a macrotask: the processor handled the success in the microtasks after it.
    assert.ok(await until(() => settled), 'the export succeeded late');
    const stats = processor.stats();
    assert.equal(stats.exported, 0, 'the late success changed nothing');
    assert.equal(stats.failed, 5);
    addsUp(assert, stats);
    et.setTraceProcessors([]);
  });

  test('lifecycle: after shutdown() a BatchTraceProcessor refuses items (counted), and shuts down once', async () => {
    reset(et);
    const exported = [];
    const processor = new et.BatchTraceProcessor({ export(items) { exported.push(items.length); } });
    et.setTraceProcessors([processor]);
    await spansWithPauses(et, 3);
    await Promise.all([processor.shutdown(), processor.shutdown(), processor.shutdown(1000)]);
    await processor.shutdown();
    assert.jsonEqual(exported, [4], 'flushed once');
    await spansWithPauses(et, 5);
    const stats = processor.stats();
    assert.equal(stats.refused, 6);
    assert.equal(stats.dropped, 6);
    assert.equal(stats.pending, 0);
    assert.jsonEqual(exported, [4], 'the exporter never saw the refused items');
    addsUp(assert, stats);
    et.setTraceProcessors([]);
  });

  test('lifecycle: the provider shuts each processor down once, however often and concurrently it is called', async () => {
    reset(et);
    let shutdowns = 0;
    const exported = [];
    const batch = new et.BatchTraceProcessor({ export(items) { exported.push(items.length); } });
    et.setTraceProcessors([{ shutdown() { shutdowns += 1; } }, batch]);
    await spansWithPauses(et, 2);
    const provider = et.getGlobalTraceProvider();
    await Promise.all([provider.shutdown(), provider.shutdown(500), provider.shutdown()]);
    for (let i = 0; i < 3; i++) await provider.shutdown();
    assert.equal(shutdowns, 1, 'a JS processor is shut down once');
    assert.jsonEqual(exported, [3], 'the batch processor flushed once');
    assert.equal(batch.stats().refused, 0);
    et.setTraceProcessors([]);
  });
}
