// The package imported at a Worker's global scope, and nothing else there. Workers forbid timers,
// random values and I/O at global scope, so if importing the entry did any of them the Worker
// would fail to start. GET / then runs one trace with one span (ids are seeded there, inside the
// handler) and answers what a recording processor saw, as JSON.
import * as et from 'edgetrace';

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
    return Response.json(events);
  },
};
