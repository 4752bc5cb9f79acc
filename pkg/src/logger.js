// The logger hook: every message the library prints goes through here, at a level.
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function consoleLogger() {
  return {
    debug: (...args) => console.debug('[edgetrace]', ...args),
    info: (...args) => console.info('[edgetrace]', ...args),
    warn: (...args) => console.warn('[edgetrace]', ...args),
    error: (...args) => console.error('[edgetrace]', ...args),
  };
}

let sink = consoleLogger();
let threshold = LEVELS.warn;

/**
 * Routes the library's messages to `logger` (any of debug/info/warn/error; missing ones are
 * dropped) at `level` and above. `setTracingLogger(undefined)` restores the console.
 */
export function setTracingLogger(logger, options) {
  if (options !== undefined && options !== null && typeof options !== 'object') {
    throw new TypeError('setTracingLogger: options must be {level?} when given');
  }
  const level = options?.level ?? 'warn';
  if (logger !== undefined && logger !== null && typeof logger !== 'object') {
    throw new TypeError('setTracingLogger: logger must be an object with debug/info/warn/error methods, or undefined');
  }
  if (!Object.hasOwn(LEVELS, level)) {
    throw new RangeError(`setTracingLogger: level must be one of ${Object.keys(LEVELS).join(', ')}`);
  }
  sink = logger ?? consoleLogger();
  threshold = LEVELS[level];
}

function emit(level, args) {
  if (LEVELS[level] < threshold) return;
  try {
    const method = sink[level];
    if (typeof method === 'function') method.apply(sink, args);
  } catch {
    // A logger that throws must not break tracing.
  }
}

export const logger = {
  debug: (...args) => emit('debug', args),
  info: (...args) => emit('info', args),
  warn: (...args) => emit('warn', args),
  error: (...args) => emit('error', args),
};
