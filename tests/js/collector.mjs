// The collector (pkg/bin/collector.mjs) on 127.0.0.1: what OpenAITracingExporter sends is
// stored as JSONL and pushed to event streams; bad requests get a clear 4xx and store nothing.
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCollector, CONTENT_SECURITY_POLICY } from '../../pkg/bin/collector.mjs';

async function withCollector(options, run) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'edgetrace-collector-'));
  const collector = await startCollector({ port: 0, dataDir, ...options });
  try {
    await run(collector, dataDir);
  } finally {
    await collector.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const stored = (dataDir) => readdirSync(dataDir).filter((n) => n.endsWith('.jsonl'))
  .flatMap((n) => readFileSync(path.join(dataDir, n), 'utf8').trimEnd().split('\n').filter(Boolean));

/** The first `count` SSE `items` events from `url` (bounded in time). */
async function events(url, count, start) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5_000);
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const got = [];
  let text = '';
  await start();
  try {
    while (got.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      for (let end; (end = text.indexOf('\n\n')) >= 0; text = text.slice(end + 2)) {
        const block = text.slice(0, end);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (block.includes('event: items') && data) got.push(JSON.parse(data.slice(6)));
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return got;
}

export function registerCollector(test, et, assert) {
  test('collector: what the OpenAI exporter sends is stored as JSONL and pushed live', async () => {
    await withCollector({}, async (collector, dataDir) => {
      const exporter = new et.OpenAITracingExporter({ apiKey: 'sk-local', endpoint: `${collector.url}/v1/traces/ingest`, maxRetries: 1 });
      const pushed = await events(`${collector.url}/v1/events`, 1, async () => {
        et.setTraceProcessors([new et.BatchTraceProcessor(exporter)]);
        await et.withTrace('collected', () => et.withFunctionSpan(async () => {}, { data: { name: 'tool', input: 'x' } }));
        await et.forceFlush();
        et.setTraceProcessors([]);
      });
      assert.jsonEqual(pushed[0].map((i) => i.object), ['trace', 'trace.span']);
      const lines = stored(dataDir).map((l) => JSON.parse(l));
      assert.jsonEqual(lines.map((i) => i.workflow_name ?? i.span_data.name), ['collected', 'tool']);
      const all = await fetch(`${collector.url}/v1/traces.jsonl`);
      assert.equal((await all.text()).trimEnd().split('\n').length, 2);
    });
  });

  test('collector: bad requests get a clear 4xx and store nothing', async () => {
    await withCollector({ maxBodyBytes: 10_000 }, async (collector, dataDir) => {
      const post = (body, headers = {}) => fetch(`${collector.url}/v1/traces/ingest`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      const cases = [
        ['{"data": [', 400, /^the request body: line 1 \(byte 10\): the file ends inside a JSON value$/],
        ['{"data": [{"a": tru}]}', 400, /^the request body: line 1 \(byte 19\): not valid JSON$/],
        ['{"items": []}', 400, /\{"data": \[items\]\}/],
        ['', 400, /\{"data": \[items\]\}/],
        ['{"data": [{"object": "trace", "id": "nope"}]}', 400, /not a trace or span item: items\[0\]/],
        [JSON.stringify({ data: ['x'.repeat(20_000)] }), 413, /over 10000 bytes/],
      ];
      for (const [body, status, message] of cases) {
        const response = await post(body);
        assert.equal(response.status, status, body.slice(0, 40));
        assert.match((await response.json()).error.message, message);
      }
      assert.equal((await fetch(`${collector.url}/v1/traces/ingest`)).status, 405);
      assert.equal((await fetch(`${collector.url}/etc/passwd`)).status, 404);
      assert.equal((await fetch(`${collector.url}/pkg/../Cargo.toml`)).status, 404);
      assert.jsonEqual(stored(dataDir), []);
      const served = await fetch(`${collector.url}/pkg/package.json`);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    });
  });

  test('collector: with a token, writes need that bearer; old files go by retention', async () => {
    await withCollector({ token: 's3cret', retentionDays: 1 }, async (collector, dataDir) => {
      const body = JSON.stringify({ data: [{ object: 'trace', id: `trace_${'1'.repeat(32)}`, workflow_name: 'w', group_id: null, metadata: {} }] });
      const post = (authorization) => fetch(`${collector.url}/v1/traces/ingest`, { method: 'POST', body, headers: authorization ? { authorization } : {} });
      assert.equal((await post()).status, 401);
      assert.equal((await post('Bearer wrong')).status, 401);
      assert.jsonEqual(stored(dataDir), []);
      const accepted = await post('Bearer s3cret');
      assert.jsonEqual([accepted.status, await accepted.json()], [200, { accepted: 1 }]);
      assert.equal(stored(dataDir).length, 1);
    });
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'edgetrace-retention-'));
    const old = path.join(dataDir, '2020-01-01.jsonl');
    writeFileSync(old, '{}\n');
    utimesSync(old, new Date('2020-01-02'), new Date('2020-01-02'));
    writeFileSync(path.join(dataDir, 'today.jsonl'), '{}\n');
    const collector = await startCollector({ port: 0, dataDir, retentionDays: 7 });
    await collector.close();
    assert.jsonEqual(readdirSync(dataDir).sort(), ['today.jsonl']);
    rmSync(dataDir, { recursive: true, force: true });
  });
}
