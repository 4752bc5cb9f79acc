// The page script of the import-map page and the entry of the bundled page: runs the suite against
// "edgetrace" and publishes the outcome on `globalThis.edgetraceResult` for the runner to read.
// Browsers have no AsyncLocalStorage: the suite passes parents explicitly across awaits.
import * as et from 'edgetrace';
import { publishSuite } from './publish.mjs';

await publishSuite(et, undefined);
