// `edgetrace/processors` for Cloudflare Workers: the module with the chain is imported as a
// module (compiled at upload). The Worker then carries both .wasm files; only this one is
// instantiated.
import chainModule from '../wasm/edgetrace_full_bg.wasm';
import { glue } from '../wasm/bindings_full.js';
import { useChainModule } from './chain-core.js';

useChainModule(glue, () => chainModule);

export * from './processors.js';
export * from './analysis.js';
