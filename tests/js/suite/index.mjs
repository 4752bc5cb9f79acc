// The conformance suite: every file registers its tests against the package `et`.
import model from './model.mjs';
import nesting from './nesting.mjs';
import switches from './switches.mjs';
import batch from './batch.mjs';
import badInput from './bad-input.mjs';
import lifecycle from './lifecycle.mjs';
import chain from './chain.mjs';
import analysis from './analysis.mjs';

/**
 * Registers the whole suite. `runtime.asyncContext`: whether the current span follows async
 * code here (AsyncLocalStorage); `runtime.processors`: the `edgetrace/processors` module, for
 * the runs that import it (then the chain's tests run too, and everything runs against the wasm
 * module with the chain).
 */
export function registerSuite(test, et, assert, runtime) {
  const parts = [model, nesting, switches, batch, badInput, ...(runtime.processors === undefined ? [] : [chain, analysis]), lifecycle];
  for (const register of parts) register(test, et, assert, runtime);
}
