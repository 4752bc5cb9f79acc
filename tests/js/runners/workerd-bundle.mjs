// Bundles a Worker the way wrangler does, for miniflare, with "edgetrace" resolved from the
// npm-packed fixture (target/fixtures/workerd), as in a user's project.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixtureDir = path.join(root, 'target/fixtures/workerd');

/**
 * Bundles a Worker the way wrangler does: ESM, the workerd/worker/browser export conditions, and
 * `.wasm` imports left as separate modules (uploaded as CompiledWasm, so the bundle imports a
 * ready WebAssembly.Module). "edgetrace" resolves from the fixture, as in a user's project (from
 * tests/js/workerd/ it would find the repo's own node_modules/edgetrace link to pkg/).
 * `entry` is a file path. Returns Miniflare's `modules` list.
 */
export async function bundleWorker(entry) {
  const wasmFiles = new Map(); // module name in the Worker -> file on disk
  const plugin = {
    name: 'workerd-fixture',
    setup(b) {
      b.onResolve({ filter: /^edgetrace(\/processors)?$/ }, async (args) => {
        if (args.pluginData === 'fixture') return undefined; // our own nested resolve below
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: fixtureDir, pluginData: 'fixture' });
        return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path };
      });
      b.onResolve({ filter: /\.wasm$/ }, (args) => { // relative imports (all edgetrace has)
        const file = path.resolve(args.resolveDir, args.path);
        const name = path.basename(file);
        if (wasmFiles.has(name) && wasmFiles.get(name) !== file) throw new Error(`two wasm modules named ${name}`);
        wasmFiles.set(name, file);
        return { path: `./${name}`, external: true };
      });
    },
  };
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: ['node:*'], // workerd's built-ins (node:async_hooks, probed by the suite Worker)
    target: 'es2022',
    write: false,
    outfile: 'worker.mjs',
    logLevel: 'warning',
    plugins: [plugin],
  });
  return [
    { type: 'ESModule', path: 'worker.mjs', contents: result.outputFiles[0].text },
    ...[...wasmFiles].map(([name, file]) => ({ type: 'CompiledWasm', path: name, contents: readFileSync(file) })),
  ];
}

