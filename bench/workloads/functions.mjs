// The function-span workload (modes processor, body, http, disabled): a root plus 10 function
// spans, each with the same three short strings. The one shape edgetrace's span path has a fast
// path for; bench/workloads/agent-run.mjs is the realistic one.

const SPANS_PER_TRACE = 10;
const SPAN_NAME = 'tool';
const SPAN_INPUT = '{"q":1}';
const SPAN_OUTPUT = 'result text';

export default {
  name: 'function spans',
  summary: 'a root + 10 function spans with name/input/output (short ASCII strings)',
  /** Exported items per trace: the trace item and 10 spans (OTel: the root span and 10). */
  itemsPerTrace: SPANS_PER_TRACE + 1,

  /**
   * One trace through the @openai/agents-core API (agents-core and edgetrace). createTrace +
   * start/end is what withTrace does minus the AsyncLocalStorage scope: the cheapest faithful
   * root. Spans get the trace as explicit parent, so no context lookup either.
   */
  async agentsTrace(lib, provider) {
    const trace = provider.createTrace({ name: 'bench' });
    await trace.start();
    for (let j = 0; j < SPANS_PER_TRACE; j++) {
      const span = lib.createFunctionSpan(
        { data: { name: SPAN_NAME, input: SPAN_INPUT, output: SPAN_OUTPUT } },
        trace,
      );
      span.start();
      span.end();
    }
    await trace.end();
  },

  /** One trace through OpenTelemetry: a root span plus 10 children parented by explicit context. */
  otelTrace(api, tracer) {
    const root = tracer.startSpan('bench');
    const ctx = api.trace.setSpan(api.ROOT_CONTEXT, root);
    for (let j = 0; j < SPANS_PER_TRACE; j++) {
      const attributes = { input: SPAN_INPUT, output: SPAN_OUTPUT };
      tracer.startSpan(SPAN_NAME, { attributes }, ctx).end();
    }
    root.end();
  },
};
