// A Cloudflare Worker that traces each request and exports the traces to TRACE_ENDPOINT
// (an environment binding) with the one line Workers need: ctx.waitUntil(forceFlush()).
// Background timers do not run after a Worker has answered, so the flush is tied to the request.
import { withTrace, withAgentSpan, withFunctionSpan, addTraceProcessor, BatchTraceProcessor, forceFlush } from 'edgetrace';

let registered = false;

/** @param {{ TRACE_ENDPOINT: string }} env */
function ensureExporter(env) {
  if (registered) return;
  registered = true;
  addTraceProcessor(new BatchTraceProcessor({
    exportBody: async (body) => {
      const response = await fetch(env.TRACE_ENDPOINT, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      if (!response.ok) throw new Error(`trace export failed: HTTP ${response.status}`);
    },
  }));
}

export default {
  /**
   * @param {Request} request
   * @param {{ TRACE_ENDPOINT: string }} env
   * @param {{ waitUntil(promise: Promise<unknown>): void }} ctx
   */
  async fetch(request, env, ctx) {
    ensureExporter(env);
    const city = new URL(request.url).searchParams.get('city') ?? 'Paris';
    const reply = await withTrace('Weather request', () => withAgentSpan(async () => {
      const forecast = await withFunctionSpan(async (span) => {
        span.spanData.output = `sunny in ${city}`;
        return span.spanData.output;
      }, { data: { name: 'get_forecast', input: JSON.stringify({ city }) } });
      return `Forecast: ${forecast}`;
    }, { data: { name: 'Weather agent', tools: ['get_forecast'] } }), { metadata: { city } });
    ctx.waitUntil(forceFlush());
    return new Response(reply);
  },
};
