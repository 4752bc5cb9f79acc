// A demo agent as a Cloudflare Worker: each request runs the scripted support run and exports it
// through OpenAITracingExporter to env.TRACE_ENDPOINT, flushed before the answer.
import * as et from 'edgetrace';
import { runSupportAgent } from './support-agent.mjs';

let exporting = false;

export default {
  /** @param {Request} _request @param {{ TRACE_ENDPOINT: string }} env */
  async fetch(_request, env) {
    if (!exporting) {
      exporting = true;
      et.setTraceProcessors([new et.BatchTraceProcessor(new et.OpenAITracingExporter({ apiKey: 'demo', endpoint: env.TRACE_ENDPOINT, maxRetries: 2 }))]);
    }
    await runSupportAgent(et, 'workerd');
    await et.forceFlush({ timeoutMs: 10_000 });
    return new Response('traced\n');
  },
};
