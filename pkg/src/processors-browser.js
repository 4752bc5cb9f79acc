// `edgetrace/processors` for browsers: the module with the chain is compiled at import (top-level
// await), from `../wasm/edgetrace_full_bg.wasm` or, for bundlers that do not copy it,
// `edgetrace_full_bg.wasm` next to the script (as the core entry finds its own).
import { glue } from '../wasm/bindings_full.js';
import { useChainModule } from './chain-core.js';
import { compileWasm } from './compile-wasm.js';

const WASM_FILE = 'edgetrace_full_bg.wasm';

const chainModule = await compileWasm([
  new URL('../wasm/edgetrace_full_bg.wasm', import.meta.url),
  new URL(WASM_FILE, import.meta.url),
], WASM_FILE);
useChainModule(glue, () => chainModule);

export * from './processors.js';
export * from './analysis.js';
