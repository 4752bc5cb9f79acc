// `edgetrace/processors` for Node and Bun: the module with the chain is read from the package
// folder at first use.
import { glue } from '../wasm/bindings_full.js';
import { useChainModule } from './chain-core.js';

useChainModule(glue, () => new WebAssembly.Module(
  process.getBuiltinModule('fs').readFileSync(new URL('../wasm/edgetrace_full_bg.wasm', import.meta.url))));

export * from './processors.js';
export * from './analysis.js';
