// The export fault suite as a Worker (bundled by tests/js/export/run.mjs): GET / runs it against
// the scripted server at env.FAULT_SERVER and answers {passed, failed, log} as JSON.
import * as et from 'edgetrace';
import { createSuite, assert } from '../harness.mjs';
import { reset } from '../suite/helpers.mjs';
import { registerExportSuite } from '../export/suite.mjs';

export default {
  async fetch(_request, env) {
    const suite = createSuite();
    registerExportSuite(suite.test, et, assert, { server: env.FAULT_SERVER, reset });
    const log = [];
    const { passed, failed } = await suite.run({ log: (line) => log.push(line) });
    return Response.json({ passed, failed, log });
  },
};
