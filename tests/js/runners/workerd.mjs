// Runs the conformance suite inside workerd (the Cloudflare Workers runtime) through miniflare,
// against the npm-packed package in target/fixtures/workerd (run `node tests/js/pack.mjs` first).
// Two configurations, each a fresh Miniflare: no compatibility flags (no AsyncLocalStorage: the
// explicit-parent variant) and nodejs_compat (AsyncLocalStorage through process.getBuiltinModule).
// Prints "workerd: N passed, M failed" and "workerd-nodejs-compat: N passed, M failed", failure
// details above each; exits non-zero on any failure. Each configuration also checks that the
// package imports at a Worker's global scope (tests/js/workerd/global-scope.mjs) and that trace
// stores write to real KV and R2 bindings (tests/js/workerd/store.mjs), counted in no line but
// failing the run if broken.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { bundleWorker } from './workerd-bundle.mjs';
import { Miniflare } from 'miniflare';
import { withTimeout } from './timeout.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const workersDir = path.join(root, 'tests/js/workerd');

// One date for both configurations, so the flag is the only difference. nodejs_compat puts
// `process` (and so process.getBuiltinModule, where the package finds AsyncLocalStorage) on the
// global scope from 2024-09-23; this date is within what the pinned workerd supports.
const COMPATIBILITY_DATE = '2026-07-01';
const CONFIGS = [
  { label: 'workerd', flags: [], asyncContext: false },
  { label: 'workerd-nodejs-compat', flags: ['nodejs_compat'], asyncContext: true },
];
const STEP_TIMEOUT_MS = 60_000;

/** GET / on the named Worker, as JSON (miniflare rethrows what the Worker throws). */
async function fetchJson(mf, worker) {
  const response = await withTimeout((await mf.getWorker(worker)).fetch('http://localhost/'), STEP_TIMEOUT_MS, worker);
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}\n${text}`);
  return JSON.parse(text);
}

/**
 * The global-scope Worker: throws unless the id asked for at global scope failed with
 * edgetrace's Error, and a processor saw the handler's trace whole, with valid ids.
 */
async function checkGlobalScope(mf) {
  const { globalScopeError, events } = await fetchJson(mf, 'global-scope');
  const names = events.map(([event]) => event).join(',');
  const [trace, span] = [events[0]?.[1], events[2]?.[1]];
  const problems = [];
  if (globalScopeError?.name !== 'Error' || !/random values are not available here/.test(globalScopeError?.message)) {
    problems.push(`an id at global scope gave ${JSON.stringify(globalScopeError)}, not edgetrace's Error`);
  }
  if (names !== 'traceStart,spanStart,spanEnd,traceEnd') problems.push(`events ${names}`);
  if (!/^trace_[0-9a-f]{32}$/.test(trace?.id)) problems.push(`trace id ${trace?.id}`);
  if (!/^span_[0-9a-f]{24}$/.test(span?.id)) problems.push(`span id ${span?.id}`);
  if (span?.trace_id !== trace?.id) problems.push(`span trace_id ${span?.trace_id}`);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

/**
 * The store Worker: each of its two traces was written to the real KV namespace and R2 bucket
 * miniflare gives it, as JSONL (the trace item, then the span), once.
 */
async function checkStore(mf) {
  const { ids, fromKv, fromR2, listed, exported, kv, r2 } = await fetchJson(mf, 'store');
  const problems = [];
  if (ids.length !== 2 || exported !== 4) problems.push(`${ids.length} traces, ${exported} items exported`);
  for (const [where, texts] of [['KV', fromKv], ['R2', fromR2]]) {
    texts.forEach((text, i) => {
      const lines = text?.trimEnd().split('\n').map((line) => JSON.parse(line)) ?? [];
      const ok = lines.length === 2 && lines[0].object === 'trace' && lines[0].id === ids[i] && lines[1].trace_id === ids[i];
      if (!ok) problems.push(`${where} holds ${JSON.stringify(text)} for ${ids[i]}`);
    });
  }
  if (JSON.stringify(listed) !== JSON.stringify(ids.map((id) => `t/${id}`).sort())) problems.push(`KV keys ${listed}`);
  for (const stats of [kv, r2]) if (stats.sinkDelivered !== 2 || stats.sinkFailed !== 0) problems.push(`stats ${JSON.stringify(stats)}`);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

const describeError = (error) => error?.stack ?? String(error);

/** Runs one configuration in a fresh Miniflare; prints its line; resolves to whether all passed. */
async function runConfig({ label, flags, asyncContext }, modules) {
  const worker = (name) => ({ name, modules: modules[name], compatibilityDate: COMPATIBILITY_DATE, compatibilityFlags: flags });
  const store = { ...worker('store'), kvNamespaces: ['TRACES'], r2Buckets: ['BUCKET'] };
  const mf = new Miniflare({ host: '127.0.0.1', workers: [worker('suite'), worker('suite-chain'), worker('global-scope'), store] });
  let ok = true;
  const fail = (message) => { ok = false; console.log(`FAIL ${label}: ${message}`); };
  try {
    // Rejects if a Worker's global scope throws (e.g. a disallowed operation while importing).
    await withTimeout(mf.ready, STEP_TIMEOUT_MS, 'start');

    await checkGlobalScope(mf).catch((error) => fail(`package imported at global scope, one trace: ${describeError(error)}`));
    await checkStore(mf).catch((error) => fail(`trace store sinks to KV and R2: ${describeError(error)}`));

    for (const [suite, suffix] of [['suite', ''], ['suite-chain', ' (chain module)']]) {
      const result = await fetchJson(mf, suite);
      for (const line of result.log) console.log(line);
      const presence = (has) => (has ? 'present' : 'absent');
      if (result.asyncContext !== asyncContext) fail(`AsyncLocalStorage ${presence(result.asyncContext)}, expected ${presence(asyncContext)}`);
      if (result.failed > 0) ok = false;
      console.log(`${label}${suffix}: ${result.passed} passed, ${result.failed} failed`);
    }
  } catch (error) {
    fail(describeError(error));
    console.log(`${label}: did not run`);
  } finally {
    // dispose() also rethrows a failed start, already reported: report only new errors.
    const wasOk = ok;
    await withTimeout(mf.dispose(), STEP_TIMEOUT_MS, 'dispose').catch((error) => {
      if (wasOk) fail(`dispose: ${describeError(error)}`);
    });
  }
  return ok;
}

const modules = {
  suite: await bundleWorker(path.join(workersDir, 'suite.mjs')),
  'suite-chain': await bundleWorker(path.join(workersDir, 'suite-chain.mjs')),
  'global-scope': await bundleWorker(path.join(workersDir, 'global-scope.mjs')),
  store: await bundleWorker(path.join(workersDir, 'store.mjs')),
};
let allOk = true;
for (const config of CONFIGS) allOk = (await runConfig(config, modules)) && allOk;
process.exit(allOk ? 0 : 1);
