// Runs the conformance suite in Node against the package as `import "edgetrace"` resolves it,
// then the Node-only checks (environment switches, require(), parity with @openai/agents-core).
import * as et from 'edgetrace';
import { createSuite, assert } from './harness.mjs';
import { registerSuite } from './suite/index.mjs';
import { registerNodeOnly } from './node-only.mjs';

const suite = createSuite();
registerSuite(suite.test, et, assert, { asyncContext: true });
registerNodeOnly(suite.test, et, assert);
const { passed, failed } = await suite.run({ filter: process.argv[2] });
console.log(`node: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
