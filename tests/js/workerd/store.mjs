// A Worker with real KV and R2 bindings (miniflare's): a ProcessorChain whose TraceStores write
// each completed trace to KV (kvSink) and to R2 (r2Sink); GET / traces two runs, flushes, reads
// the traces back from both and answers what it found as JSON.
import * as et from 'edgetrace';
import { ProcessorChain, TraceStore, kvSink, r2Sink } from 'edgetrace/processors';

export default {
  async fetch(request, env) {
    const kvStore = new TraceStore({ sink: kvSink(env.TRACES, { prefix: 't/' }) });
    const r2Store = new TraceStore({ sink: r2Sink(env.BUCKET) });
    const items = [];
    const chain = new ProcessorChain([kvStore, r2Store, new et.BatchTraceProcessor({ export(batch) { items.push(...batch); } })]);
    et.setTraceProcessors([chain]);
    const ids = [];
    for (const name of ['first', 'second']) {
      await et.withTrace(name, async (trace) => {
        ids.push(trace.traceId);
        const span = et.createFunctionSpan({ data: { name: `${name}-tool`, input: 'x' } }, trace);
        span.start();
        span.end();
      });
    }
    await chain.forceFlush();
    const fromKv = await Promise.all(ids.map((id) => env.TRACES.get(`t/${id}`)));
    const fromR2 = await Promise.all(ids.map(async (id) => (await env.BUCKET.get(`traces/${id}.jsonl`))?.text()));
    const listed = (await env.TRACES.list({ prefix: 't/' })).keys.map((k) => k.name).sort();
    return Response.json({ ids, fromKv, fromR2, listed, exported: items.length, kv: kvStore.stats(), r2: r2Store.stats() });
  },
};
