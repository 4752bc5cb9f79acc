// The redaction canary test: the recorded agents-core run (tests/fixtures/agents-core-run.jsonl),
// with secrets of every default kind in every field (canaries.mjs), goes as the SDK's own items
// through agentsCoreProcessor into a chain with a Redactor (secure defaults) and every stage that
// keeps or sends data after it: error groups, the compliance log, live events, the store with a
// file sink, and a BatchTraceProcessor exporting to the collector on 127.0.0.1. No canary may
// reach an exporter's body (the collector's request bodies and files), a log line, the store, its
// file, the compliance log, live events or error groups; the benign look-alikes must.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startCollector } from '../../pkg/bin/collector.mjs';
import { BENIGN, leaks } from './canaries.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The canary run through the chain, in a child process of the installed package (this process
 * serves the collector meanwhile). */
async function runCanaries(endpoint, storeFile) {
  const source = `
    import { readFileSync } from 'node:fs';
    import * as et from 'edgetrace';
    import { ProcessorChain, Redactor, ErrorTracker, ComplianceLog, LiveEvents, TraceStore, jsonlFileSink, agentsCoreProcessor } from 'edgetrace/processors';
    import { withCanaries } from ${JSON.stringify(pathToFileURL(path.join(root, 'tests/js/canaries.mjs')).href)};
    const logs = [];
    const log = (level) => (...args) => logs.push(level + ': ' + args.map((a) => a instanceof Error ? a.stack : typeof a === 'string' ? a : JSON.stringify(a)).join(' '));
    et.setTracingLogger({ debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, { level: 'debug' });
    const records = [];
    const events = [];
    const errors = new ErrorTracker();
    const store = new TraceStore({ sink: jsonlFileSink(${JSON.stringify(storeFile)}) });
    const exporter = new et.OpenAITracingExporter({ apiKey: 'sk-test-exporter', endpoint: ${JSON.stringify(endpoint)} });
    et.setTraceProcessors([new ProcessorChain([
      new Redactor(), errors,
      new ComplianceLog({ keys: ['fixture', 'note'], sink: (batch) => { records.push(...batch); } }),
      new LiveEvents({ onEvent: (event) => { events.push(event); } }),
      store, new et.BatchTraceProcessor(exporter),
    ])]);
    const recorded = readFileSync(${JSON.stringify(path.join(root, 'tests/fixtures/agents-core-run.jsonl'))}, 'utf8').trimEnd().split('\\n').map((line) => JSON.parse(line));
    const items = withCanaries(recorded);
    const adapter = agentsCoreProcessor();
    for (const item of items) {
      if (item.object === 'trace') await adapter.onTraceStart({ toJSON: () => item });
      else await adapter.onSpanEnd({ toJSON: () => item });
    }
    for (const trace of items.filter((i) => i.object === 'trace')) await adapter.onTraceEnd({ traceId: trace.id });
    await adapter.forceFlush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await et.forceFlush();
    const ids = items.filter((i) => i.object === 'trace').map((t) => t.id);
    console.log(JSON.stringify({
      sent: items.length, logs, records, events, groups: errors.groups(),
      stored: ids.map((id) => store.jsonl(id) ?? ''),
    }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', source],
    { cwd: path.join(root, 'target/fixtures/node'), encoding: 'utf8', maxBuffer: 1 << 26, timeout: 120_000 });
  return JSON.parse(stdout);
}

export function registerCanaryRun(test, et, assert) {
  test('redaction canaries: secrets in every field of a recorded agents-core run reach no exporter body, log line, store, compliance log, live event or error group; look-alikes stay', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'edgetrace-canaries-'));
    const collector = await startCollector({ port: 0, dataDir: path.join(dataDir, 'collected') });
    try {
      const out = await runCanaries(`${collector.url}/v1/traces/ingest`, path.join(dataDir, 'store.jsonl'));
      const collected = readdirSync(path.join(dataDir, 'collected')).filter((n) => n.endsWith('.jsonl'))
        .map((n) => readFileSync(path.join(dataDir, 'collected', n), 'utf8')).join('');
      const storeFile = readFileSync(path.join(dataDir, 'store.jsonl'), 'utf8');
      const places = {
        'the collector\'s files (what the exporter sent)': collected,
        'log lines': out.logs.join('\n'),
        'the store': out.stored.join('\n'),
        'the store\'s file': storeFile,
        'the compliance log': JSON.stringify(out.records),
        'live events': JSON.stringify(out.events),
        'error groups': JSON.stringify(out.groups),
      };
      assert.equal(collected.trimEnd().split('\n').length, out.sent, 'every item was exported');
      assert.ok(out.records.length === 2 && out.events.length > out.sent && out.groups.length > 0, 'every stage saw the run');
      for (const [place, text] of Object.entries(places)) assert.jsonEqual(leaks(text), [], place);
      for (const benign of BENIGN) assert.ok(collected.includes(benign), `"${benign}" reached the exporter as it was`);
      assert.ok(collected.includes('"group_id":"conv-order-A-1001 [REDACTED:email]"') && collected.includes('"[REDACTED]"'), 'secrets were replaced by markers, in the group id too');
    } finally {
      await collector.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
