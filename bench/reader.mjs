// What the trace-file reader holds while it reads a big file: a ~200 MB file of many traces
// (the recorded agents-core run and the support run, pretty-printed as `jq .` writes them,
// repeated) read in 64 KiB chunks through `TraceFileReader`, in a process that does nothing else
// with the module.
// Prints the time, the items, and how much the wasm memory grew (the reader's own peak, with
// the output of one chunk's items): the file is never held.
//
//   node bench/reader.mjs [--mb=200]
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// The module's memory, seen through the instance the package creates (at first use).
const instances = [];
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const instance = new Instance(module, imports);
  instances.push(instance);
  return instance;
};
const { TraceFileReader } = await import('edgetrace/processors');

const { values } = parseArgs({ options: { mb: { type: 'string', default: '200' } } });
const targetBytes = Number(values.mb) * 1e6;

const fixtures = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'tests/fixtures');
const recorded = readFileSync(path.join(fixtures, 'agents-core-run.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
const support = JSON.parse(readFileSync(path.join(fixtures, 'support-run.json'), 'utf8')).data;
const pretty = `${JSON.stringify({ data: [...recorded, ...support] }, null, 2)}\n`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'edgetrace-reader-'));
const file = path.join(dir, 'big.json');
writeFileSync(file, '');
let size = 0;
while (size < targetBytes) {
  appendFileSync(file, pretty);
  size += Buffer.byteLength(pretty);
}

const memory = () => instances[0].exports.memory.buffer.byteLength;
const reader = new TraceFileReader('big.json');
const before = memory();
const chunk = Buffer.alloc(1 << 16);
const fd = openSync(file, 'r');
let items = 0;
const t0 = performance.now();
for (let read; (read = readSync(fd, chunk, 0, chunk.length, null)) > 0;) items += reader.feed(chunk.subarray(0, read)).length;
items += reader.end().length;
const ms = performance.now() - t0;
closeSync(fd);
rmSync(dir, { recursive: true, force: true });
const grew = memory() - before;

console.log('## trace-file reader\n');
console.log(`a ${(size / 1e6).toFixed(0)} MB pretty-printed file (${items} items) read in 64 KiB chunks (node ${process.version})\n`);
console.log('| time | MB/s | wasm memory before | grew while reading |');
console.log('|---:|---:|---:|---:|');
console.log(`| ${(ms / 1000).toFixed(2)} s | ${(size / 1e6 / (ms / 1000)).toFixed(0)} | ${(before / 2 ** 20).toFixed(2)} MiB | ${(grew / 1024).toFixed(0)} KiB |`);
if (grew > 4 << 20) {
  console.error(`the reader held ${grew} bytes more: it should hold a chunk and an item, not the file`);
  process.exitCode = 1;
}
