// The conformance suite as a Worker (bundled by tests/js/runners/workerd.mjs): GET / runs it and
// answers {asyncContext, passed, failed, failures, log} as JSON.
import * as et from 'edgetrace';
import { runConformance } from '../conformance.mjs';

/**
 * Whether this Worker has AsyncLocalStorage (the nodejs_compat or nodejs_als flag), asked of
 * workerd itself rather than of the package, so a package that fails to pick it up fails the
 * async-context tests instead of silently getting the explicit-parent variant.
 */
async function hasAsyncLocalStorage() {
  try {
    return typeof (await import('node:async_hooks')).AsyncLocalStorage === 'function';
  } catch {
    return false; // "No such module" without the flags
  }
}

/** The Worker: runs the suite against `et` (and the processors entry, when given). */
export function suiteWorker(processors) {
  return {
    async fetch() {
      const asyncContext = await hasAsyncLocalStorage();
      const log = [];
      const result = await runConformance(et, { asyncContext, processors }, { log: (line) => log.push(line) });
      return Response.json({ asyncContext, ...result, log });
    },
  };
}

export default suiteWorker(undefined);
