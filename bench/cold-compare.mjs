// Cold start of two builds of the package side by side (e.g. main before and after a change):
//   node bench/cold-compare.mjs <dir A> <dir B> [rounds=31]
// where each dir is a package folder (its dist/node.js is imported). Fresh `node` children,
// interleaved (A B, B A, ...), the same timed region as `make bench`'s cold mode; prints medians.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [dirA, dirB, roundsArg = '31'] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node bench/cold-compare.mjs <package dir A> <package dir B> [rounds]');
  process.exit(2);
}
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cold/agents-api.mjs');
const builds = [dirA, dirB].map((dir) => ({ dir, url: pathToFileURL(path.resolve(dir, 'dist/node.js')).href, ms: [] }));

function coldMs(build) {
  const child = spawnSync(process.execPath, [script, build.url], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${build.dir}: ${child.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(child.stdout).ms;
}

for (const build of builds) coldMs(build); // warm the file cache
for (let i = 0; i < Number(roundsArg); i++) {
  for (const build of i % 2 ? builds : [...builds].reverse()) build.ms.push(coldMs(build));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const build of builds) {
  console.log(`${build.dir}: median ${median(build.ms).toFixed(2)} ms, min ${Math.min(...build.ms).toFixed(2)} ms (${build.ms.length} runs)`);
}
console.log(`B / A: ${(median(builds[1].ms) / median(builds[0].ms)).toFixed(3)}`);
