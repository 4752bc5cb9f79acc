// A demo agent for Node and Deno: runs the scripted support run and exports it through
// OpenAITracingExporter to ENDPOINT (the collector's /v1/traces/ingest).
//   node examples/demo-agent.mjs ENDPOINT [RUNTIME]
//   deno run --allow-net=127.0.0.1 examples/demo-agent.mjs ENDPOINT deno
import * as et from 'edgetrace';
import { runSupportAgent } from './support-agent.mjs';

const deno = /** @type {{ Deno?: { args: string[] } }} */ (/** @type {unknown} */ (globalThis)).Deno;
const args = deno ? deno.args : process.argv.slice(2);
const [endpoint, runtime = deno ? 'deno' : 'node'] = args;
et.setTraceProcessors([new et.BatchTraceProcessor(new et.OpenAITracingExporter({ apiKey: 'demo', endpoint, maxRetries: 2 }))]);
await runSupportAgent(et, runtime);
await et.forceFlush({ timeoutMs: 10_000 });
