// What the `edgetrace/processors` entries share: the internals of the `edgetrace` copy they
// extend, and the switch of that copy to the wasm module that has the processor chain.
import { BatchTraceProcessor } from 'edgetrace';

/** The internals of the `edgetrace` copy this entry extends (api.js). */
export const core = BatchTraceProcessor[Symbol.for('edgetrace.internals.v0')];
if (core === undefined) {
  throw new Error('edgetrace/processors: the edgetrace package it extends is not the same version');
}

let chainModule = false;

/**
 * Called once by each runtime's processors entry, at import: the `edgetrace` copy instantiates
 * the module with the chain (`module()` returns it compiled, with `glue`) instead of the core's.
 */
export function useChainModule(glue, module) {
  chainModule = core.useFullModule(glue, module);
}

/** Throws unless the module with the chain is (or will be) the one instantiated. */
export function requireChainModule() {
  if (!chainModule) {
    throw new Error('edgetrace/processors was imported after edgetrace had loaded its core wasm module '
      + '(a trace or setting was used first): import edgetrace/processors at start-up, before the first trace');
  }
}
