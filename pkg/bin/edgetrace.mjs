#!/usr/bin/env node
// The edgetrace command line: `edgetrace analyze [--json] [--prices FILE] FILE...` prints the
// analysis of every trace in the files (OpenAI ingest bodies or JSONL; read a chunk at a time),
// the tree of each then its figures and the totals, or (`--json`) the same as JSON. Exit codes:
// 0 done, 1 a file could not be read or is not a trace file, 2 a usage error.
import { createReadStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TraceAnalyzer } from '../dist/processors-node.js';

const USAGE = `usage: edgetrace analyze [--json] [--prices FILE] FILE...

  Prints the analysis of every trace in the files (OpenAI ingest bodies {"data":[...]} or
  JSONL, an item a line; a file of - is standard input): each trace's tree, then its duration,
  spans, tokens, cost, tools, handoffs, errors, slowest spans and critical path, then totals.

  --json          the same as JSON
  --prices FILE   a price table {date, source, prices: [{model, input, cachedInput?, output}]}
                  (USD per million tokens) instead of the built-in one
  -h, --help      this text`;

function fail(message, code) {
  process.stderr.write(`edgetrace: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean' }, prices: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`, 2);
}
const [command, ...files] = args.positionals;
if (args.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (command !== 'analyze') fail(`${command === undefined ? 'no command' : `unknown command '${command}'`}\n${USAGE}`, 2);
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
    fail(error.code === 'ENOENT' ? `${name}: no such file` : error.code ? `${name}: ${error.message}` : error.message, 1);
  }
}

const output = args.values.json ? `${JSON.stringify(analyzer.analyze(), null, 2)}\n` : analyzer.report();
process.stdout.write(output);
