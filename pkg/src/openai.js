// OpenAITracingExporter: POSTs the ingest body the core built to the traces endpoint with
// `fetch`, with the JS SDK's headers, and retries as the SDK does (the core decides each retry
// and its wait; this file only makes requests and sleeps). Every body it sends is under the
// ingest rules, whichever way it was called (the core applies them). Failures never throw into
// user code: they are logged and reported to the caller, which counts them.
import { wasm, checked, outputText, outputBytes, scratchWords } from './wasm.js';
import { itemBytes, ingestBody } from './items.js';
import { INGEST_LIMITS, EXPORT_BUDGET } from './batch.js';
import { logger } from './logger.js';
import { optionalObject, optionalString, optionalInteger, optionalNumber, describe } from './validate.js';
import {
  RETRY_DEFAULTS, RETRY_ANSWER_DONE as DONE, RETRY_ANSWER_CLIENT_ERROR as CLIENT_ERROR,
  RETRY_ANSWER_RETRY_FORBIDDEN as RETRY_FORBIDDEN, ATTEMPT_DELIVERED as DELIVERED,
  ATTEMPT_STATUS as STATUS, ATTEMPT_NO_ANSWER as NO_ANSWER,
} from '../wasm/abi.js';

const DEFAULT_ENDPOINT = 'https://api.openai.com/v1/traces/ingest';
const USER_AGENT = 'edgetrace/0.1.0';
const LONGEST_MS = 2 ** 31 - 1;

/** `Number()` of a header's trimmed text, as the SDK reads it; NaN when absent or empty. */
function headerNumber(text) {
  const trimmed = text?.trim();
  return trimmed ? Number(trimmed) : NaN;
}

function checkHeaders(headers) {
  const checked = optionalObject(headers, 'options.headers');
  for (const [name, value] of Object.entries(checked)) {
    if (typeof value !== 'string') throw new TypeError(`options.headers['${name}'] must be a string, got ${describe(value)}`);
  }
  return checked;
}

function checkEndpoint(endpoint) {
  const text = optionalString(endpoint, 'options.endpoint') ?? DEFAULT_ENDPOINT;
  try {
    new URL(text);
  } catch {
    throw new TypeError(`options.endpoint must be an absolute URL, got ${JSON.stringify(text.slice(0, 200))}`);
  }
  return text;
}

/** Waits `ms`; false if `signal` aborted first. */
function sleep(ms, signal) {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function requestSignal(timeoutMs, signal) {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal && typeof AbortSignal.any === 'function' ? AbortSignal.any([signal, timeout]) : timeout;
}

export class OpenAITracingExporter {
  /**
   * Options as in @openai/agents-openai (`apiKey`, `organization`, `project`, `endpoint`,
   * `maxRetries`, `baseDelay`, `maxDelay`), plus `timeout` (ms per request, default 60000),
   * `headers` (extra request headers) and `fetch` (a fetch to use instead of the global one).
   */
  constructor(options) {
    const o = optionalObject(options, 'OpenAITracingExporter: options');
    this._apiKey = optionalString(o.apiKey, 'options.apiKey');
    this._organization = optionalString(o.organization, 'options.organization') ?? '';
    this._project = optionalString(o.project, 'options.project') ?? '';
    this._endpoint = checkEndpoint(o.endpoint);
    this._maxRetries = optionalInteger(o.maxRetries, 'options.maxRetries', 1) ?? RETRY_DEFAULTS.maxRetries;
    this._baseDelay = optionalNumber(o.baseDelay, 'options.baseDelay', 0, LONGEST_MS) ?? RETRY_DEFAULTS.baseDelay;
    this._maxDelay = optionalNumber(o.maxDelay, 'options.maxDelay', 0, LONGEST_MS) ?? RETRY_DEFAULTS.maxDelay;
    this._timeout = optionalNumber(o.timeout, 'options.timeout', 1, LONGEST_MS) ?? 60000;
    this._headers = checkHeaders(o.headers);
    if (o.fetch !== undefined && typeof o.fetch !== 'function') {
      throw new TypeError(`options.fetch must be a function, got ${describe(o.fetch)}`);
    }
    this._fetch = o.fetch;
    checked(wasm().retry_check(this._maxRetries, this._baseDelay, this._maxDelay));
    this._warnedNoKey = false;
    this._omitReasoning = this._endpoint.replace(/\/$/, '') === DEFAULT_ENDPOINT;
    this._stats = {
      requests: 0, delivered: 0, retried: 0, failed: 0, truncated: 0, flattened: 0, fieldsDropped: 0, itemsDropped: 0,
    };
  }

  /**
   * Batch processors shape items by the ingest endpoint's rules for it; for the official
   * endpoint also without generation reasoning (as the SDK's exporter).
   */
  get [INGEST_LIMITS]() {
    return { omitReasoning: this._omitReasoning };
  }

  /**
   * How long one export may take, retries included: a BatchTraceProcessor's default
   * `exportTimeout` for this exporter.
   */
  get [EXPORT_BUDGET]() {
    return checked(wasm().retry_budget(this._maxRetries, this._baseDelay, this._maxDelay, this._timeout));
  }

  /**
   * Counters: `requests` made, bodies `delivered`, `retried` attempts, bodies `failed`; and what
   * making the bodies of items handed over directly took: span fields `truncated` and metadata
   * values `flattened` by the ingest rules, fields dropped because JSON cannot hold them
   * (`fieldsDropped`), items with nothing to send (`itemsDropped`).
   */
  stats() {
    return { ...this._stats };
  }

  /**
   * Sends an ingest body `{"data":[...]}` as UTF-8 bytes (what BatchTraceProcessor hands over):
   * under the ingest rules, which the core applies unless the processor's queue already did.
   * Resolves true when the endpoint took it, false when it was not delivered (the reason is
   * logged). Never rejects.
   */
  async exportBody(body, info, signal) {
    try {
      return await this._export(this._underRules(body, info?.[INGEST_LIMITS]), info, signal);
    } catch (error) {
      logger.error('OpenAITracingExporter: export failed:', error);
      this._stats.failed += 1;
      return false;
    }
  }

  /** `body` under the ingest rules (`applied`: what a batch queue applied to it already). */
  _underRules(body, applied) {
    if (applied !== undefined && (applied.omitReasoning || !this._omitReasoning)) return body;
    if (!(body instanceof Uint8Array)) throw new TypeError(`exportBody: body must be a Uint8Array, got ${describe(body)}`);
    const changed = checked(wasm().ingest_rules(body, this._omitReasoning));
    const [truncated, flattened] = scratchWords();
    this._stats.truncated += truncated;
    this._stats.flattened += flattened;
    return changed === 1 ? outputBytes() : body;
  }

  async _export(body, info, signal) {
    // A trace's own key (tracingApiKey) wins, as in the SDK, then the option, then the default.
    const key = info?.apiKey ?? this._apiKey ?? (wasm().export_api_key() ? outputText() : undefined);
    if (!key) {
      if (!this._warnedNoKey) {
        this._warnedNoKey = true;
        logger.warn('OpenAITracingExporter: no API key (the apiKey option, setTracingExportApiKey() or OPENAI_API_KEY); traces are not exported');
      }
      this._stats.failed += 1;
      return false;
    }
    const delivered = await this._send(body, key, signal, info?.keepalive === true);
    this._stats[delivered ? 'delivered' : 'failed'] += 1;
    return delivered;
  }

  /**
   * The SDK's exporter interface: items with `toJSON()` (the SDK's Span/Trace objects or
   * edgetrace's), sent under the ingest rules in one request per trace key, as the SDK sends
   * them. What JSON cannot hold outside span input/output is dropped and counted (`stats()`),
   * where the SDK's exporter would throw. Resolves true when everything was delivered, else
   * false. Never rejects.
   */
  async export(items, signal) {
    try {
      const groups = new Map();
      for (const item of items) {
        const bytes = itemBytes(item, this._stats);
        if (bytes === undefined) continue;
        let apiKey;
        try {
          apiKey = item.tracingApiKey;
        } catch {
          apiKey = undefined;
        }
        const group = groups.get(apiKey) ?? [];
        group.push(bytes);
        groups.set(apiKey, group);
      }
      let delivered = true;
      for (const [apiKey, parts] of groups) {
        const info = { items: parts.length };
        if (apiKey !== undefined) info.apiKey = apiKey;
        delivered = (await this.exportBody(ingestBody(parts), info, signal)) && delivered;
      }
      return delivered;
    } catch (error) {
      logger.error('OpenAITracingExporter: export failed:', error);
      this._stats.failed += 1;
      return false;
    }
  }

  _requestHeaders(key) {
    const headers = {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${key}`,
      'OpenAI-Beta': 'traces=v1',
      'User-Agent': USER_AGENT,
    };
    if (this._organization) headers['OpenAI-Organization'] = this._organization;
    if (this._project) headers['OpenAI-Project'] = this._project;
    return { ...headers, ...this._headers };
  }

  /** One request: the core's outcome code, and the response when there was one. */
  async _attempt(body, key, signal, keepalive) {
    this._stats.requests += 1;
    try {
      const fetchFn = this._fetch ?? globalThis.fetch;
      const init = { method: 'POST', headers: this._requestHeaders(key), body, signal: requestSignal(this._timeout, signal) };
      // A page going away: the request outlives it (no retries: nothing runs after it).
      if (keepalive) init.keepalive = true;
      const response = await fetchFn(this._endpoint, init);
      return { outcome: response.ok ? DELIVERED : STATUS, response };
    } catch (error) {
      logger.warn(`OpenAITracingExporter: request failed (${error?.name ?? 'Error'}: ${error?.message ?? error})`);
      return { outcome: NO_ANSWER, response: undefined };
    }
  }

  async _send(body, key, signal, keepalive) {
    const w = wasm();
    const handle = checked(w.retry_begin(keepalive ? 1 : this._maxRetries, this._baseDelay, this._maxDelay));
    try {
      for (;;) {
        const { outcome, response } = await this._attempt(body, key, signal, keepalive);
        const headers = response?.headers;
        const retryAfter = headers?.get('retry-after')?.trim() || undefined;
        const next = checked(w.retry_next(handle, outcome, response?.status ?? 0,
          headers?.get('x-should-retry') ?? undefined, headerNumber(headers?.get('retry-after-ms')),
          headerNumber(retryAfter), retryAfter, Date.now(), Math.random()));
        if (next === DONE) {
          await response.body?.cancel().catch(() => {});
          return true;
        }
        if (next === CLIENT_ERROR) {
          const text = await response.text().catch(() => '(unreadable)');
          logger.error(`OpenAITracingExporter: client error ${response.status}, not retried: ${text.slice(0, 500)}`);
          return false;
        }
        await response?.body?.cancel().catch(() => {});
        if (next === RETRY_FORBIDDEN) {
          logger.error(`OpenAITracingExporter: server error ${response.status} and x-should-retry: false, not retried`);
          return false;
        }
        if (next < 0) {
          logger.error(`OpenAITracingExporter: failed to export traces after ${this._maxRetries} attempts`);
          return false;
        }
        this._stats.retried += 1;
        if (!(await sleep(next, signal))) {
          logger.error('OpenAITracingExporter: export aborted');
          return false;
        }
      }
    } finally {
      w.retry_end(handle);
    }
  }
}
