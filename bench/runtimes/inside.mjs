// What runs inside a Worker (workerd-worker.mjs) or a page (chromium-page.mjs): the three adapters
// of the Node harness and its round loop (../rounds.mjs), bundled by esbuild. Nothing here imports
// a Node built-in; the libraries are imported with literal import()s so esbuild bundles them.

import otel from '../adapters/otel.mjs';
import agentsCore from '../adapters/agents-core.mjs';
import edgetrace from '../adapters/edgetrace.mjs';
import { runInProcess } from '../rounds.mjs';

// The agents-API adapters import a specifier chosen at run time; in a bundle, pass the literal one.
const IMPORTERS = {
  otel: undefined, // its adapter imports literal specifiers already
  'agents-core': () => import('@openai/agents-core'),
  edgetrace: () => import('edgetrace'),
};

let loaded = [];

/** Import every library (all of them, or the names in `only`); returns the ones that failed. */
export async function loadAdapters(only) {
  loaded = [];
  const skipped = {};
  for (const adapter of [otel, agentsCore, edgetrace]) {
    if (only && !only.includes(adapter.name)) continue;
    try {
      await adapter.load(IMPORTERS[adapter.name]);
      loaded.push(adapter);
    } catch (err) {
      skipped[adapter.name] = String(err?.message ?? err).split('\n')[0];
    }
  }
  return { skipped };
}

/**
 * One in-process mode (processor, body, agent, agent-body or disabled) over the loaded libraries: the Node harness's
 * loop, with this runtime's GC and clock (see rounds.mjs). Resolves to { rows, warnings }.
 */
export async function runMode(mode, { n, rounds }, env) {
  const warnings = [];
  const rows = await runInProcess(mode, loaded, { n, rounds }, (msg) => warnings.push(msg), env);
  return { rows, warnings };
}
