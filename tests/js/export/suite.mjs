// Export fault tests: OpenAITracingExporter against the scripted server (fault-server.mjs), with
// delays in milliseconds so the suite stays fast. Runtime-agnostic: it talks to the server over
// fetch only. In every case: what the server acknowledged with a 2xx arrived exactly once, the
// rest is counted, user code never sees an exception, and accepted = exported + failed + pending.

// Case ids are unique per process, so runtimes can share one server.
const RUN_ID = Math.random().toString(36).slice(2, 10);
let caseNumber = 0;

/**
 * A fresh case: the exporter's endpoint for `steps`, what the server received there, and
 * `release()`, which lets the server answer the case's `hold` requests.
 */
function scenario(server, steps) {
  const id = `${RUN_ID}-${caseNumber += 1}`;
  return {
    endpoint: `${server}/fault/${steps}/${id}`,
    received: async () => (await fetch(`${server}/received/${id}`)).json(),
    release: async () => { await (await fetch(`${server}/release/${id}`, { method: 'POST' })).arrayBuffer(); },
  };
}

// Longer than anything here takes on a loaded machine, far shorter than the hang it catches.
const DEADLINE_MS = 10_000;

/** Whether `promise` settled within DEADLINE_MS (false: it waited for what it must not wait for). */
function settles(promise) {
  let timer;
  const deadline = new Promise((resolve) => { timer = setTimeout(() => resolve(false), DEADLINE_MS); });
  return Promise.race([promise.then(() => true, () => true), deadline]).finally(() => clearTimeout(timer));
}

/** What the server received for a case once `count` requests arrived (they may trail the client). */
async function receivedWhen(received, count) {
  const until = Date.now() + DEADLINE_MS;
  let requests = await received();
  while (requests.length < count && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    requests = await received();
  }
  return requests;
}

async function traceTwoSpans(et) {
  await et.withTrace('faults', async () => {
    await et.withFunctionSpan(async () => {}, { data: { name: 'a', input: 'in', output: 'out' } });
    await et.withFunctionSpan(async () => {}, { data: { name: 'b' } });
  });
}

// Short waits between attempts keep the suite fast; the request timeout is generous (a loaded
// machine can take longer than 200 ms to answer a local request, and a timed-out attempt is a
// retry the tests would count), so only the tests about timeouts set a short one.
const FAST = { baseDelay: 5, maxDelay: 50, timeout: 10_000 };

export function registerExportSuite(test, et, assert, { server, reset }) {
  async function run(steps, options = {}) {
    reset(et);
    const { endpoint, received } = scenario(server, steps);
    const exporter = new et.OpenAITracingExporter({ apiKey: 'sk-test-secret', endpoint, ...FAST, ...options });
    const processor = new et.BatchTraceProcessor(exporter);
    et.setTraceProcessors([processor]);
    await traceTwoSpans(et);
    await et.forceFlush();
    const stats = processor.stats();
    assert.equal(stats.queued, stats.pending + stats.inFlight + stats.exported + stats.failed + stats.dropped, 'the counters add up');
    return { requests: await received(), stats, exporter: exporter.stats() };
  }

  test('export: a 2xx delivers the ingest body with the SDK headers, once', async () => {
    const { requests, stats } = await run('200', { organization: 'org-1', project: 'proj-1', headers: { 'x-extra': 'yes' } });
    assert.equal(requests.length, 1);
    const [request] = requests;
    assert.equal(request.headers.authorization, 'Bearer sk-test-secret');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['openai-beta'], 'traces=v1');
    assert.equal(request.headers['openai-organization'], 'org-1');
    assert.equal(request.headers['openai-project'], 'proj-1');
    assert.equal(request.headers['x-extra'], 'yes');
    const body = JSON.parse(request.body);
    assert.jsonEqual(body.data.map((i) => i.object), ['trace', 'trace.span', 'trace.span']);
    assert.jsonEqual(body.data[1].span_data, { type: 'function', input: 'in', output: 'out', name: 'a' });
    assert.jsonEqual(stats, { queued: 3, dropped: 0, exported: 3, failed: 0, pending: 0, inFlight: 0, refused: 0, timedOut: 0, retried: 0, truncated: 0, flattened: 0 });
  });

  test('export: 500 twice then 200 delivers after two retries, exactly once', async () => {
    const { requests, stats, exporter } = await run('500,500,200');
    assert.jsonEqual(requests.map((r) => r.status), [500, 500, 200]);
    assert.equal(new Set(requests.map((r) => r.body)).size, 1, 'the same body each time');
    assert.equal(stats.exported, 3);
    assert.equal(stats.retried, 2, 'the batch processor reports the exporter\'s retries');
    assert.equal(exporter.retried, 2);
  });

  test('export: 429 with retry-after-ms waits at least that long', async () => {
    const started = Date.now();
    const { requests, stats } = await run('429ms80,200', { maxDelay: 1000 });
    assert.jsonEqual(requests.map((r) => r.status), [429, 200]);
    assert.ok(Date.now() - started >= 80, 'waited for retry-after-ms');
    assert.equal(stats.exported, 3);
  });

  // Upper bounds sit far below the wait that honouring the header would take (29-30 s), so load
  // cannot reach them; the lower bound is the 60 ms cap (timers do not fire early).
  test('export: retry-after in seconds is honoured, capped by maxDelay', async () => {
    const started = Date.now();
    const { requests, stats } = await run('503s30,200', { maxDelay: 60 });
    assert.jsonEqual(requests.map((r) => r.status), [503, 200]);
    const waited = Date.now() - started;
    assert.ok(waited >= 55 && waited < 20_000, `waited the capped ${waited} ms, not 30 s`);
    assert.equal(stats.exported, 3);
  });

  // HTTP dates in the three forms RFC 9110 requires a recipient to accept, 29-30 s ahead: the wait
  // is the maxDelay cap, not the 5 ms backoff (date not read) nor the 29 s the date asks for.
  const DATE_SHAPES = {
    imf: /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/,
    rfc850: /^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d\d-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d\d \d\d:\d\d:\d\d GMT$/,
    asctime: /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}$/,
  };
  for (const [form, shape] of Object.entries(DATE_SHAPES)) {
    test(`export: retry-after as an ${form} date is honoured, capped by maxDelay`, async () => {
      const started = Date.now();
      const { requests, stats } = await run(`503${form}+30,200`, { maxDelay: 60 });
      assert.jsonEqual(requests.map((r) => r.status), [503, 200]);
      assert.match(requests[0].retryAfter, shape, `the server sent an ${form} date`);
      const waited = Date.now() - started;
      assert.ok(waited >= 55 && waited < 20_000, `waited the capped ${waited} ms, not the backoff nor 29 s`);
      assert.equal(stats.exported, 3);
    });
  }

  test('export: x-should-retry: false stops at once; true retries even a 400', async () => {
    const forbidden = await run('503nr,200');
    assert.jsonEqual(forbidden.requests.map((r) => r.status), [503]);
    assert.equal(forbidden.stats.failed, 3);
    const forced = await run('400r,200');
    assert.jsonEqual(forced.requests.map((r) => r.status), [400, 200]);
    assert.equal(forced.stats.exported, 3);
  });

  test('export: a 400 is not retried and its items are counted failed', async () => {
    const { requests, stats } = await run('400,200');
    assert.jsonEqual(requests.map((r) => r.status), [400]);
    assert.jsonEqual(stats, { queued: 3, dropped: 0, exported: 0, failed: 3, pending: 0, inFlight: 0, refused: 0, timedOut: 0, retried: 0, truncated: 0, flattened: 0 });
  });

  // The attempts are counted by the exporter: an attempt can time out before its request reached
  // the server (a loaded machine), so the server may have seen fewer, none of them answered.
  test('export: a server that hangs times out and is retried, then given up', async () => {
    const { requests, stats, exporter } = await run('hang', { timeout: 30, maxRetries: 2 });
    assert.equal(exporter.requests, 2, 'two attempts, each timed out');
    assert.ok(requests.length <= 2 && requests.every((r) => r.status === 0), `the server answered none (${JSON.stringify(requests.map((r) => r.status))})`);
    assert.equal(stats.failed, 3);
    assert.equal(exporter.retried, 1);
  });

  test('export: connection refused is retried, then counted failed, never thrown', async () => {
    reset(et);
    const exporter = new et.OpenAITracingExporter({ apiKey: 'k', endpoint: 'http://127.0.0.1:9/v1/traces/ingest', ...FAST });
    const processor = new et.BatchTraceProcessor(exporter);
    et.setTraceProcessors([processor]);
    await traceTwoSpans(et);
    await et.forceFlush();
    assert.equal(processor.stats().failed, 3);
    assert.equal(exporter.stats().requests, 3);
  });

  test('export: no API key sends nothing and counts the items failed', async () => {
    reset(et);
    et.setTracingExportApiKey(undefined);
    const { endpoint, received } = scenario(server, '200');
    assert.equal(et.getTracingExportApiKey(), undefined, 'no key from the setter or the environment');
    const exporter = new et.OpenAITracingExporter({ endpoint, ...FAST });
    const processor = new et.BatchTraceProcessor(exporter);
    et.setTraceProcessors([processor]);
    await traceTwoSpans(et);
    await et.forceFlush();
    assert.equal((await received()).length, 0);
    assert.equal(processor.stats().failed, 3);
  });

  test('export: the key set with setTracingExportApiKey is used, and never appears in the body', async () => {
    reset(et);
    et.setTracingExportApiKey('sk-from-setter');
    try {
      const { endpoint, received } = scenario(server, '200');
      et.setTraceProcessors([new et.BatchTraceProcessor(new et.OpenAITracingExporter({ endpoint, ...FAST }))]);
      await traceTwoSpans(et);
      await et.forceFlush();
      const [request] = await received();
      assert.equal(request.headers.authorization, 'Bearer sk-from-setter');
      assert.ok(!request.body.includes('sk-from-setter'));
    } finally {
      et.setTracingExportApiKey(undefined);
    }
  });

  test('export: many concurrent flushes against a slow server deliver every item once', async () => {
    reset(et);
    const { endpoint, received } = scenario(server, 'slow20');
    const processor = new et.BatchTraceProcessor(new et.OpenAITracingExporter({ apiKey: 'k', endpoint, ...FAST }));
    et.setTraceProcessors([processor]);
    const flushes = [];
    for (let i = 0; i < 10; i++) {
      await traceTwoSpans(et);
      flushes.push(et.forceFlush());
    }
    await Promise.all(flushes);
    const ids = (await received()).flatMap((r) => JSON.parse(r.body).data.map((item) => item.id));
    assert.equal(ids.length, 30);
    assert.equal(new Set(ids).size, 30, 'no item twice');
    assert.equal(processor.stats().exported, 30);
  });

  // The server holds the export's request until the test releases it: a flush that returns
  // while it is held returned at its bound (one that waited for the export would never return).
  test('export: forceFlush({timeoutMs}) returns within its bound while a slow export goes on', async () => {
    reset(et);
    const { endpoint, received, release } = scenario(server, 'hold');
    const processor = new et.BatchTraceProcessor(new et.OpenAITracingExporter({ apiKey: 'k', endpoint, ...FAST, timeout: 60_000 }));
    et.setTraceProcessors([processor]);
    await traceTwoSpans(et);
    let flushed;
    try {
      assert.ok(await settles(et.forceFlush({ timeoutMs: 40 })), 'returned at its bound while the server held the export');
      assert.equal(processor.stats().exported, 0, 'not delivered yet');
      assert.jsonEqual((await receivedWhen(received, 1)).map((r) => r.status), [0], 'the request is still held');
      flushed = et.forceFlush().then(() => processor.stats().exported);
    } finally {
      await release();
    }
    assert.equal(await flushed, 3, 'an unbounded flush waits for the export in flight');
    assert.jsonEqual((await received()).map((r) => r.status), [200]);
    assert.throws(() => et.forceFlush({ timeoutMs: -1 }), RangeError, /timeoutMs/);
  });

  test('export: shutdown(timeout) is bounded too: it aborts the export still in flight (as the SDK) and stops the processor', async () => {
    reset(et);
    const { endpoint, received, release } = scenario(server, 'hold');
    const processor = new et.BatchTraceProcessor(new et.OpenAITracingExporter({ apiKey: 'k', endpoint, ...FAST, timeout: 60_000 }));
    et.setTraceProcessors([processor]);
    await traceTwoSpans(et);
    try {
      assert.ok(await settles(et.getGlobalTraceProvider().shutdown(40)), 'returned at its bound while the server held the export');
      assert.throws(() => processor.shutdown(-5), RangeError, /timeout/);
      assert.ok(await settles(processor.forceFlush()), 'the export in flight ended (aborted) without an answer');
      assert.ok((await received()).every((r) => r.status === 0), 'the server never answered');
    } finally {
      await release();
    }
    const stats = processor.stats();
    assert.equal(stats.failed, 3, 'the export in flight was aborted at the bound');
    assert.equal(stats.exported + stats.inFlight + stats.pending, 0);
    await et.withTrace('after shutdown', async () => {});
    assert.equal(processor.stats().refused, 1, 'a shut-down processor refuses new items');
  });

  test('export: ingest rules: flat string metadata, reshaped usage, 100 KB field limit, all counted', async () => {
    reset(et);
    const { endpoint, received } = scenario(server, '200');
    const processor = new et.BatchTraceProcessor(new et.OpenAITracingExporter({ apiKey: 'k', endpoint, ...FAST }));
    et.setTraceProcessors([processor]);
    await et.withTrace('ingest', async () => {
      await et.withGenerationSpan(async () => {}, { data: { model: 'm', input: 'x'.repeat(150_000), usage: { input_tokens: 1, output_tokens: 2, requests: 1 } } });
    }, { metadata: { user: 'u', attempt: 2, tags: ['a'] } });
    await et.forceFlush();
    const [trace, span] = JSON.parse((await received())[0].body).data;
    assert.jsonEqual(trace.metadata, { user: 'u', attempt: '2', tags: '["a"]' });
    assert.jsonEqual(span.span_data.usage, { input_tokens: 1, output_tokens: 2, details: { requests: 1 } });
    assert.ok(span.span_data.input.endsWith('... [truncated]') && span.span_data.input.length < 100_000, 'input cut to the limit');
    const stats = processor.stats();
    assert.equal(stats.truncated, 1);
    assert.equal(stats.flattened, 2);
  });

  test('export: a trace with its own tracingApiKey is sent with that key, apart from the others', async () => {
    reset(et);
    const { endpoint, received } = scenario(server, '200');
    et.setTraceProcessors([new et.BatchTraceProcessor(new et.OpenAITracingExporter({ apiKey: 'sk-exporter', endpoint, ...FAST }))]);
    await et.withTrace('tenant', async () => et.withFunctionSpan(async () => {}, { data: { name: 'tenant-span' } }), { tracingApiKey: 'sk-tenant' });
    await traceTwoSpans(et);
    await et.forceFlush();
    const requests = await received();
    assert.equal(requests.length, 2);
    const byKey = Object.fromEntries(requests.map((r) => [r.headers.authorization, JSON.parse(r.body).data]));
    assert.jsonEqual(byKey['Bearer sk-tenant'].map((i) => i.workflow_name ?? i.span_data.name), ['tenant', 'tenant-span']);
    assert.equal(byKey['Bearer sk-exporter'].length, 3);
    assert.ok(!requests.some((r) => r.body.includes('sk-tenant')), 'the key is never in a body');
  });

  test('export: bad exporter options are TypeErrors/RangeErrors naming them', () => {
    assert.throws(() => new et.OpenAITracingExporter({ endpoint: 'not a url' }), TypeError, /options.endpoint/);
    assert.throws(() => new et.OpenAITracingExporter({ maxRetries: 0 }), RangeError, /maxRetries/);
    assert.throws(() => new et.OpenAITracingExporter({ baseDelay: -1 }), RangeError, /baseDelay/);
    assert.throws(() => new et.OpenAITracingExporter({ headers: { a: 1 } }), TypeError, /headers/);
    assert.throws(() => new et.OpenAITracingExporter({ fetch: 'x' }), TypeError, /options.fetch/);
    assert.throws(() => new et.OpenAITracingExporter({ apiKey: 5 }), TypeError, /options.apiKey/);
  });
}
