// `edgetrace/processors` for Deno: the module with the chain arrives compiled through a
// source-phase import (no permission needed).
import source chainModule from '../wasm/edgetrace_full_bg.wasm';
import { glue } from '../wasm/bindings_full.js';
import { useChainModule } from './chain-core.js';

useChainModule(glue, () => chainModule);

export * from './processors.js';
export * from './analysis.js';
