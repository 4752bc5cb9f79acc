// A tiny runtime-agnostic test harness (no node:test, no node:assert): the same suite runs in
// Node today and in Deno, Bun, workerd and Chromium through their own runners.

export class AssertionError extends Error {}

function show(value) {
  try {
    return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return String(value);
  }
}

export const assert = {
  ok(value, message = 'expected a truthy value') {
    if (!value) throw new AssertionError(`${message} (got ${show(value)})`);
  },
  equal(actual, expected, message = '') {
    if (!Object.is(actual, expected)) {
      throw new AssertionError(`${message} expected ${show(expected)}, got ${show(actual)}`.trim());
    }
  },
  /** Deep equality by canonical JSON text, key order included (the wire format cares). */
  jsonEqual(actual, expected, message = '') {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    if (a !== e) throw new AssertionError(`${message}\n  expected ${e}\n  got      ${a}`.trim());
  },
  match(text, pattern, message = '') {
    if (typeof text !== 'string' || !pattern.test(text)) {
      throw new AssertionError(`${message} expected ${show(text)} to match ${pattern}`.trim());
    }
  },
  throws(fn, ErrorType, messagePattern) {
    let caught;
    try {
      fn();
    } catch (error) {
      caught = error;
    }
    checkThrown(caught, ErrorType, messagePattern);
    return caught;
  },
  async rejects(promiseOrFn, ErrorType, messagePattern) {
    let caught;
    try {
      await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
    } catch (error) {
      caught = error;
    }
    checkThrown(caught, ErrorType, messagePattern);
    return caught;
  },
};

function checkThrown(caught, ErrorType, messagePattern) {
  if (caught === undefined) throw new AssertionError(`expected ${ErrorType?.name ?? 'an error'} to be thrown`);
  if (ErrorType && !(caught instanceof ErrorType)) {
    throw new AssertionError(`expected ${ErrorType.name}, got ${caught?.constructor?.name}: ${caught?.message}`);
  }
  if (messagePattern && !messagePattern.test(caught.message)) {
    throw new AssertionError(`error message ${show(caught.message)} does not match ${messagePattern}`);
  }
}

/** Collects tests; `run` executes them in order and reports. */
export function createSuite() {
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  async function run({ log = console.log, filter } = {}) {
    let passed = 0;
    let failed = 0;
    const failures = [];
    for (const { name, fn } of tests) {
      if (filter && !name.includes(filter)) continue;
      try {
        await fn();
        passed += 1;
      } catch (error) {
        failed += 1;
        failures.push(name);
        log(`FAIL ${name}\n  ${error?.stack ?? error}`);
      }
    }
    return { passed, failed, failures };
  }
  return { test, run };
}
