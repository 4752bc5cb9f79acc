// Run by tests/js/node-only.mjs in a child process: agents-core's BatchTraceProcessor and
// agents-openai's exporter beside edgetrace's, with setTimeout replaced by a recorder (both call
// the global one when they schedule) and Math.random by 0, so their private defaults show as
// behaviour. Prints {batch: {theirs, ours}, retry: {theirs, ours}} as JSON.
import * as core from '@openai/agents-core';
import { OpenAITracingExporter as SdkExporter } from '@openai/agents-openai';
import * as et from 'edgetrace';

const timers = [];
globalThis.setTimeout = (fn, ms) => {
  const timer = { fn, ms, unref() { return timer; }, ref() { return timer; } };
  timers.push(timer);
  return timer;
};
globalThis.clearTimeout = (timer) => {
  const at = timers.indexOf(timer);
  if (at >= 0) timers.splice(at, 1);
};
Math.random = () => 0;
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Fires the first recorded timer of `ms` milliseconds. */
function fire(ms) {
  const at = timers.findIndex((t) => t.ms === ms);
  if (at >= 0) timers.splice(at, 1)[0].fn();
}

/** When the first export came, its size and the next scheduled one's, and the loop's delay. */
async function batching(enqueue, batches) {
  let triggeredAt;
  for (let i = 1; i <= 801 && triggeredAt === undefined; i++) {
    await enqueue(i);
    await turn();
    if (batches.length > 0) triggeredAt = i;
  }
  const loopDelay = timers.find((t) => t.ms === 5000)?.ms;
  await turn();
  fire(5000);
  for (let i = 0; i < 5; i++) await turn();
  return { triggeredAt, batches: [...batches], loopDelay };
}

core.setTraceProcessors([]);
const sdkBatches = [];
const sdk = new core.BatchTraceProcessor({ async export(items) { sdkBatches.push(items.length); } });
const batchTheirs = await batching((i) => sdk.onSpanEnd({ i }), sdkBatches);
timers.length = 0;
const ourBatches = [];
et.setTraceProcessors([new et.BatchTraceProcessor({ async export(items) { ourBatches.push(items.length); } })]);
const trace = et.getGlobalTraceProvider().createTrace({ name: 'defaults' });
const batchOurs = await batching(async (i) => {
  if (i === 1) return trace.start();
  const span = et.createFunctionSpan({ data: { name: `f${i}` } }, trace);
  span.start();
  span.end();
}, ourBatches);
et.setTraceProcessors([]);
timers.length = 0;

/** Requests made and waits slept while exporting to a server that answers 503 every time. */
async function retrying(makeExporter, items, retryAfterMs) {
  let requests = 0;
  const failing = async () => {
    requests += 1;
    return new Response('busy', { status: 503, headers: retryAfterMs === undefined ? {} : { 'retry-after-ms': String(retryAfterMs) } });
  };
  globalThis.fetch = failing;
  const waits = [];
  let settled = false;
  const done = makeExporter(failing).export(items).finally(() => { settled = true; });
  for (let i = 0; i < 200 && !settled; i++) {
    await turn();
    const sleep = timers.find((t) => t.ms < 60_000);
    if (sleep !== undefined) {
      waits.push(sleep.ms);
      fire(sleep.ms);
    }
  }
  await done.catch(() => {});
  return { requests, waits };
}

const sdkTrace = core.getGlobalTraceProvider().createTrace({ name: 'retry' });
const ourTrace = et.getGlobalTraceProvider().createTrace({ name: 'retry' });
const retry = { theirs: [], ours: [] };
for (const retryAfterMs of [undefined, 100_000]) {
  retry.theirs.push(await retrying(() => new SdkExporter({ apiKey: 'k' }), [sdkTrace], retryAfterMs));
  retry.ours.push(await retrying((fetch) => new et.OpenAITracingExporter({ apiKey: 'k', fetch }), [ourTrace], retryAfterMs));
}
process.stdout.write(`${JSON.stringify({ batch: { theirs: batchTheirs, ours: batchOurs }, retry })}\n`);
process.exit(0);
