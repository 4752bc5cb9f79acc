// The page script of the import-map page and the entry of the bundled page: runs the suite against
// "edgetrace" and publishes the outcome on `globalThis.edgetraceResult` for the runner to read.
// Browsers have no AsyncLocalStorage: the suite passes parents explicitly across awaits.
import * as et from 'edgetrace';
import { runConformance } from '../conformance.mjs';

const log = [];
try {
  const { passed, failed, failures } = await runConformance(et, { asyncContext: false }, { log: (line) => log.push(line) });
  globalThis.edgetraceResult = { passed, failed, failures, log };
} catch (error) {
  globalThis.edgetraceResult = { error: String(error?.stack ?? error), log };
}
