// Shared helpers for the conformance suite: recording processors and exporters.

export const TRACE_ID = /^trace_[0-9a-f]{32}$/;
export const SPAN_ID = /^span_[0-9a-f]{24}$/;
export const GROUP_ID = /^group_[0-9a-f]{24}$/;
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A JS processor that records every event as `[event, item JSON]`. */
export function recorder() {
  const events = [];
  const processor = {
    onTraceStart: async (trace) => { events.push(['traceStart', trace.toJSON()]); },
    onTraceEnd: async (trace) => { events.push(['traceEnd', trace.toJSON()]); },
    onSpanStart: async (span) => { events.push(['spanStart', span.toJSON()]); },
    onSpanEnd: async (span) => { events.push(['spanEnd', span.toJSON()]); },
    forceFlush: async () => { events.push(['forceFlush']); },
    shutdown: async () => { events.push(['shutdown']); },
  };
  return { processor, events, spans: () => events.filter((e) => e[0] === 'spanEnd').map((e) => e[1]) };
}

/** An exporter that keeps every item's JSON. */
export function collector() {
  const items = [];
  const exporter = { export(batch) { for (const item of batch) items.push(item.toJSON()); } };
  return { exporter, items };
}

/** A batch processor into a collecting exporter, registered as the only processor. */
export function useBatch(et, options) {
  const { exporter, items } = collector();
  const processor = new et.BatchTraceProcessor(exporter, options);
  et.setTraceProcessors([processor]);
  return { processor, items, flush: () => processor.forceFlush() };
}

/** Resets global switches a test may have changed. */
export function reset(et) {
  et.setTraceProcessors([]);
  et.setTracingDisabled(false);
  et.setTracingIncludeSensitiveData(true, true);
  et.setTracingIdGenerator(undefined);
  et.setTracingLogger(undefined, { level: 'silent' });
  et.setTracingClock(undefined);
}

export function byName(items, name) {
  return items.find((i) => i.span_data?.name === name);
}
