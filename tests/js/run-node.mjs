// The Node-only checks, against the package as the repository's dev dependency resolves it:
// environment switches, require(), exit flush, the README example, parity with
// @openai/agents-core. (The conformance suite runs from the packed tarball: tests/js/pack.mjs.)
import * as et from 'edgetrace';
import { createSuite, assert } from './harness.mjs';
import { registerNodeOnly } from './node-only.mjs';
import { registerTruncationParity } from './truncation-parity.mjs';
import { registerCollector } from './collector.mjs';
import { registerCanaryRun } from './canary-run.mjs';

const suite = createSuite();
registerNodeOnly(suite.test, et, assert);
registerTruncationParity(suite.test, et, assert);
registerCollector(suite.test, et, assert);
registerCanaryRun(suite.test, et, assert);
const { passed, failed } = await suite.run({ filter: process.argv[2] });
console.log(`node-extras: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
