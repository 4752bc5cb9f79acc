// Node-only checks: environment switches and require() in child processes, and parity of the
// exported JSON with @openai/agents-core itself for the same calls.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import * as core from '@openai/agents-core';
import { useBatch, reset } from './suite/helpers.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `source` (ESM unless `.cjs`) in a fresh node; returns its stdout. */
function runChild(source, env = {}, { commonjs = false } = {}) {
  const args = commonjs ? ['-e', source] : ['--input-type=module', '-e', source];
  return execFileSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
}

const PROBE = `
import * as et from 'edgetrace';
const out = [];
et.setTraceProcessors([new et.BatchTraceProcessor({ export(items) { for (const i of items) out.push(i.toJSON()); } })]);
await et.withTrace('t', async () => et.withFunctionSpan(async () => {}, { data: { name: 'f', input: 'secret' } }));
await et.forceFlush();
console.log(JSON.stringify(out));`;

/**
 * Names of the function exports of a wasm module whose type has more than one result: V8
 * (Node 20, Deno) compiles a wrapper for each such signature when the module is compiled.
 */
function multiValueExports(bytes) {
  let at = 8;
  const u32 = () => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    throw new Error(`bad LEB128 number at byte ${at}`);
  };
  const name = () => {
    const length = u32();
    at += length;
    return bytes.subarray(at - length, at).toString();
  };
  const results = [];
  const funcResults = [];
  const names = [];
  while (at < bytes.length) {
    const id = bytes[at++];
    const end = u32() + at;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        at++;
        const params = u32();
        at += params;
        const count = u32();
        at += count;
        results.push(count);
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name();
        name();
        const kind = bytes[at++];
        if (kind !== 0) throw new Error('only function imports are expected');
        funcResults.push(results[u32()]);
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) funcResults.push(results[u32()]);
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const exported = name();
        const kind = bytes[at++];
        const index = u32();
        if (kind === 0 && funcResults[index] > 1) names.push(exported);
      }
    }
    at = end;
  }
  return names;
}

/** The same calls through agents-core and edgetrace: [name, (lib) => make and end spans]. */
const PARITY_CASES = [
  ['agent', (lib) => lib.createAgentSpan({ data: { name: 'A', tools: ['t'], output_type: 'text' } })],
  ['agent default', (lib) => lib.createAgentSpan()],
  ['function', (lib) => lib.createFunctionSpan({ data: { name: 'f', input: '{"a":1}' } })],
  ['function mcp', (lib) => lib.createFunctionSpan({ data: { output: 'o', name: 'f', mcp_data: { x: [1] } } })],
  ['generation', (lib) => lib.createGenerationSpan({ data: { model: 'm', model_config: { t: 0.5 }, input: [{ role: 'user' }], usage: { input_tokens: 1 } } })],
  ['handoff', (lib) => lib.createHandoffSpan({ data: { from_agent: 'a', to_agent: 'b' } })],
  ['guardrail', (lib) => lib.createGuardrailSpan({ data: { name: 'g', triggered: true } })],
  ['custom', (lib) => lib.createCustomSpan({ data: { name: 'c', data: { nested: { deep: [1, 2, { x: null }] } } } })],
  ['custom default', (lib) => lib.createCustomSpan({ data: { name: 'c' } })],
  ['mcp_tools', (lib) => lib.createMCPListToolsSpan({ data: { server: 's', result: ['a'] } })],
  ['transcription', (lib) => lib.createTranscriptionSpan({ data: { input: { data: 'AA', format: 'pcm' }, model: 'w' } })],
  ['speech', (lib) => lib.createSpeechSpan({ data: { output: { data: 'AA', format: 'pcm' }, input: 'hi' } })],
  ['speech_group', (lib) => lib.createSpeechGroupSpan({ data: { input: 'hi' } })],
  ['task', (lib) => lib.createTaskSpan({ data: { name: 'T', usage: { requests: 1 } } })],
  ['turn', (lib) => lib.createTurnSpan({ data: { turn: 3, agent_name: 'A', usage: { input_tokens: 2 } } })],
];

const BUN = `${root}node_modules/@oven/bun-linux-x64/bin/bun`;
const DENO = `${root}node_modules/.bin/deno`;
const fixture = (name) => `${root}target/fixtures/${name}`;

/** Runs `record(lib)` as a trace in agents-core with its OpenAI exporter, or in edgetrace with its own. */
async function sendThrough(lib, exporter, record) {
  lib.setTraceProcessors([new lib.BatchTraceProcessor(exporter)]);
  lib.setTracingDisabled(false);
  await lib.withTrace('Payload parity', record, { groupId: 'conversation-1', metadata: { user: 'u1', tier: 'pro' }, traceId: 'trace_' + 'ab'.repeat(16) });
  await lib.getGlobalTraceProvider().forceFlush();
}

/** The same agent run, written once against the shared API. */
async function agentRun(lib) {
  await lib.withAgentSpan(async () => {
    await lib.withGenerationSpan(async (span) => {
      span.spanData.output = [{ role: 'assistant', content: 'calling a tool' }];
      span.spanData.usage = { input_tokens: 12, output_tokens: 4, total_tokens: 16 };
    }, { data: { model: 'gpt-5', input: [{ role: 'user', content: 'hi' }], model_config: { temperature: 0.2 } } });
    await lib.withFunctionSpan(async (span) => { span.spanData.output = 'sunny'; }, { data: { name: 'weather', input: '{"city":"Paris"}' } });
    await lib.withFunctionSpan(async () => { throw Object.assign(new Error('tool broke'), { data: { code: 7 } }); }, { data: { name: 'broken', input: 'x'.repeat(120_000) } }).catch(() => {});
    await lib.withHandoffSpan(async () => {}, { data: { from_agent: 'A', to_agent: 'B' } });
    await lib.withGuardrailSpan(async () => {}, { data: { name: 'safety', triggered: false } });
    await lib.withCustomSpan(async () => {}, { data: { name: 'note', data: { n: 1, nested: [true, null] } } });
  }, { data: { name: 'A', tools: ['weather', 'broken'], handoffs: ['B'], output_type: 'text' } });
}

/** Runs `fn` with globalThis.fetch answering 200 and recording each request's body. */
async function withCapturedFetch(fn) {
  const original = globalThis.fetch;
  const bodies = [];
  globalThis.fetch = async (url, init) => {
    bodies.push({ url: String(url), body: new TextDecoder().decode(init.body instanceof Uint8Array ? init.body : new TextEncoder().encode(init.body)) });
    return new Response('{}', { status: 200 });
  };
  try {
    await fn();
  } finally {
    globalThis.fetch = original;
  }
  return bodies;
}

/** A generation whose input and output carry reasoning in every form the SDK removes. */
async function reasoningRun(lib) {
  await lib.withGenerationSpan(async () => {}, {
    data: {
      model: 'gpt-5',
      input: [
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { role: 'assistant', reasoning: 'thoughts', content: [{ type: 'reasoning', text: 'r' }, { type: 'text', text: 'hi', reasoning: 'r' }] },
        { role: 'user', content: 'question', reasoning: 'kept: not an assistant' },
      ],
      output: [{ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', reasoning: 'r', content: 'answer' } }] }],
    },
  });
}

export function registerNodeOnly(test, et, assert) {
  test('node: for the official endpoint, reasoning is removed exactly as @openai/agents-openai removes it', async () => {
    const { OpenAITracingExporter: SdkExporter } = await import('@openai/agents-openai');
    const sdk = await withCapturedFetch(() => sendThrough(core, new SdkExporter({ apiKey: 'sk' }), () => reasoningRun(core)));
    reset(et);
    const ours = await withCapturedFetch(() => sendThrough(et, new et.OpenAITracingExporter({ apiKey: 'sk' }), () => reasoningRun(et)));
    assert.equal(ours[0].url, 'https://api.openai.com/v1/traces/ingest');
    const spanData = (captured) => JSON.parse(captured[0].body).data[1].span_data;
    assert.equal(JSON.stringify(spanData(ours)), JSON.stringify(spanData(sdk)));
    assert.ok(!ours[0].body.includes('thoughts'), 'no reasoning in the request');
  });

  test('node: the ingest payload is, field for field, what @openai/agents-openai sends for the same run', async () => {
    const { OpenAITracingExporter: SdkExporter } = await import('@openai/agents-openai');
    const { startFaultServer } = await import('./export/fault-server.mjs');
    const server = await startFaultServer();
    try {
      const endpoint = (id) => `${server.url}/fault/200/${id}`;
      await sendThrough(core, new SdkExporter({ apiKey: 'sk-parity', endpoint: endpoint('sdk') }), () => agentRun(core));
      reset(et);
      await sendThrough(et, new et.OpenAITracingExporter({ apiKey: 'sk-parity', endpoint: endpoint('edgetrace') }), () => agentRun(et));
      const bodyOf = async (id) => {
        const [request] = await (await fetch(`${server.url}/received/${id}`)).json();
        return { headers: request.headers, data: JSON.parse(request.body).data };
      };
      const sdk = await bodyOf('sdk');
      const ours = await bodyOf('edgetrace');
      for (const header of ['authorization', 'content-type', 'openai-beta']) assert.equal(ours.headers[header], sdk.headers[header], header);
      // Ids and times are random/now; the spans are sorted the same way (by when they ended).
      const comparable = (data) => JSON.stringify(data.map((item) => ({ ...item, id: item.object === 'trace' ? item.id : 'span', parent_id: item.parent_id === undefined ? undefined : item.parent_id && 'parent', started_at: undefined, ended_at: undefined })));
      assert.equal(ours.data.length, sdk.data.length, 'the same number of items');
      assert.equal(comparable(ours.data), comparable(sdk.data));
    } finally {
      await server.close();
    }
  });

  test('a TraceStore with jsonlFileSink appends each completed trace to a file that edgetrace analyze reads', () => {
    const dir = path.join(root, 'target/store-test');
    const file = path.join(dir, 'traces.jsonl');
    const source = `
      import * as et from 'edgetrace';
      import { ProcessorChain, TraceStore, jsonlFileSink } from 'edgetrace/processors';
      import { rmSync, mkdirSync } from 'node:fs';
      rmSync(${JSON.stringify(dir)}, { recursive: true, force: true });
      mkdirSync(${JSON.stringify(dir)}, { recursive: true });
      const chain = new ProcessorChain([new TraceStore({ sink: jsonlFileSink(${JSON.stringify(file)}) }), new et.BatchTraceProcessor({ export() {} })]);
      et.setTraceProcessors([chain]);
      for (const name of ['a', 'b', 'c']) await et.withTrace(name, () => et.withFunctionSpan(async () => {}, { data: { name: name + '-tool' } }));
      await chain.forceFlush();`;
    execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: fixture('node'), encoding: 'utf8' });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    assert.jsonEqual(lines.map((i) => i.workflow_name ?? i.span_data.name), ['a', 'a-tool', 'b', 'b-tool', 'c', 'c-tool']);
    const analysed = spawnSync(path.join(fixture('node'), 'node_modules/.bin/edgetrace'), ['analyze', '--json', file], { encoding: 'utf8' });
    assert.equal(JSON.parse(analysed.stdout).traces.length, 3);
  });

  test('edgetrace/processors bundles for browsers and Workers (esbuild, from the installed package)', async () => {
    const { build } = await import('esbuild');
    for (const conditions of [['browser'], ['workerd', 'worker', 'browser']]) {
      const result = await build({
        stdin: { contents: "import * as p from 'edgetrace/processors'; import * as et from 'edgetrace'; globalThis.x = [p, et];", resolveDir: fixture('node'), sourcefile: 'entry.mjs' },
        bundle: true, write: false, format: 'esm', platform: 'browser', conditions, outdir: 'out',
        loader: { '.wasm': 'file' }, logLevel: 'silent',
      });
      assert.equal(result.errors.length, 0, conditions.join(','));
      assert.ok(result.outputFiles.some((f) => f.path.endsWith('.wasm') || f.text.includes('edgetrace_full_bg.wasm')), 'the module with the chain is part of the bundle');
    }
  });

  test('edgetrace view (the installed bin) serves the inspector on the files from 127.0.0.1', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(path.join(fixture('node'), 'node_modules/.bin/edgetrace'), ['view', '--no-open', '--port', '0', 'tests/fixtures/support-run.json', 'tests/fixtures/levels.jsonl'], { cwd: root });
    try {
      const line = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no URL printed')), 10_000);
        child.stdout.once('data', (data) => { clearTimeout(timer); resolve(String(data)); });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const url = line.match(/http:\/\/127\.0\.0\.1:\d+\/www\/\?src=\/v1\/traces\.jsonl/)?.[0];
      assert.ok(url, line);
      assert.match(line, /\(2 traces;/);
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval'/);
      assert.match(await page.text(), /dist\/app\.js/);
      assert.equal((await fetch(new URL('/www/dist/app.js', url))).status, 200);
      const wasm = await fetch(new URL('/www/dist/edgetrace_full_bg.wasm', url));
      assert.jsonEqual([wasm.status, wasm.headers.get('content-type')], [200, 'application/wasm']);
      const items = (await (await fetch(new URL('/v1/traces.jsonl', url))).text()).trimEnd().split('\n');
      assert.equal(items.length, 7 + 6);
    } finally {
      child.kill('SIGTERM');
    }
    const bad = spawnSync(path.join(fixture('node'), 'node_modules/.bin/edgetrace'), ['view', '--no-open', 'package.json'], { cwd: root, encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /package\.json: line \d+/);
  });

  test('agentsCoreProcessor: @openai/agents-core\'s own traces go through edgetrace\'s chain and batch processor', async () => {
    const source = `
      import * as core from '@openai/agents-core';
      import * as et from 'edgetrace';
      import { ProcessorChain, Redactor, ErrorTracker, agentsCoreProcessor } from 'edgetrace/processors';
      const items = [];
      const keys = [];
      const errors = new ErrorTracker();
      et.setTraceProcessors([new ProcessorChain([new Redactor(), errors, new et.BatchTraceProcessor({ export(batch) {
        for (const item of batch) { items.push(item.toJSON()); keys.push(item.tracingApiKey ?? null); }
      } })])]);
      core.setTracingDisabled(false);
      const sdkItems = [];
      core.setTraceProcessors([agentsCoreProcessor(), { onTraceStart: async (t) => { sdkItems.push(t.toJSON()); }, onTraceEnd: async () => {}, onSpanStart: async () => {}, onSpanEnd: async (s) => { sdkItems.push(s.toJSON()); }, forceFlush: async () => {}, shutdown: async () => {} }]);
      await core.withTrace('sdk run', async () => {
        await core.withFunctionSpan(async (span) => { span.spanData.output = 'mail ann@example.com'; span.setError({ message: 'boom' }); }, { data: { name: 'lookup', input: '{"password":"x"}' } });
      }, { groupId: 'g', tracingApiKey: 'sk-tenant' });
      await core.getGlobalTraceProvider().forceFlush();
      console.log(JSON.stringify({ items, keys, sdkItems, groups: errors.groups().map((g) => g.name) }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: fixture('node'), encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } }));
    assert.jsonEqual(out.items.map((i) => i.object), ['trace', 'trace.span']);
    const [trace, span] = out.items;
    const [sdkTrace, sdkSpan] = out.sdkItems;
    assert.jsonEqual(trace, sdkTrace, 'the trace item is the SDK\'s');
    assert.jsonEqual({ ...span, span_data: undefined }, { ...sdkSpan, span_data: undefined }, 'ids, times and error as the SDK recorded them');
    assert.equal(span.span_data.input, '{"password":"[REDACTED]"}');
    assert.equal(span.span_data.output, 'mail [REDACTED:email]');
    assert.jsonEqual(out.keys, ['sk-tenant', 'sk-tenant']);
    assert.jsonEqual(out.groups, ['lookup']);
  });

  test('edgetrace analyze (the installed bin): the tree and figures, --json, exit codes a shell expects', () => {
    const bin = path.join(fixture('node'), 'node_modules/.bin/edgetrace');
    const run = (...args) => spawnSync(bin, args, { cwd: root, encoding: 'utf8' });
    const text = run('analyze', 'tests/fixtures/support-run.json', 'tests/fixtures/levels.jsonl');
    assert.equal(text.status, 0, text.stderr);
    assert.ok(text.stdout.startsWith('support-workflow (1.84 s)\n├─ agent Triage (1.80 s)\n'), text.stdout);
    assert.match(text.stdout, /\n  cost     \$0\.000365\n/);
    assert.match(text.stdout, /\ngroup conv-1: 2 traces, 2512 in \(1000 cached\) \/ 155 out/);
    const json = run('analyze', '--json', 'tests/fixtures/support-run.json');
    assert.equal(json.status, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).traces[0].durationMs, 1_840);
    const missing = run('analyze', 'tests/fixtures/nope.json');
    assert.jsonEqual([missing.status, missing.stderr], [1, 'edgetrace: tests/fixtures/nope.json: no such file\n']);
    const notTraces = run('analyze', 'package.json');
    assert.equal(notTraces.status, 1);
    assert.match(notTraces.stderr, /^edgetrace: package\.json: line \d+ \(byte \d+\): not an export item/);
    for (const args of [[], ['frobnicate'], ['analyze'], ['analyze', '--nope', 'x']]) {
      const usage = run(...args);
      assert.equal(usage.status, 2, args.join(' '));
      assert.match(usage.stderr, /usage: edgetrace analyze/);
    }
  });

  test('edgetrace analyze and view read every form of trace file the same (pretty-printed, BOM, CRLF); a broken file prints what was read, then the error', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const bin = path.join(fixture('node'), 'node_modules/.bin/edgetrace');
    const run = (...args) => spawnSync(bin, args, { cwd: root, encoding: 'utf8' });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'edgetrace-files-'));
    try {
      const body = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/support-run.json'), 'utf8'));
      const lines = body.data.map((item) => JSON.stringify(item));
      const files = {
        'jq.json': `${JSON.stringify(body, null, 2)}\n`,
        'windows.jsonl': `\ufeff${lines.join('\r\n')}\r\n`,
      };
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
      const expected = run('analyze', 'tests/fixtures/support-run.json');
      assert.equal(expected.status, 0, expected.stderr);
      for (const name of Object.keys(files)) {
        const read = run('analyze', path.join(dir, name));
        assert.jsonEqual([read.status, read.stderr, read.stdout], [0, '', expected.stdout], name);
      }
      // Cut inside the fourth item: the first three are analysed and printed, then the error.
      const cut = lines.slice(0, 3).join('\n') + '\n' + lines[3].slice(0, 40);
      writeFileSync(path.join(dir, 'cut.jsonl'), cut);
      const broken = run('analyze', path.join(dir, 'cut.jsonl'));
      assert.equal(broken.status, 1);
      assert.match(broken.stdout, /^support-workflow \(/, 'what was read before the error is printed');
      assert.equal(broken.stderr, `edgetrace: ${path.join(dir, 'cut.jsonl')}: line 4 (byte ${cut.length}): the file ends inside a JSON value\n`);

      const { spawn } = await import('node:child_process');
      const child = spawn(bin, ['view', '--no-open', '--port', '0', path.join(dir, 'jq.json'), path.join(dir, 'windows.jsonl')], { cwd: root });
      try {
        const line = await new Promise((resolve, reject) => {
          child.stdout.once('data', (data) => resolve(String(data)));
          child.once('exit', (code) => reject(new Error(`exited ${code}`)));
        });
        const url = line.match(/http:\/\/127\.0\.0\.1:\d+/)?.[0];
        assert.ok(url, line);
        const served = (await (await fetch(`${url}/v1/traces.jsonl`)).text()).trimEnd().split('\n');
        assert.jsonEqual(served, [...lines, ...lines], 'both files, as compact JSONL');
      } finally {
        child.kill('SIGTERM');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bun: require("edgetrace") works and shares the provider with import', () => {
    const source = `
      const cjs = require('edgetrace');
      const esm = await import('edgetrace');
      const out = [];
      cjs.setTraceProcessors([new cjs.BatchTraceProcessor({ export(items) { out.push(...items.map((i) => i.type)); } })]);
      await esm.withTrace('t', async () => cjs.withFunctionSpan(async () => {}, { data: { name: 'f' } }));
      await cjs.forceFlush();
      console.log(JSON.stringify([cjs.getGlobalTraceProvider() === esm.getGlobalTraceProvider(), out]));`;
    writeFileSync(`${fixture('bun')}/require-check.mjs`, source);
    const output = execFileSync(BUN, ['require-check.mjs'], { cwd: fixture('bun'), encoding: 'utf8' });
    assert.equal(output.trim(), '[true,["trace","trace.span"]]');
  });

  test('deno: importing the package by path works with no permissions', () => {
    const source = `
      import * as et from './node_modules/edgetrace/dist/deno.js';
      const out = [];
      et.setTraceProcessors([new et.BatchTraceProcessor({ export(items) { out.push(...items.map((i) => i.type)); } })]);
      await et.withTrace('t', async () => et.withFunctionSpan(async () => {}, { data: { name: 'f' } }));
      await et.forceFlush();
      console.log(JSON.stringify(out));`;
    writeFileSync(`${fixture('deno')}/by-path.mjs`, source);
    const output = execFileSync(DENO, ['run', '--no-prompt', 'by-path.mjs'], { cwd: fixture('deno'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(output.trim(), '["trace","trace.span"]');
  });

  test('deno: items queued but never flushed are exported once, when the event loop runs out', () => {
    const source = `
      import * as et from 'edgetrace';
      et.addTraceProcessor(new et.BatchTraceProcessor({
        async export(items) { await new Promise((resolve) => setTimeout(resolve, 10)); console.log('exported', items.length); },
      }));
      await et.withTrace('t', async () => et.withFunctionSpan(async () => {}, { data: { name: 'f' } }));`;
    writeFileSync(`${fixture('deno')}/exit-flush.mjs`, source);
    const output = execFileSync(DENO, ['run', '--no-prompt', 'exit-flush.mjs'], { cwd: fixture('deno'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(output.trim(), 'exported 2');
  });

  test('node: OPENAI_AGENTS_DISABLE_TRACING=1 disables tracing', () => {
    assert.equal(runChild(PROBE, { OPENAI_AGENTS_DISABLE_TRACING: '1' }).trim(), '[]');
    assert.equal(JSON.parse(runChild(PROBE, { OPENAI_AGENTS_DISABLE_TRACING: 'false' })).length, 2);
  });

  test('node: OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA=false keeps tool data out', () => {
    const items = JSON.parse(runChild(PROBE, { OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA: 'false' }));
    assert.equal(items[1].span_data.input, '');
    assert.equal(JSON.parse(runChild(PROBE, { OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA: 'yes' }))[1].span_data.input, 'secret');
  });

  test('node: ids differ across processes (the generator is seeded from the OS)', () => {
    const ids = new Set([0, 1, 2].map(() => JSON.parse(runChild(PROBE))[0].id));
    assert.equal(ids.size, 3);
  });

  test('node: items queued but never flushed are exported before the process exits', () => {
    const source = `
      import * as et from 'edgetrace';
      et.addTraceProcessor(new et.BatchTraceProcessor({ export(items) { console.log('exported', items.length); } }));
      await et.withTrace('t', async () => et.withFunctionSpan(async () => {}, { data: { name: 'f' } }));`;
    assert.equal(runChild(source).trim(), 'exported 2');
  });

  test('node: the README usage example runs as written', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = readme.match(/## Usage\s+```js\n([\s\S]*?)```/)[1];
    const output = runChild(example);
    const body = JSON.parse(output.trim().split('\n').at(-1));
    assert.jsonEqual(body.data.map((i) => i.workflow_name ?? i.span_data.name), ['Support run', 'lookup_order', 'Triage']);
    assert.equal(body.data[1].span_data.output, 'order 42 ships Friday');
  });

  test('node: the export key comes from setTracingExportApiKey, else OPENAI_API_KEY', () => {
    const source = `
      import * as et from 'edgetrace';
      const fromEnv = et.getTracingExportApiKey();
      et.setTracingExportApiKey('sk-set');
      const set = et.getTracingExportApiKey();
      et.setTracingExportApiKey(undefined);
      console.log(JSON.stringify([fromEnv, set, et.getTracingExportApiKey() ?? null]));`;
    assert.equal(runChild(source, { OPENAI_API_KEY: 'sk-env' }).trim(), '["sk-env","sk-set",null]');
  });

  test('node: require() and import share one provider', () => {
    const source = `
      const cjs = require('edgetrace');
      import('edgetrace').then((esm) => {
        console.log(String(cjs.getGlobalTraceProvider() === esm.getGlobalTraceProvider() && cjs.withTrace === esm.withTrace));
      });`;
    assert.equal(runChild(source, {}, { commonjs: true }).trim(), 'true');
  });

  test('node: two copies of the package in one process share one provider and one current trace', () => {
    const source = `
      const a = await import(${JSON.stringify(new URL('../../pkg/dist/node.js', import.meta.url).href)});
      const b = await import(${JSON.stringify(new URL('../../target/fixtures/node/node_modules/edgetrace/dist/node.js', import.meta.url).href)});
      const seen = [];
      a.setTraceProcessors([{ onSpanEnd(span) { seen.push(span.spanData.name); } }]);
      let sameTrace = false;
      await a.withTrace('t', async () => {
        await b.withFunctionSpan(async () => { sameTrace = b.getCurrentTrace() === a.getCurrentTrace(); }, { data: { name: 'from-b' } });
      });
      console.log(JSON.stringify([a.getGlobalTraceProvider() === b.getGlobalTraceProvider(), a.Span === b.Span, sameTrace, seen]));`;
    assert.equal(runChild(source).trim(), '[true,true,true,["from-b"]]');
  });

  test('node: the runtime bundles carry no wasm URL for bundlers to trip over', () => {
    for (const entry of ['node', 'deno', 'workerd', 'browser']) {
      const bundle = readFileSync(new URL(`../../pkg/dist/${entry}.js`, import.meta.url), 'utf8');
      assert.ok(!bundle.includes('new URL("edgetrace_bg.wasm"'), `${entry}: the glue's default init is gone`);
    }
  });

  test('node: the packed bundles are minified, each with a source map holding the sources', () => {
    const dist = new URL('../../target/fixtures/node/node_modules/edgetrace/dist/', import.meta.url);
    for (const entry of ['node', 'deno', 'workerd', 'browser']) {
      const bundle = readFileSync(new URL(`${entry}.js`, dist), 'utf8');
      assert.ok(bundle.trimEnd().endsWith(`//# sourceMappingURL=${entry}.js.map`), `${entry}: links its map`);
      assert.ok(bundle.split('\n').length < 10, `${entry}: minified`);
      const map = JSON.parse(readFileSync(new URL(`${entry}.js.map`, dist), 'utf8'));
      assert.ok(map.sources.includes('../src/api.js') && map.sources.includes(`../src/${entry}.js`), `${entry}: maps to pkg/src`);
      assert.equal(map.sourcesContent.length, map.sources.length);
      assert.ok(map.sourcesContent.every((text) => typeof text === 'string' && text.length > 0), `${entry}: sources inlined`);
    }
  });

  test('node: every wasm export returns at most one value (no start-up compile of wrappers)', () => {
    const bytes = readFileSync(new URL('../../pkg/wasm/edgetrace_bg.wasm', import.meta.url));
    const multiValue = multiValueExports(bytes);
    assert.ok(WebAssembly.Module.exports(new WebAssembly.Module(bytes)).length > 20, 'the module was read');
    assert.jsonEqual(multiValue, []);
  });

  test('node: a full GC with no live span does not deoptimize the span paths (weak-map deopts)', () => {
    // V8 drops hidden classes no live object uses at a full GC, and deoptimizes the code compiled
    // against them. The package keeps its last span, trace, no-op span and trace, and one
    // exported item reachable, so their classes survive: this run logs no such deopt (without
    // the span and trace kept, 13: every function of the span path).
    const source = `
      import * as et from 'edgetrace';
      et.setTraceProcessors([new et.BatchTraceProcessor({ export() {} }, { maxQueueSize: 30000, maxBatchSize: 30000 })]);
      const provider = et.getGlobalTraceProvider();
      async function round() {
        for (let i = 0; i < 1000; i++) {
          const trace = provider.createTrace({ name: 't' });
          await trace.start();
          for (let j = 0; j < 10; j++) {
            const span = et.createFunctionSpan({ data: { name: 'f', input: 'i', output: 'o' } }, trace);
            span.start();
            span.end();
          }
          await trace.end();
        }
        await provider.forceFlush();
      }
      for (const disabled of [false, true]) {
        et.setTracingDisabled(disabled);
        for (let r = 0; r < 4; r++) await round();
        gc();
        await round();
      }`;
    const log = execFileSync(process.execPath, ['--expose-gc', '--trace-deopt', '--input-type=module', '-e', source],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.ok(log.includes('deoptimiz'), 'V8 traced deopts');
    const weakObjectDeopts = log.split('\n').filter((line) => line.includes('reason: weak objects')).length;
    assert.ok(weakObjectDeopts <= 1, `${weakObjectDeopts} deopts for dead hidden classes after a GC`);
  });

  test('node: tracing does not load perf_hooks (its first load costs ~0.7 ms of start-up)', () => {
    const source = `
      const before = process.moduleLoadList.length;
      const et = await import('edgetrace');
      await et.withTrace('t', async () => et.withFunctionSpan(async () => {}, { data: { name: 'f' } }));
      console.log(JSON.stringify(process.moduleLoadList.slice(before).filter((m) => m.includes('perf'))));`;
    assert.jsonEqual(JSON.parse(runChild(source)), []);
  });

  test('node: importing the package registers and starts nothing', () => {
    const source = `
      const before = process.listenerCount('beforeExit') + ':' + process.getActiveResourcesInfo().length;
      await import('edgetrace');
      await new Promise((resolve) => setImmediate(resolve));
      const after = process.listenerCount('beforeExit') + ':' + process.getActiveResourcesInfo().length;
      console.log(before === after);`;
    assert.equal(runChild(source).trim(), 'true');
  });

  for (const [name, make] of PARITY_CASES) {
    test(`node: span_data and error of "${name}" match @openai/agents-core byte for byte`, async () => {
      const theirs = [];
      core.setTraceProcessors([{ async onTraceStart() {}, async onTraceEnd() {}, async onSpanStart() {}, async onSpanEnd(s) { theirs.push(s.toJSON()); }, async shutdown() {}, async forceFlush() {} }]);
      core.setTracingDisabled(false);
      await core.withTrace('t', async () => {
        const span = make(core);
        span.start();
        span.setError({ message: 'boom', data: { why: name } });
        span.end();
      });
      reset(et);
      const { items, flush } = useBatch(et);
      await et.withTrace('t', async () => {
        const span = make(et);
        span.start();
        span.setError({ message: 'boom', data: { why: name } });
        span.end();
      });
      await flush();
      const ours = items.find((i) => i.object === 'trace.span');
      assert.equal(JSON.stringify(ours.span_data), JSON.stringify(theirs[0].span_data));
      assert.equal(JSON.stringify(ours.error), JSON.stringify(theirs[0].error));
      assert.jsonEqual(Object.keys(ours), Object.keys(theirs[0]));
    });
  }

  test('node: the trace item matches @openai/agents-core byte for byte', async () => {
    const theirs = [];
    core.setTraceProcessors([{ async onTraceStart(t) { theirs.push(t.toJSON()); }, async onTraceEnd() {}, async onSpanStart() {}, async onSpanEnd() {}, async shutdown() {}, async forceFlush() {} }]);
    const options = { groupId: 'g', metadata: { a: 'b', n: 1.5, nested: { x: [true] } }, traceId: 'trace_' + '0f'.repeat(16) };
    await core.withTrace('wf', async () => {}, options);
    reset(et);
    const { items, flush } = useBatch(et);
    await et.withTrace('wf', async () => {}, options);
    await flush();
    assert.equal(JSON.stringify(items[0]), JSON.stringify(theirs[0]));
  });

  // The SDK's defaults are private fields: tests/js/defaults-probe.mjs shows them by behaviour,
  // side by side, in a child process (it replaces setTimeout, which would disturb other tests' fetch).
  let shown;
  const defaults = () => (shown ??= JSON.parse(execFileSync(process.execPath, [path.join(root, 'tests/js/defaults-probe.mjs')],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })));

  test('node: BatchTraceProcessor defaults behave as agents-core\'s: a 5000 ms loop, an export at the 801st item, batches of 100', () => {
    const { batch } = defaults();
    assert.jsonEqual(batch.theirs, { triggeredAt: 801, batches: [100, 100], loopDelay: 5000 }, 'agents-core');
    assert.jsonEqual(batch.ours, batch.theirs, 'edgetrace');
  });

  test('node: OpenAITracingExporter retry defaults behave as @openai/agents-openai\'s: 3 attempts, waits of 1000 then 2000 ms, 30000 at most', () => {
    const { retry } = defaults();
    assert.jsonEqual(retry.theirs, [{ requests: 3, waits: [1000, 2000] }, { requests: 3, waits: [30000, 30000] }], 'agents-openai');
    assert.jsonEqual(retry.ours, retry.theirs, 'edgetrace');
  });

  test('node: creating, filling and shutting down many BatchTraceProcessors leaves memory flat', () => {
    // Each of 60 processors per round queues 20,000 spans, then is shut down and dropped. What a
    // leak would grow is measured, not the process's RSS (which moves by tens of MB with V8's
    // compiler and the allocator on a loaded machine): the wasm memory (a queue that kept its
    // memory adds megabytes per round: before, +17 MB from round 2 to 4), the module's processor
    // slots (reused once a processor is collected), and the JS heap after a forced GC. In a child
    // with --expose-gc; the child records the instance the package creates.
    const source = `
      const instances = [];
      const Instance = WebAssembly.Instance;
      WebAssembly.Instance = function (module, imports) {
        const instance = new Instance(module, imports);
        instances.push(instance);
        return instance;
      };
      const et = await import('edgetrace');
      et.setTracingLogger({ warn() {}, error() {}, info() {}, debug() {} });
      const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
      const rounds = [];
      for (let round = 0; round < 4; round++) {
        let highestSlot = -1;
        for (let p = 0; p < 60; p++) {
          const processor = new et.BatchTraceProcessor({ export() {} }, { maxQueueSize: 20000, exportTriggerRatio: 1 });
          const slot = Object.getOwnPropertySymbols(processor).find((s) => s.description === 'edgetrace.nativeHandle');
          highestSlot = Math.max(highestSlot, processor[slot]);
          et.setTraceProcessors([processor]);
          const trace = et.getGlobalTraceProvider().createTrace({ name: 'many' });
          await trace.start();
          for (let i = 0; i < 20000; i++) {
            const span = et.createFunctionSpan({ data: { name: 'f' } }, trace);
            span.start();
            span.end();
          }
          await processor.shutdown();
          et.setTraceProcessors([]);
        }
        for (let i = 0; i < 3; i++) {
          gc();
          await settle();
        }
        rounds.push({ wasmMb: instances[0].exports.memory.buffer.byteLength / 2 ** 20, heapMb: process.memoryUsage().heapUsed / 2 ** 20, highestSlot });
      }
      console.log(JSON.stringify(rounds));`;
    const rounds = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', source],
      { cwd: root, encoding: 'utf8' }));
    const shown = (key) => rounds.map((r) => r[key].toFixed(1)).join(' -> ');
    assert.ok(rounds[3].wasmMb - rounds[0].wasmMb <= 1, `wasm memory stops growing after round 1: ${shown('wasmMb')} MB`);
    assert.ok(rounds.every((r) => r.highestSlot < 120), `processor slots are reused: highest ${shown('highestSlot')}`);
    assert.ok(rounds[3].heapMb - rounds[1].heapMb < 4, `JS heap after GC from round 2 to 4: ${shown('heapMb')} MB`);
  });
}

