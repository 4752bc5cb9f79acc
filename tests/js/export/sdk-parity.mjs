// Parity of edgetrace's OpenAITracingExporter with @openai/agents-openai's, on the wire (Node only;
// issue 9, item 2). Every ingest rule (the 100 KB field limit, generation usage reshaping,
// reasoning removal for the official endpoint, metadata flattening) must apply whichever way the
// exporter is called, with edgetrace's items or with items that only have toJSON() (the SDK's),
// and export() must never reject into its caller.
//
// A real HTTP server on 127.0.0.1 (ephemeral port) records each request's path, headers and body
// bytes and answers 200. Both exporters are made per test with `maxRetries: 1`. The official
// endpoint (where reasoning is removed) is reached through a fetch that sends it to the local
// server: for the SDK, `globalThis.fetch` is replaced while this file runs (its exporter calls the
// global fetch); for edgetrace, its `fetch` option. Requests land on /sdk/... or /edgetrace/...,
// so each body is known to come from one exporter. The fetch edgetrace is given also records the
// type of the body it receives: edgetrace's contract is a Uint8Array in every path.
//
// Paths, for every case (a test each, named "<case> › <path>"):
//   direct         `exporter.export(items)` on both exporters with the SAME agents-core items;
//   sdk-processor  agents-core's own BatchTraceProcessor driving each exporter (both registered at
//                  once, so both get the same item objects; forceFlush());
//   et-export      edgetrace's BatchTraceProcessor with `{ export(items) { return exporter.export(items) } }`
//                  (edgetrace's items, toJSON() only, reach export(items));
//   et-body        edgetrace's BatchTraceProcessor with the exporter itself (exportBody(bytes)).
// In the first two both exporters see the same objects, so the bodies must be equal as they are
// (same ids, same times). In the edgetrace paths the items are edgetrace's; the reference is the
// SDK's body for agents-core items built from the same data with the SAME ids (both libraries take
// `traceId` / `spanId` options, so no id mapping is needed); only started_at / ended_at differ and
// are replaced by a placeholder on both sides before comparing.
//
// Comparison: both bodies decoded as UTF-8 and compared as strings (a short excerpt around the
// first differing offset, and the JSON path there, on failure), with the same Authorization,
// Content-Type and OpenAI-Beta headers and the same requests (one per export key, in the SDK's
// order; in the edgetrace paths matched by Authorization, since that processor batches per key).
// The one documented difference: edgetrace JSON-encodes non-string trace metadata values, so the
// SDK's body is flattened the same way (every non-string value -> JSON.stringify(value)) first.
//
// Where the SDK itself sends nothing (BigInt or a 100,000-deep value outside input/output, a value
// whose toJSON() throws, a throwing getter, an item whose own toJSON() throws): the SDK's export()
// builds its body inside its retry loop, so the throw is logged as a failed request and export()
// resolves having sent nothing, or, when an item's own toJSON() throws, export() rejects and its
// processor logs and drops the whole batch. Either way edgetrace must send the item with the
// offending field dropped, at the granularity edgetrace's span end() already uses: the top-level
// span_data key that holds the value, the whole `error.data` (the message stays), or the whole
// item when its own toJSON() throws (the other items are still sent). The reference is then the
// SDK's body for the same case built without that field, and in the two paths where edgetrace's
// exporter is the one dropping it (direct, sdk-processor), `exporter.stats().fieldsDropped` (the
// planned counter) must grow by the number dropped (an item left out counts as one). In the edgetrace-processor paths span end()
// drops the field before any exporter sees the item (with a warning), so only the body is checked.
// In those paths the item is serialized at span end(), so what the SDK's exporter does to an input
// or output that JSON.stringify cannot take as it is (BigInt members dropped, a preview for a value
// too deep or with a throwing getter / toJSON(), non-finite numbers dropped from an oversized
// object rather than written as null) must be decided there: the exporter no longer sees the value.
//
// Prints "sdk-parity: N passed, M failed"; exits non-zero on failure. `node sdk-parity.mjs <text>`
// runs only the tests whose name contains <text>.
import http from 'node:http';
import * as et from 'edgetrace';
import * as core from '@openai/agents-core';
import { OpenAITracingExporter as SdkExporter } from '@openai/agents-openai';
import { createSuite, AssertionError } from '../harness.mjs';
import { reset } from '../suite/helpers.mjs';

const OFFICIAL = 'https://api.openai.com/v1/traces/ingest';
const DEFAULT_KEY = 'sk-parity-default';
const FIELD_LIMIT = 100_000;
const KB = 1000;
const DEADLINE_MS = 60_000;
const PATHS = ['direct', 'sdk-processor', 'et-export', 'et-body'];

// Keys come from the exporters' options and the traces only.
delete process.env.OPENAI_API_KEY;

// agents-core registers a console BatchTraceProcessor at import: none while this file runs (each
// test registers the processors it drives).
core.setTraceProcessors([]);

// ---------------------------------------------------------------------------------------------
// The local ingest server and the fetches that reach it.

function startServer() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        requests,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(done);
        }),
      });
    });
  });
}

const server = await startServer();
const realFetch = globalThis.fetch;
/** What each fetch was called with: {client, url, bodyType, isUint8Array}. */
const fetchCalls = [];

function typeOfBody(body) {
  if (body === undefined || body === null) return String(body);
  if (typeof body === 'string') return 'string';
  return body.constructor?.name ?? typeof body;
}

/** A fetch for `client` ('sdk' or 'edgetrace'): the official endpoint goes to the local server. */
function redirectingFetch(client) {
  return (url, init) => {
    const href = typeof url === 'string' ? url : url instanceof URL ? url.href : url.url;
    fetchCalls.push({ client, url: href, bodyType: typeOfBody(init?.body), isUint8Array: init?.body instanceof Uint8Array });
    return realFetch(href === OFFICIAL ? `${server.url}/${client}/official` : href, init);
  };
}
const edgetraceFetch = redirectingFetch('edgetrace');

/** Requests received since the last call: {sdk, edgetrace}, each in arrival order. */
function drain() {
  const all = server.requests.splice(0);
  return {
    sdk: all.filter((r) => r.path.startsWith('/sdk/')),
    edgetrace: all.filter((r) => r.path.startsWith('/edgetrace/')),
  };
}

function drainFetchCalls() {
  return fetchCalls.splice(0);
}

/** Both exporters, for the official endpoint or a custom one. */
function makeExporters(endpoint) {
  const custom = endpoint === 'custom';
  const sdk = new SdkExporter({ apiKey: DEFAULT_KEY, maxRetries: 1, ...(custom ? { endpoint: `${server.url}/sdk/custom` } : {}) });
  const ours = new et.OpenAITracingExporter({
    apiKey: DEFAULT_KEY, maxRetries: 1, fetch: edgetraceFetch,
    ...(custom ? { endpoint: `${server.url}/edgetrace/custom` } : {}),
  });
  return { sdk, ours, url: custom ? `${server.url}/edgetrace/custom` : OFFICIAL };
}

// ---------------------------------------------------------------------------------------------
// Logs: the SDK's console.error / console.warn lines and edgetrace's logger, kept per test and
// shown when it fails.

let logLines = [];
const consoleError = console.error;
const consoleWarn = console.warn;
function short(args) {
  return args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : String(a))).join(' ').slice(0, 300);
}
function captureLogs() {
  console.error = (...args) => logLines.push(`console.error: ${short(args)}`);
  console.warn = (...args) => logLines.push(`console.warn: ${short(args)}`);
}
function restoreLogs() {
  console.error = consoleError;
  console.warn = consoleWarn;
}
const edgetraceLogger = {
  warn: (...args) => logLines.push(`edgetrace warn: ${short(args)}`),
  error: (...args) => logLines.push(`edgetrace error: ${short(args)}`),
};

function resetEdgetrace() {
  reset(et);
  et.setTracingLogger(edgetraceLogger, { level: 'warn' });
}

// ---------------------------------------------------------------------------------------------
// Building equal items in both libraries (their tracing APIs have the same names and shapes).

/** Ids from a seed: equal in every build of the same case. */
function idsFor(seed) {
  let traces = 0;
  let spans = 0;
  const hex = (n, width) => seed.toString(16).padStart(8, '0') + n.toString(16).padStart(width - 8, '0');
  return { trace: () => `trace_${hex(traces += 1, 32)}`, span: () => `span_${hex(spans += 1, 24)}` };
}

/**
 * The builder API a case uses, over agents-core or edgetrace. Span data given at creation must be
 * JSON-safe (agents-core JSON.stringify's it for a debug line when the span is created); what the
 * SDK cannot serialize is set by `close(span, mutate)`, just before the span ends.
 */
function builder(api, ids) {
  return {
    async trace(options = {}) {
      const trace = api.getGlobalTraceProvider().createTrace({ name: 'sdk parity', traceId: ids.trace(), ...options });
      await trace.start();
      return trace;
    },
    open(kind, parent, data) {
      const span = api[`create${kind}Span`]({ spanId: ids.span(), data }, parent);
      span.start();
      return span;
    },
    close(span, mutate) {
      mutate?.(span.spanData, span);
      span.end();
    },
    span(kind, parent, data, mutate) {
      this.close(this.open(kind, parent, data), mutate);
    },
    async end(trace) {
      await trace.end();
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** agents-core items of a case, in the order a batch processor queues them. */
async function sdkItems(scenario, seed, variant) {
  const items = [];
  core.setTraceProcessors([{
    async onTraceStart(trace) { items.push(trace); },
    async onTraceEnd() {},
    async onSpanStart() {},
    async onSpanEnd(span) { items.push(span); },
    async forceFlush() {},
    async shutdown() {},
  }]);
  try {
    await scenario.build(builder(core, idsFor(seed)), variant);
    await settle();
  } finally {
    core.setTraceProcessors([]);
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Running exporters.

function within(promise, label) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new AssertionError(`${label} did not settle within ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** {ok, value} or {ok: false, error}: how a call settled. */
async function outcomeOf(fn, label) {
  try {
    return { ok: true, value: await within(Promise.resolve().then(fn), label) };
  } catch (error) {
    if (error instanceof AssertionError) throw error;
    return { ok: false, error };
  }
}

/** An exporter that forwards to `inner.export` and records whether it rejected. */
function spyExporter(inner) {
  const rejections = [];
  return {
    rejections,
    exporter: {
      export(items, signal) {
        const promise = Promise.resolve().then(() => inner.export(items, signal));
        promise.catch((error) => rejections.push(error));
        return promise;
      },
    },
  };
}

function fieldsDropped(exporter) {
  return exporter.stats?.().fieldsDropped;
}

// ---------------------------------------------------------------------------------------------
// Comparing bodies.

const decoder = new TextDecoder();
const text = (request) => decoder.decode(request.body);
const normaliseTimes = (body) => body.replace(/"(started_at|ended_at)":("[^"]*"|null)/g, '"$1":"<time>"');

/** edgetrace's documented difference: non-string trace metadata values become JSON strings. */
function flattenMetadata(body) {
  const parsed = JSON.parse(body);
  if (JSON.stringify(parsed) !== body) throw new AssertionError('the SDK body does not survive JSON.parse/JSON.stringify unchanged');
  for (const item of parsed.data) {
    if (item?.object === 'trace' && item.metadata && typeof item.metadata === 'object') {
      item.metadata = Object.fromEntries(Object.entries(item.metadata)
        .map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
    }
  }
  return JSON.stringify(parsed);
}

/** The JSON path of the first difference between two JSON texts (best effort). */
function differingPath(a, b) {
  let x;
  let y;
  try {
    x = JSON.parse(a);
    y = JSON.parse(b);
  } catch {
    return '(not both JSON)';
  }
  const walk = (p, q, path) => {
    if (p === q) return null;
    if (typeof p !== 'object' || typeof q !== 'object' || p === null || q === null || Array.isArray(p) !== Array.isArray(q)) return path;
    const pk = Object.keys(p);
    const qk = Object.keys(q);
    for (let i = 0; i < Math.max(pk.length, qk.length); i++) {
      if (pk[i] !== qk[i]) return `${path} (keys: SDK [${qk.slice(0, 8)}], edgetrace [${pk.slice(0, 8)}])`;
      const found = walk(p[pk[i]], q[pk[i]], Array.isArray(p) ? `${path}[${pk[i]}]` : `${path}.${pk[i]}`);
      if (found) return found;
    }
    return null;
  };
  return walk(x, y, '$') ?? '(equal as JSON: formatting differs)';
}

function bodyDiff(ours, expected) {
  let at = 0;
  while (at < ours.length && at < expected.length && ours.charCodeAt(at) === expected.charCodeAt(at)) at += 1;
  // Whole characters: a surrogate pair is not split at either end.
  const excerpt = (s) => JSON.stringify(Array.from(s.slice(Math.max(0, at - 61), at + 121)).slice(1, -1).join(''));
  return `bodies differ at offset ${at} of ${expected.length} (SDK) / ${ours.length} (edgetrace), at ${differingPath(ours, expected)}\n` +
    `      SDK:       ${excerpt(expected)}\n      edgetrace: ${excerpt(ours)}`;
}

const HEADERS = ['authorization', 'content-type', 'openai-beta'];

/**
 * Problems (strings) between edgetrace's requests and the SDK's reference. `expected` entries
 * are {authorization, body, headers}.
 */
function compareRequests(ours, expected, { byKey, transform = (s) => s, normalise }) {
  const problems = [];
  const prepare = (body) => (normalise ? normaliseTimes(body) : body);
  const mine = ours.map((r) => ({ authorization: r.headers.authorization, headers: r.headers, body: prepare(text(r)) }));
  const theirs = expected.map((r) => ({ ...r, body: prepare(transform(r.body)) }));
  if (mine.length !== theirs.length) {
    problems.push(`edgetrace made ${mine.length} request(s), the SDK ${theirs.length} (edgetrace: ${mine.map((r) => r.authorization)}; SDK: ${theirs.map((r) => r.authorization)})`);
  }
  if (byKey) {
    const order = (a, b) => (a.authorization < b.authorization ? -1 : a.authorization > b.authorization ? 1 : 0);
    mine.sort(order);
    theirs.sort(order);
  }
  for (let i = 0; i < Math.min(mine.length, theirs.length); i++) {
    for (const name of HEADERS) {
      if (mine[i].headers[name] !== theirs[i].headers[name]) {
        problems.push(`request ${i}: header ${name} is ${JSON.stringify(mine[i].headers[name])}, the SDK sends ${JSON.stringify(theirs[i].headers[name])}`);
      }
    }
    if (mine[i].body !== theirs[i].body) problems.push(`request ${i} (${theirs[i].authorization}): ${bodyDiff(mine[i].body, theirs[i].body)}`);
  }
  return problems;
}

const asReference = (requests) => requests.map((r) => ({ authorization: r.headers.authorization, headers: r.headers, body: text(r) }));

// ---------------------------------------------------------------------------------------------
// What the SDK does with a case, verified, and the bodies edgetrace must send.

class SdkSideError extends AssertionError {}

/** What the SDK logs when it sends nothing: a failed request (the body threw), a failed batch. */
const SDK_FAILURE_LOGS = ['[non-fatal] Tracing: request failed', 'Tracing exporter failed to export batch'];

/** Checks what the SDK did with the raw items of a case (the case's premise). */
function verifySdk(scenario, outcome, requests) {
  const fail = (message) => {
    throw new SdkSideError(`SDK side: ${message}`);
  };
  if (scenario.sdk === 'sends') {
    if (outcome && !outcome.ok) fail(`export() rejected: ${outcome.error?.message}`);
    if (requests.length === 0) fail('sent nothing');
    const bodies = requests.map((r) => JSON.parse(text(r)));
    try {
      scenario.sdkCheck?.(bodies, requests);
    } catch (error) {
      fail(error.message);
    }
  } else {
    // Its export() builds the body inside its retry loop: a throw there is logged as a failed
    // request and export() resolves; a throwing toJSON() (before the loop) rejects it.
    if (requests.length > 0) fail(`sent ${requests.length} request(s) (the case expects nothing)`);
    const logged = logLines.some((line) => SDK_FAILURE_LOGS.some((text) => line.includes(text)));
    if (!logged && !(outcome && !outcome.ok)) fail('neither rejected nor logged a failure');
  }
}

/** The SDK's bodies for a case: the raw items when it sends them, else the clean build's. */
async function referenceFor(scenario, seed, sdkRequests) {
  if (scenario.sdk === 'sends') return asReference(sdkRequests);
  const { sdk } = makeExporters(scenario.endpoint);
  const items = await sdkItems(scenario, seed, 'clean');
  drain();
  const outcome = await outcomeOf(() => sdk.export(items), 'the SDK export of the clean items');
  const { sdk: requests } = drain();
  if (!outcome.ok || requests.length === 0) throw new SdkSideError(`SDK side: the clean build was not sent (${outcome.error?.message})`);
  return asReference(requests);
}

// ---------------------------------------------------------------------------------------------
// The paths.

async function runDirect(scenario, seed) {
  const { sdk, ours, url } = makeExporters(scenario.endpoint);
  const items = await sdkItems(scenario, seed, 'raw');
  drain();
  drainFetchCalls();
  const sdkOutcome = await outcomeOf(() => sdk.export(items), 'the SDK export()');
  const { sdk: sdkRequests } = drain();
  verifySdk(scenario, sdkOutcome, sdkRequests);
  const before = fieldsDropped(ours) ?? 0;
  const ourOutcome = await outcomeOf(() => ours.export(items), 'edgetrace export()');
  const { edgetrace: ourRequests } = drain();
  const problems = [];
  if (!ourOutcome.ok) problems.push(`export() rejected: ${ourOutcome.error?.name}: ${ourOutcome.error?.message}`);
  return {
    problems, ours, before, url, ourRequests,
    reference: await referenceFor(scenario, seed, sdkRequests),
    normalise: scenario.sdk !== 'sends',
    countDrops: true,
  };
}

async function runSdkProcessor(scenario, seed) {
  const { sdk, ours, url } = makeExporters(scenario.endpoint);
  const spy = spyExporter(ours);
  const sdkProcessor = new core.BatchTraceProcessor(sdk, { scheduleDelay: 600_000 });
  const ourProcessor = new core.BatchTraceProcessor(spy.exporter, { scheduleDelay: 600_000 });
  core.setTraceProcessors([sdkProcessor, ourProcessor]);
  const before = fieldsDropped(ours) ?? 0;
  let sdkRequests;
  let ourRequests;
  logLines = [];
  drain();
  drainFetchCalls();
  try {
    await scenario.build(builder(core, idsFor(seed)), 'raw');
    await settle();
    await within(sdkProcessor.forceFlush(), 'the SDK processor forceFlush()');
    ({ sdk: sdkRequests } = drain());
    verifySdk(scenario, undefined, sdkRequests);
    await within(ourProcessor.forceFlush(), 'the SDK processor forceFlush() into edgetrace');
    ({ edgetrace: ourRequests } = drain());
  } finally {
    core.setTraceProcessors([]);
    await sdkProcessor.shutdown();
    await ourProcessor.shutdown();
  }
  const problems = spy.rejections.map((error) => `export() rejected: ${error?.name}: ${error?.message}`);
  return {
    problems, ours, before, url, ourRequests,
    reference: await referenceFor(scenario, seed, sdkRequests),
    normalise: scenario.sdk !== 'sends',
    countDrops: true,
  };
}

/** The SDK's verified bodies for agents-core items equal to a case's edgetrace items. */
async function referenceFromEqualItems(scenario, seed) {
  const { sdk } = makeExporters(scenario.endpoint);
  const items = await sdkItems(scenario, seed, 'raw');
  drain();
  const outcome = await outcomeOf(() => sdk.export(items), 'the SDK export()');
  const { sdk: requests } = drain();
  verifySdk(scenario, outcome, requests);
  return referenceFor(scenario, seed, requests);
}

async function runEdgetraceProcessor(scenario, seed, mode) {
  const reference = await referenceFromEqualItems(scenario, seed);
  const { ours, url } = makeExporters(scenario.endpoint);
  resetEdgetrace();
  const spy = spyExporter(ours);
  // et-export: the wrapper the issue describes (no ingest-rule marker of its own: edgetrace's
  // items reach export(items) as queued); et-body: the exporter itself (exportBody).
  const exporter = mode === 'et-export' ? { export(items) { return spy.exporter.export(items); } } : ours;
  const processor = new et.BatchTraceProcessor(exporter);
  et.setTraceProcessors([processor]);
  let ourRequests;
  drain();
  drainFetchCalls();
  try {
    // (A scheduled export during the build would be in the same drain as the flush.)
    await scenario.build(builder(et, idsFor(seed)), 'raw');
    await within(processor.forceFlush(), 'edgetrace forceFlush()');
    ({ edgetrace: ourRequests } = drain());
  } finally {
    et.setTraceProcessors([]);
    await processor.shutdown();
  }
  const problems = spy.rejections.map((error) => `export() rejected: ${error?.name}: ${error?.message}`);
  const stats = processor.stats();
  if (stats.failed > 0 || stats.dropped > 0) problems.push(`processor stats: ${JSON.stringify(stats)}`);
  return { problems, ours, before: 0, url, ourRequests, reference, normalise: true, countDrops: false };
}

const RUNNERS = {
  direct: runDirect,
  'sdk-processor': runSdkProcessor,
  'et-export': (scenario, seed) => runEdgetraceProcessor(scenario, seed, 'et-export'),
  'et-body': (scenario, seed) => runEdgetraceProcessor(scenario, seed, 'et-body'),
};

/** The SDK's fetch calls (their body type is reported: a string). */
const sdkFetchTypes = [];

/** Body types edgetrace's custom fetch received, per path (the summary test reads them). */
const bodyTypesByPath = Object.fromEntries(PATHS.map((path) => [path, new Set()]));

async function checkCase(scenario, path, seed) {
  logLines = [];
  captureLogs();
  let result;
  try {
    result = await RUNNERS[path](scenario, seed);
  } finally {
    restoreLogs();
  }
  const { problems, ours, before, url, ourRequests, reference, normalise, countDrops } = result;
  const allCalls = drainFetchCalls();
  sdkFetchTypes.push(...allCalls.filter((c) => c.client === 'sdk'));
  const calls = allCalls.filter((c) => c.client === 'edgetrace');
  for (const call of calls) {
    bodyTypesByPath[path].add(call.bodyType);
    if (!call.isUint8Array) problems.push(`the custom fetch received a ${call.bodyType} body, not a Uint8Array`);
    if (call.url !== url) problems.push(`edgetrace fetched ${call.url}, not ${url}`);
  }
  problems.push(...compareRequests(ourRequests, reference, {
    byKey: path.startsWith('et-'), transform: scenario.transformExpected, normalise,
  }));
  if (scenario.sdk !== 'sends' && countDrops) {
    const after = fieldsDropped(ours);
    if (after === undefined) {
      problems.push(`exporter.stats().fieldsDropped is missing (expected ${scenario.dropped} dropped field(s) counted; stats: ${JSON.stringify(ours.stats?.())})`);
    } else if (after - before !== scenario.dropped) {
      problems.push(`exporter.stats().fieldsDropped grew by ${after - before}, expected ${scenario.dropped}`);
    }
  }
  if (problems.length > 0) {
    const logs = logLines.length ? `\n  logs:\n    ${logLines.slice(0, 6).join('\n    ')}` : '';
    throw new AssertionError(`edgetrace side:\n  - ${problems.join('\n  - ')}${logs}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The cases. `build(b, variant)` makes a case's items with the builder `b` (agents-core or
// edgetrace); `variant` is 'raw', or 'clean' for the SDK's reference of a case it cannot send
// (the offending fields left out, as edgetrace must leave them out). `sdk`: 'sends' or 'nothing'
// (it logs a failure and sends nothing); `dropped`: the fields edgetrace drops then;
// `sdkCheck(bodies)`: what the SDK must have done for the case to test its rule.

const repeat = (s, length) => s.repeat(Math.ceil(length / s.length)).slice(0, length);
const jsonBytes = (value) => Buffer.byteLength(JSON.stringify(value));
function nest(depth, leaf) {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}
const spansOf = (bodies) => bodies.flatMap((b) => b.data).filter((i) => i.object === 'trace.span');
const check = (ok, message) => {
  if (!ok) throw new Error(message);
};
const throwingGetter = (target, key) => Object.defineProperty(target, key, {
  enumerable: true, configurable: true, get() { throw new Error(`getter ${key} throws`); },
});

const bigMessages = (count, size) => Array.from({ length: count }, (_, i) => ({
  role: i % 2 ? 'assistant' : 'user',
  content: [{ type: i % 2 ? 'output_text' : 'input_text', text: repeat(`message ${i}: héllo wörld 漢字 😀 `, size) }],
}));

function reasoningData() {
  return {
    input: [
      { role: 'user', content: 'What is 6 x 7?' },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: repeat('thinking about it ', 150 * KB) }] },
      {
        role: 'assistant', reasoning: 'hidden chain',
        content: [{ type: 'reasoning', text: 'step' }, { type: 'output_text', text: '42' }, { type: 'text', text: 'forty-two', reasoning: 'hidden part' }],
      },
    ],
    output: [
      { object: 'chat.completion', id: 'chatcmpl-1', choices: [{ index: 0, message: { role: 'assistant', content: '42', reasoning: 'hidden choice' } }, { index: 1 }] },
      { type: 'reasoning', id: 'rs_2', summary: [] },
      { role: 'assistant', content: [{ type: 'refusal', refusal: 'no', reasoning: 'hidden refusal' }] },
    ],
  };
}

async function reasoningBuild(b) {
  const t = await b.trace();
  b.span('Generation', t, { model: 'gpt-test', model_config: { temperature: 0 } }, (d) => Object.assign(d, reasoningData()));
  await b.end(t);
}

export const CASES = [
  {
    name: 'control: plain items (no rule applies)',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace({ groupId: 'group_0123456789abcdef01234567', metadata: { user: 'u-1', plan: 'pro' } });
      const agent = b.open('Agent', t, { name: 'Triage', handoffs: ['Billing'], tools: ['lookup'], output_type: 'text' });
      b.span('Function', agent, { name: 'lookup', input: '{"order":42}', output: 'ships Friday' });
      b.span('Generation', agent, { model: 'gpt-test', input: [{ role: 'user', content: 'hi' }], output: [{ role: 'assistant', content: 'hello' }], usage: { input_tokens: 3, output_tokens: 5 } });
      b.span('Custom', agent, { name: 'note', data: { a: 1, b: [true, null, 'x'] } }, (_, s) => s.setError({ message: 'soft failure', data: { code: 7 } }));
      b.close(agent);
      await b.end(t);
    },
  },
  {
    name: 'span input / output strings over 100 KB',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace();
      b.span('Function', t, { name: 'big', input: repeat('in: "quoted"\n\t é 漢 😀 ', 150 * KB), output: repeat('out ', 120 * KB) });
      b.span('Generation', t, { model: 'm' }, (d) => {
        d.input = repeat('g', 100_100);
        d.output = repeat('o', 99_990);
      });
      await b.end(t);
    },
    sdkCheck(bodies) {
      const [fn, gen] = spansOf(bodies);
      check(fn.span_data.input.endsWith('... [truncated]') && jsonBytes(fn.span_data.input) <= FIELD_LIMIT, 'function input not truncated');
      check(fn.span_data.output.endsWith('... [truncated]'), 'function output not truncated');
      check(gen.span_data.input.endsWith('... [truncated]') && gen.span_data.output.length === 99_990, 'generation fields not cut as expected');
    },
  },
  {
    name: 'object input over 100 KB (nested messages)',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace();
      b.span('Generation', t, { model: 'm' }, (d) => {
        d.input = bigMessages(12, 12 * KB);
        d.output = { messages: bigMessages(3, 50 * KB), meta: { finish: 'stop', ids: [1, 2, 3] } };
      });
      await b.end(t);
    },
    sdkCheck(bodies) {
      const [gen] = spansOf(bodies);
      check(jsonBytes(gen.span_data.input) <= FIELD_LIMIT && gen.span_data.input.length === 7, 'input not cut to the limit');
      check(jsonBytes(gen.span_data.output) <= FIELD_LIMIT && gen.span_data.output.meta, 'output not cut to the limit');
    },
  },
  {
    name: 'generation reasoning, official endpoint (removed before the limit)',
    endpoint: 'official',
    sdk: 'sends',
    build: reasoningBuild,
    sdkCheck(bodies) {
      const body = JSON.stringify(bodies);
      check(!body.includes('rs_1') && !body.includes('rs_2') && !body.includes('hidden'), 'reasoning was sent');
      check(!body.includes('[truncated]') && body.includes('forty-two'), 'the rest was cut or lost');
    },
  },
  {
    name: 'generation reasoning, custom endpoint (kept)',
    endpoint: 'custom',
    sdk: 'sends',
    build: reasoningBuild,
    sdkCheck(bodies) {
      const body = JSON.stringify(bodies);
      check(body.includes('rs_1') && body.includes('hidden chain') && body.includes('hidden choice'), 'reasoning was removed');
      check(body.includes('... [truncated]'), 'the oversized reasoning input was not cut');
    },
  },
  {
    name: 'generation usage with extra keys (reshaped)',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace();
      b.span('Generation', t, { model: 'm', usage: { total_tokens: 8, input_tokens: 3, output_tokens: 5, input_tokens_details: { cached_tokens: 1 }, output_tokens_details: { reasoning_tokens: 2 }, requests: 1 } });
      b.span('Generation', t, { model: 'm', usage: { details: { cached: 1, total_tokens: 0 }, output_tokens: 5, extra: 'x', input_tokens: 3 } });
      await b.end(t);
    },
    sdkCheck(bodies) {
      for (const span of spansOf(bodies)) check(JSON.stringify(Object.keys(span.span_data.usage)) === '["input_tokens","output_tokens","details"]', 'usage not reshaped');
    },
  },
  {
    name: 'generation usage with non-finite token counts (dropped)',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace();
      b.span('Generation', t, { model: 'm' }, (d) => { d.usage = { input_tokens: Infinity, output_tokens: 5 }; });
      b.span('Generation', t, { model: 'm' }, (d) => { d.usage = { input_tokens: 3, output_tokens: NaN, total_tokens: 3 }; });
      b.span('Generation', t, { model: 'm', usage: { input_tokens: '3', output_tokens: 5 } });
      await b.end(t);
    },
    sdkCheck(bodies) {
      for (const span of spansOf(bodies)) check(!('usage' in span.span_data), 'usage kept');
    },
  },
  {
    name: 'non-string trace metadata (flattened: the documented difference)',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace({ metadata: { user: 'u-1', turn: 3, ratio: 0.5, beta: true, flags: { a: true, b: [1, 'x'] }, tags: ['a', 'b'], none: null } });
      b.span('Function', t, { name: 'f', input: 'i', output: 'o' });
      await b.end(t);
    },
    transformExpected: flattenMetadata,
    sdkCheck(bodies) {
      check(bodies[0].data[0].metadata.turn === 3, 'the SDK flattened metadata itself');
    },
  },
  {
    name: 'BigInt inside a generation input (SDK sanitizes)',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace();
      b.span('Generation', t, { model: 'm' }, (d) => {
        d.input = [{ role: 'user', content: 'hi', tokens: 12n }, { role: 'user', content: 'there', nested: { n: 1n, keep: 'k' } }, 7n];
        d.output = [{ role: 'assistant', content: 'ok' }];
      });
      await b.end(t);
    },
    sdkCheck(bodies) {
      const [gen] = spansOf(bodies);
      check(JSON.stringify(gen.span_data.input) === '[{"role":"user","content":"hi"},{"role":"user","content":"there","nested":{"keep":"k"}},null]', `input ${JSON.stringify(gen.span_data.input)}`);
    },
  },
  {
    name: 'input nested deeper than 1000 levels (SDK previews it over the limit)',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace();
      b.span('Generation', t, { model: 'm' }, (d) => {
        d.input = nest(1200, repeat('x', 110 * KB));
        d.output = nest(1200, 'small');
      });
      await b.end(t);
    },
    sdkCheck(bodies) {
      const [gen] = spansOf(bodies);
      check(JSON.stringify(gen.span_data.input) === '{"truncated":true,"original_type":"Array","preview":"<Array len=1 truncated>"}', 'no preview');
      check(JSON.stringify(gen.span_data.output).length === 2 * 1200 + 7, 'the small deep output was changed');
    },
  },
  {
    name: 'input nested 100,000 levels deep (JSON.stringify overflows the stack)',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace();
      b.span('Generation', t, { model: 'm' }, (d) => {
        d.input = nest(100_000, 'x');
        d.output = 'fine';
      });
      await b.end(t);
    },
    sdkCheck(bodies) {
      const [gen] = spansOf(bodies);
      check(JSON.stringify(gen.span_data.input) === '{"truncated":true,"original_type":"Array","preview":"<Array len=1 truncated>"}', 'no preview');
    },
  },
  {
    name: 'NaN inside an oversized input object',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace();
      b.span('Generation', t, { model: 'm' }, (d) => {
        d.input = { messages: bigMessages(12, 12 * KB), score: NaN, weights: [1, NaN, Infinity, 2], ok: true };
        d.output = { score: NaN, small: true };
      });
      await b.end(t);
    },
    sdkCheck(bodies) {
      const [gen] = spansOf(bodies);
      check(!('score' in gen.span_data.input) && JSON.stringify(gen.span_data.input.weights) === '[1,null,null,2]', 'non-finite numbers not sanitized');
      check(JSON.stringify(gen.span_data.output) === '{"score":null,"small":true}', 'small output changed');
    },
  },
  {
    name: 'a throwing getter in input and a throwing toJSON() in output (SDK previews each field)',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace();
      b.span('Generation', t, { model: 'm' }, (d) => {
        d.input = [throwingGetter({ role: 'user' }, 'content')];
        d.output = [{ role: 'assistant', content: { toJSON() { throw new Error('toJSON throws'); } } }];
      });
      await b.end(t);
    },
    sdkCheck(bodies) {
      const [gen] = spansOf(bodies);
      const preview = '{"truncated":true,"original_type":"Array","preview":"<Array len=1 truncated>"}';
      check(JSON.stringify(gen.span_data.input) === preview && JSON.stringify(gen.span_data.output) === preview, 'no previews');
    },
  },
  {
    // The SDK's own test "caps preview metadata when the constructor name is extremely long".
    name: 'an output whose toJSON() throws and whose constructor name is longer than the field limit (SDK caps the preview metadata)',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const t = await b.trace();
      b.span('Function', t, { name: 'tool', input: 'a' }, (d) => {
        const longTypeName = `Type${'x'.repeat(100_000)}`;
        const output = {};
        Object.defineProperty(output, 'constructor', { get() { return { name: longTypeName }; } });
        Object.defineProperty(output, 'toJSON', { get() { throw new Error('toJSON access failed'); } });
        Object.defineProperty(output, 'payload', { enumerable: true, get() { throw new Error('payload access failed'); } });
        d.output = output;
      });
      await b.end(t);
    },
    sdkCheck(bodies) {
      const [fn] = spansOf(bodies);
      const output = fn.span_data.output;
      check(output?.truncated === true && output.original_type.endsWith('... [truncated]'), 'type name not cut');
      check(typeof output.preview === 'string', 'no preview string');
      check(new TextEncoder().encode(JSON.stringify(output)).length <= 100_000, 'over the field limit');
    },
  },
  {
    name: 'BigInt in custom span data outside input/output (SDK sends nothing)',
    endpoint: 'official',
    sdk: 'nothing',
    dropped: 1,
    async build(b, variant) {
      const t = await b.trace();
      b.span('Function', t, { name: 'before', input: 'a', output: 'b' });
      b.span('Custom', t, { name: 'metrics', data: {} }, (d) => {
        if (variant === 'clean') delete d.data;
        else d.data = { count: 10n ** 20n, label: 'x' };
      });
      b.span('Function', t, { name: 'after', input: 'c', output: 'd' });
      await b.end(t);
    },
  },
  {
    name: 'BigInt in span error data (SDK sends nothing)',
    endpoint: 'official',
    sdk: 'nothing',
    dropped: 1,
    async build(b, variant) {
      const t = await b.trace();
      b.span('Function', t, { name: 'tool', input: 'a', output: '' }, (_, s) => {
        s.setError(variant === 'clean' ? { message: 'tool failed' } : { message: 'tool failed', data: { code: 500n, where: 'lookup' } });
      });
      await b.end(t);
    },
  },
  {
    name: 'span data nested 100,000 levels deep outside input/output (SDK sends nothing)',
    endpoint: 'official',
    sdk: 'nothing',
    dropped: 1,
    async build(b, variant) {
      const t = await b.trace();
      b.span('Custom', t, { name: 'deep', data: {} }, (d) => {
        if (variant === 'clean') delete d.data;
        else d.data = { tree: nest(100_000, 'leaf') };
      });
      await b.end(t);
    },
  },
  {
    name: 'a value whose toJSON() throws in custom span data (SDK sends nothing)',
    endpoint: 'official',
    sdk: 'nothing',
    dropped: 1,
    async build(b, variant) {
      const t = await b.trace();
      b.span('Custom', t, { name: 'when', data: {} }, (d) => {
        if (variant === 'clean') delete d.data;
        else d.data = { at: { toJSON() { throw new Error('toJSON throws'); } }, label: 'x' };
      });
      await b.end(t);
    },
  },
  {
    name: 'span data with a throwing getter (SDK sends nothing)',
    endpoint: 'official',
    sdk: 'nothing',
    dropped: 1,
    async build(b, variant) {
      const t = await b.trace();
      b.span('Custom', t, { name: 'getter', data: {} }, (d) => {
        if (variant === 'clean') delete d.data;
        else d.data = throwingGetter({ label: 'x' }, 'secret');
      });
      await b.end(t);
    },
  },
  {
    // agents-core's Span.toJSON() reads span data's own keys: a throwing getter there makes the
    // item's toJSON() throw. Only agents-core items (edgetrace's never throw from toJSON()).
    name: "an item whose toJSON() throws (SDK rejects the whole batch; edgetrace sends it without the field that throws)",
    endpoint: 'official',
    sdk: 'nothing',
    dropped: 1,
    paths: ['direct', 'sdk-processor'],
    async build(b, variant) {
      const t = await b.trace();
      b.span('Function', t, { name: 'before', input: 'a', output: 'b' });
      // edgetrace sends the item built from its fields, without the one that throws.
      b.span('Function', t, { name: 'broken', input: 'x', output: 'y' }, (d) => {
        if (variant === 'clean') delete d.output;
        else throwingGetter(d, 'output');
      });
      b.span('Function', t, { name: 'after', input: 'c', output: 'd' });
      await b.end(t);
    },
  },
  {
    name: 'traces with their own tracingApiKey (one request per key)',
    endpoint: 'official',
    sdk: 'sends',
    async build(b) {
      const a = await b.trace({ name: 'tenant a', tracingApiKey: 'sk-tenant-a' });
      const d = await b.trace({ name: 'default key' });
      b.span('Function', a, { name: 'a1', input: 'x', output: 'y' });
      const c = await b.trace({ name: 'tenant c', tracingApiKey: 'sk-tenant-c' });
      b.span('Function', d, { name: 'd1', input: 'x', output: 'y' });
      b.span('Function', c, { name: 'c1', input: 'x', output: 'y' });
      b.span('Function', a, { name: 'a2', input: 'x', output: 'y' });
      await b.end(a);
      await b.end(d);
      await b.end(c);
    },
    sdkCheck(bodies, requests) {
      check(JSON.stringify(requests.map((r) => r.headers.authorization)) === '["Bearer sk-tenant-a","Bearer sk-parity-default","Bearer sk-tenant-c"]', 'requests per key');
      check(JSON.stringify(bodies.map((b) => b.data.length)) === '[3,2,2]', 'items per key');
    },
  },
];

// ---------------------------------------------------------------------------------------------

export function registerSdkParity(test) {
  CASES.forEach((scenario, index) => {
    for (const path of scenario.paths ?? PATHS) {
      test(`${scenario.name} › ${path}`, () => checkCase(scenario, path, index + 1));
    }
  });
  test('the custom fetch receives a Uint8Array body in every path', () => {
    const seen = Object.entries(bodyTypesByPath).map(([path, types]) => `${path}: ${[...types].join(', ') || 'no request'}`);
    const ok = Object.values(bodyTypesByPath).every((types) => types.size === 1 && types.has('Uint8Array'));
    if (!ok) throw new AssertionError(`body types seen by the custom fetch: ${seen.join('; ')}`);
  });
}

/** One line per case: how each path fared. */
function summary(failures, filter) {
  const lines = [];
  for (const scenario of CASES) {
    const paths = (scenario.paths ?? PATHS).filter((path) => !filter || `${scenario.name} › ${path}`.includes(filter));
    if (paths.length === 0) continue;
    const marks = paths.map((path) => `${path} ${failures.includes(`${scenario.name} › ${path}`) ? 'FAIL' : 'ok'}`);
    lines.push(`  ${scenario.name}: ${marks.join(', ')}`);
  }
  const sdkTypes = [...new Set(fetchCalls.concat(sdkFetchTypes).map((c) => c.bodyType))];
  lines.push(`  body types: the SDK's fetch got ${sdkTypes.join(', ') || 'nothing'}; edgetrace's custom fetch got ${
    PATHS.map((path) => `${path}: ${[...bodyTypesByPath[path]].join(', ') || '-'}`).join('; ')}`);
  return lines.join('\n');
}

const suite = createSuite();
registerSdkParity(suite.test);
globalThis.fetch = redirectingFetch('sdk');
let result;
try {
  result = await suite.run({ filter: process.argv[2] });
} finally {
  globalThis.fetch = realFetch;
  restoreLogs();
  await server.close();
}
console.log(`sdk-parity, per case:\n${summary(result.failures, process.argv[2])}`);
console.log(`sdk-parity: ${result.passed} passed, ${result.failed} failed`);
process.exitCode = result.failed === 0 ? 0 : 1;
