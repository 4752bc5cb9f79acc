// The current trace and span: one context storage seam. Runtimes with AsyncLocalStorage install
// it (the current span follows async code); elsewhere a synchronous stack is used, where the
// current span follows synchronous scopes and callers pass `parent` explicitly across awaits.

const STORAGE_KEY = Symbol.for('edgetrace.contextStorage');

function isPromiseLike(value) {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof value.then === 'function';
}

/** The fallback storage: a stack of stores, restored when a scope's result settles. */
export class SyncStackStorage {
  #current = undefined;
  run(store, callback) {
    const previous = this.#current;
    this.#current = store;
    let restoreNow = true;
    try {
      const result = callback();
      if (isPromiseLike(result)) {
        restoreNow = false;
        return Promise.resolve(result).finally(() => { this.#current = previous; });
      }
      return result;
    } finally {
      if (restoreNow) this.#current = previous;
    }
  }
  getStore() {
    return this.#current;
  }
}

let defaultStorage = null;

/** Installed by runtime entries that have AsyncLocalStorage. */
export function setDefaultContextStorage(storageFactory) {
  defaultStorage = storageFactory;
}

function storage() {
  let current = globalThis[STORAGE_KEY];
  if (current === undefined) {
    current = typeof defaultStorage === 'function' ? defaultStorage() : new SyncStackStorage();
    try {
      Object.defineProperty(globalThis, STORAGE_KEY, { value: current, writable: true, configurable: true });
    } catch {
      defaultStorage = () => current;
    }
  }
  return current;
}

/**
 * Plugs in a custom context storage (`{run, getStore}`, e.g. an AsyncLocalStorage; `enterWith`
 * is never called); `undefined` restores the default for this runtime.
 */
export function setTracingContextStorage(custom) {
  if (custom !== undefined) {
    for (const method of ['run', 'getStore']) {
      if (typeof custom?.[method] !== 'function') {
        throw new TypeError(`setTracingContextStorage: storage.${method} must be a function`);
      }
    }
  }
  try {
    if (custom === undefined) delete globalThis[STORAGE_KEY];
    else Object.defineProperty(globalThis, STORAGE_KEY, { value: custom, writable: true, configurable: true });
  } catch {
    defaultStorage = () => custom;
  }
}

function activeStore() {
  const store = storage().getStore();
  return store?.active === true ? store : undefined;
}

export function getCurrentTrace() {
  return activeStore()?.trace ?? null;
}

export function getCurrentSpan() {
  return activeStore()?.span ?? null;
}

export function getCurrentTraceContext() {
  const store = activeStore();
  if (!store?.trace) return null;
  return store.span ? { trace: store.trace, span: store.span } : { trace: store.trace };
}

/** Runs `fn` with `store` as the context, restoring the previous one when `fn`'s result settles. */
export function runWithStore(store, fn) {
  return storage().run(store, fn);
}

/** Runs `fn` with `context` (`{trace, span?}`) as current; `null` runs it with no trace. */
export function withTraceContext(context, fn) {
  if (typeof fn !== 'function') throw new TypeError('withTraceContext: fn must be a function');
  if (context !== null && context !== undefined && (typeof context !== 'object' || typeof context.trace !== 'object')) {
    throw new TypeError('withTraceContext: context must be {trace, span?}, null or undefined');
  }
  const store = context
    ? { trace: context.trace, span: context.span ?? undefined, previousSpan: context.span?.previousSpan, active: true }
    : { active: false };
  return runWithStore(store, fn);
}

/** A copy of the active store (what `withXSpan` runs in, so it never leaks its span). */
export function forkActiveStore(span) {
  const store = activeStore();
  if (!store) return undefined;
  return { trace: store.trace, span, previousSpan: store.span, active: true };
}

/**
 * Makes `span` the current span of the active context. The store is changed in place: it is the
 * one the storage already holds for this async context, so nothing needs entering.
 */
export function setCurrentSpan(span) {
  if (typeof span !== 'object' || span === null || typeof span.spanId !== 'string') {
    throw new TypeError('setCurrentSpan: span must be a Span made by edgetrace');
  }
  const store = activeStore();
  // The SDK's message, word for word.
  if (!store) throw new Error('No existing trace found');
  if (store.span) {
    store.span.previousSpan = store.previousSpan;
    store.previousSpan = store.span;
  }
  span.previousSpan = store.span ?? store.previousSpan;
  store.span = span;
}

/** Restores the span that was current before the last `setCurrentSpan`. */
export function resetCurrentSpan() {
  const store = activeStore();
  if (store) {
    store.span = store.previousSpan;
    store.previousSpan = store.previousSpan?.previousSpan;
  }
}
