// The package imported at a Worker's global scope, plus one id asked for there. Workers forbid
// timers, random values and I/O at global scope, so if importing the entry did any of them the
// Worker would fail to start; the id cannot be made there, and must fail with edgetrace's own
// error (caught and reported). GET / then runs one trace with one span (ids are seeded there,
// inside the handler) and answers the global-scope error and what a recording processor saw.
import * as et from 'edgetrace';

let globalScopeError = null;
try {
  et.generateTraceId();
} catch (error) {
  globalScopeError = { name: error?.constructor?.name, message: error?.message };
}

export default {
  async fetch() {
    const events = [];
    const record = (event) => async (item) => { events.push([event, item.toJSON()]); };
    et.addTraceProcessor({
      onTraceStart: record('traceStart'),
      onTraceEnd: record('traceEnd'),
      onSpanStart: record('spanStart'),
      onSpanEnd: record('spanEnd'),
      forceFlush: async () => {},
      shutdown: async () => {},
    });
    await et.withTrace('global-scope', () => et.withFunctionSpan(async () => {}, { data: { name: 'f' } }));
    await et.forceFlush();
    return Response.json({ globalScopeError, events });
  },
};
