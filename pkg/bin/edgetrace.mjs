#!/usr/bin/env node
// The edgetrace command line:
//   `edgetrace analyze [--json] [--prices FILE] FILE...` prints the analysis of every trace in the
//   files (OpenAI ingest bodies or JSONL; read a chunk at a time), the tree of each then its
//   figures and the totals, or (`--json`) the same as JSON;
//   `edgetrace collect [--port N] [--data DIR] [--token T] [--retention-days N]` runs the local
//   collector (collector.mjs) until Ctrl-C;
//   `edgetrace view [--port N] [--no-open] FILE...` opens the inspector on the files, served
//   from 127.0.0.1 (the files are checked first), until Ctrl-C.
// Exit codes: 0 done, 1 a file could not be read or is not a trace file (or the collector could
// not start), 2 a usage error.
import { createReadStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TraceAnalyzer, TraceFileReader } from '../dist/processors-node.js';

const USAGE = `usage: edgetrace analyze [--json] [--prices FILE] FILE...
       edgetrace collect [--port N] [--data DIR] [--token T] [--retention-days N]
       edgetrace view [--port N] [--no-open] FILE...

  Prints the analysis of every trace in the files (OpenAI ingest bodies {"data":[...]} or
  JSONL, an item a line; a file of - is standard input): each trace's tree, then its duration,
  spans, tokens, cost, tools, handoffs, errors, slowest spans and critical path, then totals.

  --json          the same as JSON
  --prices FILE   a price table {date, source, prices: [{model, input, cachedInput?, output}]}
                  (USD per million tokens) instead of the built-in one
  collect: a trace collector on 127.0.0.1 (POST /v1/traces/ingest as the OpenAI endpoint takes it;
  point OpenAITracingExporter's endpoint at <url>/v1/traces/ingest); items kept as JSONL under
  --data (default ./edgetrace-data, files older than --retention-days, 7, removed), pushed live on
  /v1/events; with --token, writes need that bearer token. Port 7373 by default.

  view: the inspector page on the files (checked as analyze reads them), served from 127.0.0.1,
  opened in the default browser (--no-open: only print its URL).

  -h, --help      this text`;

function fail(message, code) {
  process.stderr.write(`edgetrace: ${message}\n`);
  process.exit(code);
}

/** A file's error as the message to print. */
function fileFailure(name, error) {
  if (error.code === 'ENOENT') return `${name}: no such file`;
  return error.code ? `${name}: ${error.message}` : error.message;
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean' }, prices: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      port: { type: 'string' }, data: { type: 'string' }, 'no-open': { type: 'boolean' }, token: { type: 'string' }, 'retention-days': { type: 'string' },
    },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`, 2);
}
const [command, ...files] = args.positionals;
if (args.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
/** `edgetrace collect`: the collector, until Ctrl-C. */
async function collect() {
  const number = (name, min) => {
    const raw = args.values[name];
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) fail(`--${name} must be an integer >= ${min}\n${USAGE}`, 2);
    return value;
  };
  const { startCollector } = await import('./collector.mjs');
  try {
    const collector = await startCollector({ port: number('port', 0), dataDir: args.values.data, token: args.values.token, retentionDays: number('retention-days', 1) });
    process.stdout.write(`edgetrace collector on ${collector.url} (POST ${collector.url}/v1/traces/ingest; inspector ${collector.url}/www/)\n`);
    process.on('SIGINT', () => collector.close().then(() => process.exit(0)));
  } catch (error) {
    fail(`the collector could not start: ${error.message}`, 1);
  }
}

/** `edgetrace view FILE...`: the files checked, copied as JSONL into a temporary data folder a
 * collector serves, the page's URL printed (and opened), until Ctrl-C. */
async function view() {
  if (files.length === 0) fail(`view needs at least one FILE\n${USAGE}`, 2);
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const analyzer = new TraceAnalyzer();
  const lines = [];
  for (const file of files) {
    try {
      // The analyser checks each item (errors by line and byte); the reader keeps them.
      const reader = new TraceFileReader(file);
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) {
        analyzer.feed(chunk, file);
        lines.push(...reader.feed(chunk));
      }
      analyzer.endFile(file);
      lines.push(...reader.end());
    } catch (error) {
      fail(fileFailure(file, error), 1);
    }
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'edgetrace-view-'));
  writeFileSync(path.join(dataDir, 'view.jsonl'), `${lines.join('\n')}\n`);
  const { startCollector } = await import('./collector.mjs');
  const port = args.values.port === undefined ? 0 : Number(args.values.port);
  if (!Number.isInteger(port) || port < 0) fail(`--port must be an integer >= 0\n${USAGE}`, 2);
  const collector = await startCollector({ port, dataDir, retentionDays: 36_500 });
  const url = `${collector.url}/www/?src=/v1/traces.jsonl`;
  process.stdout.write(`edgetrace inspector: ${url} (${analyzer.analyze().traces.length} traces; Ctrl-C to stop)\n`);
  if (!args.values['no-open']) {
    const { spawn } = await import('node:child_process');
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    spawn(opener, [url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
  }
  const stop = () => collector.close().then(() => { rmSync(dataDir, { recursive: true, force: true }); process.exit(0); });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** `edgetrace analyze FILE...`. */
async function analyze() {
  if (files.length === 0) fail(`analyze needs at least one FILE\n${USAGE}`, 2);

  const analyzer = new TraceAnalyzer();
  if (args.values.prices !== undefined) {
    try {
      analyzer.setPrices(JSON.parse(readFileSync(args.values.prices, 'utf8')));
    } catch (error) {
      fail(`${args.values.prices}: not a price table: ${error.message}`, 1);
    }
  }

  for (const file of files) {
    const name = file === '-' ? 'standard input' : file;
    try {
      const stream = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 16 });
      for await (const chunk of stream) analyzer.feed(chunk, name);
      analyzer.endFile(name);
    } catch (error) {
      // What was read before the error is printed, then the error.
      process.stdout.write(args.values.json ? `${JSON.stringify(analyzer.analyze(), null, 2)}\n` : analyzer.report());
      fail(fileFailure(name, error), 1);
    }
  }

  const output = args.values.json ? `${JSON.stringify(analyzer.analyze(), null, 2)}\n` : analyzer.report();
  process.stdout.write(output);
}

if (command === 'collect') await collect();
else if (command === 'view') await view();
else if (command === 'analyze') await analyze();
else fail(`${command === undefined ? 'no command' : `unknown command '${command}'`}\n${USAGE}`, 2);
