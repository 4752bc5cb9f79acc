// The page script of the chain page: the suite with edgetrace/processors imported (the package
// then loads the wasm module with the processor chain), the chain's tests included.
import * as et from 'edgetrace';
import * as processors from 'edgetrace/processors';
import { publishSuite } from './publish.mjs';

await publishSuite(et, processors);
