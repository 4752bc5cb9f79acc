// Parity of the ingest field limit with @openai/agents-openai's own truncateSpanFieldValue: for
// values around and far over 100 KB (strings with every kind of character, nested objects and
// arrays, deep nesting, the work budget), the span input edgetrace queues for the OpenAI exporter
// must equal, byte for byte, JSON.stringify of what the SDK would send.
import { fileURLToPath } from 'node:url';
import { reset } from './suite/helpers.mjs';

const sdkModule = fileURLToPath(new URL('../../node_modules/@openai/agents-openai/dist/tracingFieldProcessing.mjs', import.meta.url));
const { truncateSpanFieldValue, sanitizeGenerationUsageForTracesIngest } = await import(sdkModule);

const KB = 1000;
const repeat = (text, length) => text.repeat(Math.ceil(length / text.length)).slice(0, length);
const nested = (depth) => {
  let value = 'leaf';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

/** [label, value]: each crosses into span_data.input. */
export const PARITY_CASES = [
  ['ascii string just under the limit', repeat('a', 99_990)],
  ['ascii string just over the limit', repeat('a', 100_100)],
  ['escapes (quotes, newlines, control characters)', repeat('"\n\t\u0001\\ab', 120 * KB)],
  ['two-byte and three-byte characters', repeat('é漢字ü', 60 * KB)],
  ['emoji (surrogate pairs) at the cut', repeat('😀a', 70 * KB)],
  ['a lone surrogate', `${repeat('x', 110 * KB)}\ud800${repeat('y', 10)}`],
  ['an object with one big field', { role: 'user', content: repeat('hello world ', 20 * KB), id: 7 }],
  ['an object with many mid-size fields', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, repeat(`v${i}-`, 5 * KB)]))],
  ['an array of messages', Array.from({ length: 30 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: repeat(`message ${i} `, 6 * KB) }))],
  ['an array of numbers and nulls', Array.from({ length: 30 * KB }, (_, i) => (i % 7 === 0 ? null : i * 1.5))],
  ['nested objects', { a: { b: { c: repeat('deep ', 30 * KB), d: [1, 2, { e: repeat('z', 50 * KB) }] } }, f: true }],
  ['deeper than 1000 levels', nested(1200)],
  ['a string past the work budget', repeat('w', 8_100_000)],
];

/** Generation usage objects as runners record them. */
const USAGE_CASES = [
  { input_tokens: 3, output_tokens: 5 },
  { total_tokens: 8, output_tokens: 5, details: { cached: 1, total_tokens: 0 }, input_tokens: 3 },
  { input_tokens: 3, output_tokens: 5, input_tokens_details: { cached_tokens: 2 }, requests: 1 },
  { input_tokens: '3', output_tokens: 5 },
  { output_tokens: 5 },
];

export function registerTruncationParity(test, et, assert) {
  test('generation usage parity with the SDK (sanitizeGenerationUsageForTracesIngest)', async () => {
    reset(et);
    let body;
    const exporter = { [Symbol.for('edgetrace.ingestLimits')]: true, exportBody(bytes) { body = new TextDecoder().decode(bytes); } };
    et.setTraceProcessors([new et.BatchTraceProcessor(exporter)]);
    await et.withTrace('t', async () => {
      for (const usage of USAGE_CASES) await et.withGenerationSpan(async () => {}, { data: { model: 'm', usage } });
    });
    await et.forceFlush();
    const spans = JSON.parse(body).data.filter((item) => item.object === 'trace.span');
    USAGE_CASES.forEach((usage, i) => {
      assert.equal(JSON.stringify(spans[i].span_data.usage), JSON.stringify(sanitizeGenerationUsageForTracesIngest(usage)), `case ${i}`);
    });
  });

  for (const [label, value] of PARITY_CASES) {
    test(`truncation parity with the SDK: ${label}`, async () => {
      reset(et);
      let body;
      const exporter = { [Symbol.for('edgetrace.ingestLimits')]: true, exportBody(bytes) { body = new TextDecoder().decode(bytes); } };
      const processor = new et.BatchTraceProcessor(exporter);
      et.setTraceProcessors([processor]);
      await et.withTrace('t', async () => {
        if (typeof value === 'string') {
          await et.withFunctionSpan(async () => {}, { data: { name: 'fast path', input: value } });
        }
        await et.withGenerationSpan(async () => {}, { data: { input: value } });
      });
      await et.forceFlush();
      const expected = JSON.stringify(truncateSpanFieldValue(value));
      const spans = JSON.parse(body).data.filter((item) => item.object === 'trace.span');
      for (const span of spans) {
        const ours = JSON.stringify(span.span_data.input);
        let at = 0;
        while (at < ours.length && ours[at] === expected[at]) at += 1;
        assert.ok(ours === expected, `${span.span_data.type}: ${ours.length} vs ${expected.length} characters, first difference at ${at}`);
      }
      const changed = expected !== JSON.stringify(value);
      assert.equal(processor.stats().truncated, changed ? spans.length : 0, 'truncations are counted');
    });
  }
}
