// The conformance suite: every file registers its tests against the package `et`.
import model from './model.mjs';
import nesting from './nesting.mjs';
import switches from './switches.mjs';
import batch from './batch.mjs';
import badInput from './bad-input.mjs';
import lifecycle from './lifecycle.mjs';

/**
 * Registers the whole suite. `runtime.asyncContext`: whether the current span follows async
 * code here (AsyncLocalStorage).
 */
export function registerSuite(test, et, assert, runtime) {
  for (const register of [model, nesting, switches, batch, badInput, lifecycle]) register(test, et, assert, runtime);
}
