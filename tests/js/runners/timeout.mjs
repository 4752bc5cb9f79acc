// The runners' guard against a stuck runtime: a promise, or a rejection naming what timed out.

/** `promise`, or a rejection naming `what` after `ms` (a runner never hangs on a stuck runtime). */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
