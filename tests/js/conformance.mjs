// The conformance suite as one call, for every runtime's runner: no runtime-specific imports.
import { createSuite, assert } from './harness.mjs';
import { registerSuite } from './suite/index.mjs';

/**
 * Runs the whole suite against the package `et`. `runtime.asyncContext`: whether the current
 * span follows async code there. Resolves to `{passed, failed, failures}`.
 */
export function runConformance(et, runtime, options = {}) {
  const suite = createSuite();
  registerSuite(suite.test, et, assert, runtime);
  return suite.run(options);
}
