// Cold start, agents-core API (agents-core and edgetrace): `node agents-api.mjs <specifier>`.
// Times, from the first line of this script's body: import the library, then the steps every
// runtime runs (../runtimes/cold/agents-api.mjs, loaded before the clock starts): a batch
// processor, one trace with one function span, started, ended and flushed. Prints one JSON line.
import { coldTrace } from '../runtimes/cold/agents-api.mjs';

const t0 = performance.now();
const lib = await import(process.argv[2]);
const { items, expected } = await coldTrace(lib);
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, items, expected }));
