// Argument checks: each throws a TypeError or RangeError that names the argument.

/** Longest string (in UTF-16 units) that may cross into wasm in one field: 8 Mi. */
export const MAX_FIELD_LENGTH = 8 * 1024 * 1024;

export function isObject(value) {
  return typeof value === 'object' && value !== null;
}

export function optionalObject(value, name) {
  if (value === undefined || value === null) return {};
  if (!isObject(value) || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${describe(value)}`);
  }
  return value;
}

export function optionalString(value, name) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${describe(value)}`);
  if (value.length > MAX_FIELD_LENGTH) {
    throw new RangeError(`${name} is too long (${value.length} > ${MAX_FIELD_LENGTH} characters)`);
  }
  return value;
}

export function optionalBoolean(value, name) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${describe(value)}`);
  return value;
}

export function requireFunction(value, name) {
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function, got ${describe(value)}`);
  return value;
}

export function optionalInteger(value, name, min) {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${describe(value)}`);
  }
  if (value < min || value > 0xffffffff) throw new RangeError(`${name} must be between ${min} and 4294967295, got ${value}`);
  return value;
}

export function optionalNumber(value, name, min, max) {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  }
  if (value < min || value > max) throw new RangeError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** `{timeoutMs?}` of forceFlush: undefined (no bound) or a number of milliseconds >= 0. */
export function flushTimeout(options, name) {
  const o = optionalObject(options, name);
  optionalBoolean(o.keepalive, `${name}.keepalive`);
  return optionalNumber(o.timeoutMs, `${name}.timeoutMs`, 0, 2147483647);
}

/** The `timeout` of a processor's `shutdown(timeout)`: undefined, or a number of milliseconds >= 0. */
export function checkShutdownTimeout(timeout) {
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout >= 0))) {
    throw new RangeError(`shutdown: timeout must be a number of milliseconds >= 0, got ${describe(timeout)}`);
  }
  return timeout;
}

/** Resolves when `promise` settles or after `timeoutMs` (undefined: no bound); never rejects. */
export function settleWithin(promise, timeoutMs) {
  const settled = promise.then(() => undefined, () => undefined);
  if (timeoutMs === undefined) return settled;
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs); });
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}

/** A short description of a value for error messages (never its contents). */
export function describe(value) {
  if (value === null) return 'null';
  if (Number.isNaN(value)) return 'NaN';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : type === 'undefined' ? 'undefined' : `a ${type}`;
}

/**
 * JSON text of `value` for crossing into wasm. Returns `undefined` if it cannot be serialized
 * (cycles, BigInt, a throwing getter or proxy) or is too long, with the reason in `failure`.
 */
export function toJsonText(value, failure) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    failure.reason = error instanceof Error ? error.message : String(error);
    return undefined;
  }
  if (text === undefined) {
    failure.reason = 'not JSON-serializable';
    return undefined;
  }
  if (text.length > MAX_FIELD_LENGTH) {
    failure.reason = `too long (${text.length} > ${MAX_FIELD_LENGTH} characters)`;
    return undefined;
  }
  return text;
}
