// Runs the conformance suite in the page and publishes the outcome on
// `globalThis.edgetraceResult` for the runner to read.
import { runConformance } from '../conformance.mjs';

/** Runs the suite against `et` (and `processors`, when given); never rejects. */
export async function publishSuite(et, processors) {
  const log = [];
  try {
    const { passed, failed, failures } = await runConformance(et, { asyncContext: false, processors }, { log: (line) => log.push(line) });
    globalThis.edgetraceResult = { passed, failed, failures, log };
  } catch (error) {
    globalThis.edgetraceResult = { error: String(error?.stack ?? error), log };
  }
}
