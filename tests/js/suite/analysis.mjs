// Trace analysis through `edgetrace/processors` (as `p`): a run traced with the package, its
// export items and its ingest body analysed to the numbers worked out by hand; file errors.
import { collector, reset } from './helpers.mjs';

/** Traces a support run with a fixed clock: Triage (a generation, a failing tool, a handoff) then Billing. */
async function supportRun(et) {
  let now = Date.UTC(2026, 11, 1, 10, 0, 0);
  et.setTracingClock(() => now);
  const step = (ms) => { now += ms; };
  await et.withTrace('support-workflow', async (trace) => {
    const triage = et.createAgentSpan({ data: { name: 'Triage' } }, trace);
    triage.start();
    const gen = et.createGenerationSpan({ data: { model: 'gpt-4o', usage: { input_tokens: 12, output_tokens: 5 } } }, triage);
    gen.start(); step(950); gen.end();
    const tool = et.createFunctionSpan({ data: { name: 'lookup', input: '{"order":42}' } }, triage);
    tool.start(); step(200); tool.setError({ message: 'boom' }); tool.end();
    const handoff = et.createHandoffSpan({ data: { from_agent: 'Triage', to_agent: 'Billing' } }, triage);
    handoff.start(); handoff.end();
    step(650); triage.end();
  }, { groupId: 'conv-1' });
  et.setTracingClock(undefined);
}

export default function register(test, et, assert, runtime) {
  const p = runtime.processors;

  test('the analysis of a traced run: duration, usage, cost, tools, handoffs, errors, the tree', async () => {
    reset(et);
    const { exporter, items } = collector();
    et.setTraceProcessors([new et.BatchTraceProcessor(exporter)]);
    await supportRun(et);
    await et.forceFlush();
    const analyzer = new p.TraceAnalyzer();
    analyzer.addItems(items);
    const { traces, groups, prices } = analyzer.analyze();
    assert.equal(traces.length, 1);
    const run = traces[0];
    assert.jsonEqual([run.workflowName, run.groupId, run.durationMs], ['support-workflow', 'conv-1', 1_800]);
    assert.jsonEqual(run.spansByType, { agent: 1, function: 1, generation: 1, handoff: 1 });
    assert.jsonEqual(run.usage, { inputTokens: 12, outputTokens: 5, cachedInputTokens: 0, reasoningTokens: 0 });
    assert.equal(run.costUsd, 0.00008); // 12 x $2.50 + 5 x $10.00 per million
    assert.equal(run.costComplete, true);
    assert.jsonEqual(run.tools, [{ name: 'lookup', calls: 1, errors: 1, totalMs: 200, maxMs: 200 }]);
    assert.jsonEqual(run.handoffChain, ['Triage', 'Billing']);
    assert.jsonEqual(run.errors.map((e) => [e.type, e.name, e.error]), [['function', 'lookup', 'boom']]);
    assert.equal(run.tree, [
      'support-workflow (1.80 s)',
      '└─ agent Triage (1.80 s)',
      '   ├─ generation gpt-4o (0.95 s, 12 in / 5 out)',
      '   ├─ function lookup (0.20 s) ERROR: boom',
      '   └─ handoff Triage → Billing',
      '',
    ].join('\n'));
    assert.equal(groups['conv-1'].traces, 1);
    assert.match(prices.date, /^\d{4}-\d{2}-\d{2}$/);
  });

  test('the ingest body read a chunk at a time gives the same analysis; a price table can be replaced', async () => {
    reset(et);
    let body;
    et.setTraceProcessors([new et.BatchTraceProcessor({ exportBody(bytes) { body = bytes; } })]);
    await supportRun(et);
    await et.forceFlush();
    const analyzer = new p.TraceAnalyzer({ prices: { date: '2026-12-01', source: 'test', prices: [{ model: 'gpt-4o', input: 1_000_000, output: 0 }] } });
    for (let at = 0; at < body.length; at += 7) analyzer.feed(body.subarray(at, at + 7), 'body.json');
    analyzer.endFile('body.json');
    const run = analyzer.analyze().traces[0];
    assert.equal(run.durationMs, 1_800);
    assert.equal(run.costUsd, 12);
    assert.match(analyzer.report(), /^support-workflow \(1\.80 s\)\n/);
    assert.match(analyzer.report(), /\n  cost     \$12\.000000\n/);
  });

  test('a file that is not a trace file gets an error naming it, the line and what is wrong', () => {
    const analyzer = new p.TraceAnalyzer();
    assert.throws(() => analyzer.addFile('{"object":"trace","id":"trace_x"}\n', 'bad.jsonl'), Error, /^bad\.jsonl: line 1 \(byte \d+\): not an export item/);
    assert.throws(() => new p.TraceAnalyzer().addFile('\n\n[1, 2]', 'array.json'), Error, /^array\.json: line 3 .*expected a JSON object/);
    assert.throws(() => new p.TraceAnalyzer().addFile('{"data":[', 'cut.json'), Error, /^cut\.json: .*ends inside/);
    assert.throws(() => analyzer.addItems([{ object: 'nope' }]), TypeError, /items\[0\]/);
    assert.throws(() => analyzer.setPrices({ prices: [] }), Error, /prices must be/);
  });

  test('one reader for trace files: pretty-printed and concatenated bodies, JSONL with a BOM, blank lines and CRLF', async () => {
    reset(et);
    const { exporter, items } = collector();
    et.setTraceProcessors([new et.BatchTraceProcessor(exporter)]);
    await supportRun(et);
    await et.forceFlush();
    const texts = items.map((item) => JSON.stringify(item));
    const body = { data: items };
    const files = {
      'jq.json': JSON.stringify(body, null, 2),
      'indent-4.json': JSON.stringify(body, null, 4),
      'two-bodies.json': `${JSON.stringify(body)}${JSON.stringify(body, null, 1)}`,
      'windows.jsonl': `\ufeff${texts.join('\r\n\r\n')}\r\n`,
      'mixed.jsonl': `${JSON.stringify({ data: items.slice(0, 2) })}\n\n${texts.slice(2).join('\n')}`,
    };
    for (const [name, text] of Object.entries(files)) {
      const copies = name === 'two-bodies.json' ? 2 : 1;
      const expected = Array.from({ length: copies }, () => texts).flat();
      // Whole, as bytes a few at a time, and through exportItemsOf: the same compact items.
      const reader = new p.TraceFileReader(name);
      assert.jsonEqual([...reader.feed(text), ...reader.end()], expected, name);
      const bytes = new TextEncoder().encode(text);
      const chunked = new p.TraceFileReader(name);
      const read = [];
      for (let at = 0; at < bytes.length; at += 5) read.push(...chunked.feed(bytes.subarray(at, at + 5)));
      read.push(...chunked.end());
      assert.jsonEqual(read, expected, `${name} by 5 bytes`);
      assert.jsonEqual(p.exportItemsOf(text, name), JSON.parse(`[${expected.join(',')}]`), name);
      // The analysis reads it with the same reader.
      const analyzer = new p.TraceAnalyzer();
      analyzer.addFile(text, name);
      assert.equal(analyzer.analyze().traces[0].durationMs, 1_800, name);
    }
  });

  test('the trace-file reader names the file, the line and the byte of what is wrong; bad arguments are TypeErrors', () => {
    const bad = (text, name, pattern) => assert.throws(() => p.exportItemsOf(text, name), Error, pattern);
    bad('{"data": [\n  {"a": 1},\n  2\n]}', 'numbers.json', /^numbers\.json: line 3 \(byte 25\): a body's data array holds something other than items$/);
    bad('\ufeff{"a":1}\r\n{"b":', 'cut.jsonl', /^cut\.jsonl: line 2 \(byte \d+\): the file ends inside a JSON value$/);
    bad('hello', 'prose.txt', /^prose\.txt: line 1 \(byte 0\): expected a JSON object \(an item or a body\)$/);
    const reader = new p.TraceFileReader('partial.jsonl');
    assert.jsonEqual(reader.feed('{"a":1}\n{"b"'), ['{"a":1}'], 'items come out as soon as they are complete');
    assert.jsonEqual(reader.feed(':2}'), ['{"b":2}']);
    assert.jsonEqual(reader.end(), []);
    assert.throws(() => new p.TraceFileReader(5), TypeError, /name must be a string/);
    assert.throws(() => new p.TraceFileReader('x', 'y'), TypeError, /options must be an object/);
    assert.throws(() => new p.TraceFileReader().feed({}), TypeError, /chunk must be a Uint8Array or a string/);
    const ingest = new p.TraceFileReader('request', { bodiesOnly: true });
    assert.throws(() => ingest.feed('{"object":"trace"}'), Error, /^request: line 1 \(byte 0\): expected an ingest body/);
  });
}
