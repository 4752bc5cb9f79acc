// Time for spans. Within a trace, times come from the monotonic clock (`performance.now()`)
// anchored to the wall clock when the trace was created: durations never jump with wall-clock
// adjustments, and absolute times follow the wall clock trace by trace. A clock injected with
// `setTracingClock` replaces both (tests; runtimes with frozen clocks such as deployed Workers).

let injected = null;
// The monotonic clock, `{now()}` or null (none: Date.now()), chosen at the first trace: the
// runtime entry's, else `performance`. Not read at import: in Node the first read of
// `globalThis.performance` loads perf_hooks (~0.7 ms), so the Node entry gives process.hrtime.
let monotonic;
let runtimeMonotonic = null;

/** Installed by a runtime entry: its monotonic clock, `{now()}` in milliseconds. */
export function setRuntimeMonotonicClock(clock) {
  runtimeMonotonic = clock;
}

function monotonicClock() {
  if (monotonic === undefined) {
    monotonic = runtimeMonotonic ?? (typeof globalThis.performance?.now === 'function' ? globalThis.performance : null);
  }
  return monotonic;
}

/**
 * Makes every span time come from `clock()` (milliseconds since the epoch); `undefined` restores
 * the default. Ends are kept at or after starts, and children at or after their parents,
 * whatever the clock does.
 */
export function setTracingClock(clock) {
  if (clock !== undefined && clock !== null && typeof clock !== 'function') {
    throw new TypeError('setTracingClock: clock must be a function returning milliseconds since the epoch, or undefined');
  }
  injected = clock ?? null;
}

/** The anchor a new trace keeps: wall-clock time minus the monotonic reading. */
export function traceAnchor() {
  const clock = monotonicClock();
  return clock === null ? 0 : Date.now() - clock.now();
}

/** Now, for a span of a trace with `anchor`. */
export function spanTime(anchor) {
  if (injected !== null) return Number(injected());
  const clock = monotonicClock();
  return clock === null ? Date.now() : anchor + clock.now();
}
