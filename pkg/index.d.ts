// Type declarations for edgetrace: the tracing API of @openai/agents-core (names, shapes and
// generics as in its dist/tracing/*.d.ts), with the core in Rust/wasm.

/** Makes every property optional, recursively (as agents-core's `DeepPartial`). */
type DeepPartial<T> = {
  [P in keyof T]?: T[P] extends object ? DeepPartial<T[P]> : T[P];
};

type SpanDataBase = {
  type: string;
};

// ---------------------------------------------------------------------------------------------
// Span data
// ---------------------------------------------------------------------------------------------

/** Data of an agent span (`type: 'agent'`). `name` defaults to `'Agent'`. */
export type AgentSpanData = SpanDataBase & {
  type: 'agent';
  name: string;
  handoffs?: string[];
  tools?: string[];
  output_type?: string;
};

/** Token usage of one turn. */
export type TurnUsageData = {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
};

/** Token usage of a whole task (one top-level run). */
export type TaskUsageData = TurnUsageData & {
  requests: number;
  total_tokens: number;
};

/**
 * Data of a task span (one top-level run), exported as a `custom` span with
 * `data.sdk_span_type: 'task'`. `name` defaults to `'Agent workflow'`.
 */
export type TaskSpanData = SpanDataBase & {
  type: 'task';
  name: string;
  usage?: TaskUsageData;
};

/** Data of a turn span (one agent loop iteration), exported as `custom` with `sdk_span_type: 'turn'`. */
export type TurnSpanData = SpanDataBase & {
  type: 'turn';
  turn: number;
  agent_name: string;
  usage?: TurnUsageData;
};

/**
 * Data of a function (tool call) span. `input` and `output` default to `''`; both become `''`
 * when sensitive data is excluded.
 */
export type FunctionSpanData = SpanDataBase & {
  type: 'function';
  name: string;
  input: string;
  output: string;
  mcp_data?: string;
};

/** Usage of a generation: kept as given (exporters map it to their backend). */
export type GenerationUsageData = {
  input_tokens?: number;
  output_tokens?: number;
  details?: Record<string, unknown> | null;
  [key: string]: unknown;
};

/** Data of a generation span; `input`/`output` are omitted when sensitive data is excluded. */
export type GenerationSpanData = SpanDataBase & {
  type: 'generation';
  input?: Array<Record<string, any>>;
  output?: Array<Record<string, any>>;
  model?: string;
  model_config?: Record<string, any>;
  /**
   * Usage fields are intentionally flexible, as in agents-core: exporters are responsible for
   * backend-specific mapping and validation.
   */
  usage?: GenerationUsageData;
};

/** Data of a response span: the model response id. Keys starting with `_` are never exported. */
export type ResponseSpanData = SpanDataBase & {
  type: 'response';
  response_id?: string;
  /** Not exported (private field); useful for other tracing providers. */
  _input?: string | Record<string, any>[];
  /** Not exported (private field); omitted when sensitive data is excluded. */
  _response?: Record<string, any>;
};

/** Data of a handoff span. */
export type HandoffSpanData = SpanDataBase & {
  type: 'handoff';
  from_agent?: string;
  to_agent?: string;
};

/** Data of a custom span; `data` defaults to `{}`. */
export type CustomSpanData = SpanDataBase & {
  type: 'custom';
  name: string;
  data: Record<string, any>;
};

/** Data of a guardrail span; `triggered` defaults to `false`. */
export type GuardrailSpanData = SpanDataBase & {
  type: 'guardrail';
  name: string;
  triggered: boolean;
};

/** Data of a transcription (speech to text) span; the audio follows `includeSensitiveAudioData`. */
export type TranscriptionSpanData = SpanDataBase & {
  type: 'transcription';
  input: {
    data: string;
    format: 'pcm' | (string & {});
  };
  output?: string;
  model?: string;
  model_config?: Record<string, any>;
};

/** Data of a speech (text to speech) span; the audio follows `includeSensitiveAudioData`. */
export type SpeechSpanData = SpanDataBase & {
  type: 'speech';
  input?: string;
  output: {
    data: string;
    format: 'pcm' | (string & {});
  };
  model?: string;
  model_config?: Record<string, any>;
};

/** Data of a speech group span (groups speech spans). */
export type SpeechGroupSpanData = SpanDataBase & {
  type: 'speech_group';
  input?: string;
};

/** Data of an MCP list-tools span (`type: 'mcp_tools'`). */
export type MCPListToolsSpanData = SpanDataBase & {
  type: 'mcp_tools';
  server?: string;
  result?: string[];
};

/** The data of any span; `type` selects the kind. */
export type SpanData =
  | AgentSpanData
  | TaskSpanData
  | TurnSpanData
  | FunctionSpanData
  | GenerationSpanData
  | ResponseSpanData
  | HandoffSpanData
  | CustomSpanData
  | GuardrailSpanData
  | TranscriptionSpanData
  | SpeechSpanData
  | SpeechGroupSpanData
  | MCPListToolsSpanData;

/** An error recorded on a span: exported as `error: {message, data}`. */
export type SpanError = {
  message: string;
  data?: Record<string, any>;
};

// ---------------------------------------------------------------------------------------------
// Options and JSON shapes
// ---------------------------------------------------------------------------------------------

/**
 * Options of `createTrace` / `withTrace` / `getOrCreateTrace`. Wrong types throw a TypeError,
 * strings over 8 Mi characters a RangeError.
 */
export type TraceOptions = {
  /** `trace_` + 32 lowercase hex digits (TypeError otherwise). Default: generated. */
  traceId?: string;
  /** The workflow name. Default: `'Agent workflow'`. */
  name?: string;
  /** Links the traces of one conversation. Default: none (`null`). */
  groupId?: string | null;
  /** A JSON-serializable object (TypeError otherwise). Default: `{}`. */
  metadata?: Record<string, any>;
  /** The key exporters use for this trace's items. */
  tracingApiKey?: string;
  /** `true` gives a `NoopTrace`: nothing is recorded, user code runs unchanged. Default: false. */
  disabled?: boolean;
  /** Whether spans of this trace record model and tool data. Default: the global setting. */
  includeSensitiveData?: boolean;
  /** Whether voice spans of this trace record audio. Default: the global setting. */
  includeSensitiveAudioData?: boolean;
  /**
   * edgetrace: samplers in a `ProcessorChain` (`edgetrace/processors`) keep (`true`) or drop
   * (`false`) this trace whatever their rules say. Default: their rules decide.
   */
  sampled?: boolean;
  /** edgetrace: Redactors in a `ProcessorChain` hide this trace's span inputs. Default: false. */
  hideInputs?: boolean;
  /** edgetrace: Redactors in a `ProcessorChain` hide this trace's span outputs. Default: false. */
  hideOutputs?: boolean;
};

/**
 * Options of `TraceProvider.createSpan` (and, deep-partial, of the `createXSpan` factories).
 * Wrong types throw a TypeError.
 */
export type CreateSpanOptions<TData extends SpanData> = {
  /** The span data; read (serialized) when the span ends, so it may be changed until then. */
  data: TData;
  /** `span_` + 24 lowercase hex digits (TypeError otherwise); `'no-op'` gives a NoopSpan. */
  spanId?: string;
  /** ISO 8601 start time (RangeError if unparsable); `start()` then keeps it and warns. */
  startedAt?: string;
  /** ISO 8601 end time (RangeError if unparsable); `end()` then does nothing (use `dispatchSpanEnd`). */
  endedAt?: string;
  /** An error to record from the start (`{message: string, data?: object}`, TypeError otherwise). */
  error?: SpanError;
  /** `true` gives a NoopSpan. Default: false. */
  disabled?: boolean;
  /** Accepted for agents-core compatibility and ignored: the trace comes from the parent. */
  traceId?: string;
  /** Accepted for agents-core compatibility and ignored: the parent span gives it. */
  parentId?: string;
  /** Accepted for agents-core compatibility and ignored: spans carry their trace's metadata. */
  traceMetadata?: Record<string, any>;
  /** Accepted for agents-core compatibility and ignored: spans carry their trace's key. */
  tracingApiKey?: string;
};

/** A trace as exported (`{object: 'trace', ...}`), from `Trace.toJSON()` or `ExportedItem.toJSON()`. */
export type TraceJSON = {
  object: 'trace';
  id: string;
  workflow_name: string;
  group_id: string | null;
  metadata: Record<string, any>;
  /** Present only with `toJSON({includeTracingApiKey: true})` on a trace that has a key. */
  tracing_api_key?: string;
};

/** A span as exported (`{object: 'trace.span', ...}`), from `Span.toJSON()` or `ExportedItem.toJSON()`. */
export type SpanJSON = {
  object: 'trace.span';
  id: string;
  trace_id: string;
  parent_id: string | null;
  started_at: string | null;
  ended_at: string | null;
  /** The exported data: private `_` keys removed, task/turn spans as `custom`. */
  span_data: { type: string; [key: string]: any };
  error: SpanError | null;
};

// ---------------------------------------------------------------------------------------------
// Spans and traces
// ---------------------------------------------------------------------------------------------

/**
 * A recorded span. Made by the `createXSpan` / `withXSpan` factories or
 * `getGlobalTraceProvider().createSpan()`; the constructor is internal.
 */
export declare class Span<TData extends SpanData> {
  #private;
  private constructor();
  /** Always `'trace.span'`. */
  get type(): 'trace.span';
  /** The id of the span's trace. */
  get traceId(): string;
  /** `span_` + 24 hex (generated on first read unless given). */
  get spanId(): string;
  /** The parent span's id, or `null` for a top-level span. */
  get parentId(): string | null;
  /** The span data object; mutable until `end()`, which reads it. */
  get spanData(): TData;
  /** The metadata of the span's trace. */
  get traceMetadata(): Record<string, any>;
  /** The tracing API key of the span's trace, if any. */
  get tracingApiKey(): string | undefined;
  /** The recorded error, or `null`. */
  get error(): SpanError | null;
  /** ISO 8601 start time, or `null` before `start()`. */
  get startedAt(): string | null;
  /** ISO 8601 end time, or `null` before `end()`. */
  get endedAt(): string | null;
  /** The span that was current before this one was made current (`setCurrentSpan`). */
  previousSpan: Span<any> | NoopSpan<any> | undefined;
  /** Starts the span (a child never starts before its parent); a second call only warns. */
  start(): void;
  /** Ends and records the span; a second call does nothing. Never throws (unserializable data is dropped with a warning). */
  end(): void;
  /** Records an error (overwrites any earlier one). Throws a TypeError unless `{message: string, data?: object}`. */
  setError(error: SpanError): void;
  /** Returns this span itself (edgetrace spans are shared, not copied). */
  clone(): Span<TData>;
  /** The span as exported (`{object: 'trace.span', id, trace_id, ...}`). */
  toJSON(): SpanJSON;
}

/**
 * The span of a disabled or absent trace: records nothing, runs user code unchanged. Not a
 * subclass of `Span` (`instanceof Span` is false); its ids are `'no-op'`.
 */
export declare class NoopSpan<TData extends SpanData> {
  #private;
  private constructor();
  /** Always `'trace.span'`. */
  get type(): 'trace.span';
  /** Always `'no-op'`. */
  get traceId(): string;
  /** Always `'no-op'`. */
  get spanId(): string;
  /** Always `null`. */
  get parentId(): null;
  /** The data the span was made with (defaults applied). */
  get spanData(): TData;
  /** Always `undefined`. */
  get traceMetadata(): undefined;
  /** Always `undefined`. */
  get tracingApiKey(): undefined;
  /** Always `null`. */
  get error(): null;
  /** Always `null`. */
  get startedAt(): null;
  /** Always `null`. */
  get endedAt(): null;
  /** As on `Span`. */
  previousSpan: Span<any> | NoopSpan<any> | undefined;
  /** Does nothing. */
  start(): void;
  /** Does nothing. */
  end(): void;
  /** Does nothing. */
  setError(error?: SpanError): void;
  /** Returns this span itself. */
  clone(): NoopSpan<TData>;
  /** Always `null`. */
  toJSON(): null;
}

/**
 * A recorded trace. Made by `withTrace` / `getOrCreateTrace` or
 * `getGlobalTraceProvider().createTrace()`; the constructor is internal.
 */
export declare class Trace {
  #private;
  private constructor();
  /** Always `'trace'`. */
  get type(): 'trace';
  /** `trace_` + 32 hex (generated on first read unless given). */
  get traceId(): string;
  /** The workflow name (default `'Agent workflow'`); read when the trace starts. */
  name: string;
  /** The group id, or `null`. */
  groupId: string | null;
  /** The metadata (default `{}`); must stay a JSON-serializable object. */
  metadata: Record<string, any>;
  /** The key exporters use for this trace's items, if any. */
  tracingApiKey: string | undefined;
  /** Starts the trace: processors see it (JS processors are awaited, each isolated). Idempotent; never rejects. */
  start(): Promise<void>;
  /** Ends the trace (only if started). Never rejects. */
  end(): Promise<void>;
  /** Returns this trace itself (edgetrace traces are shared, not copied). */
  clone(): Trace;
  /**
   * The trace as exported. `includeTracingApiKey: true` adds `tracing_api_key` (default false, so
   * secrets do not leak into logs or persisted state).
   */
  toJSON(options?: { includeTracingApiKey?: boolean }): TraceJSON;
}

/**
 * The trace of disabled tracing: spans under it are no-ops, user code runs unchanged. Not a
 * subclass of `Trace` (`instanceof Trace` is false); its id is `'no-op'`.
 */
export declare class NoopTrace {
  #private;
  private constructor();
  /** Always `'trace'`. */
  get type(): 'trace';
  /** Always `'no-op'`. */
  get traceId(): string;
  /** `'no-op'`. */
  name: string;
  /** `null`. */
  groupId: string | null;
  /** `{}`. */
  metadata: Record<string, any>;
  /** `undefined`. */
  tracingApiKey: string | undefined;
  /** Does nothing. */
  start(): Promise<void>;
  /** Does nothing. */
  end(): Promise<void>;
  /** Returns this trace itself. */
  clone(): NoopTrace;
  /** Always `null`. */
  toJSON(options?: { includeTracingApiKey?: boolean }): null;
}

// ---------------------------------------------------------------------------------------------
// Processors and exporters
// ---------------------------------------------------------------------------------------------

/**
 * Receives traces and spans. Every method is optional and may return a promise. A processor
 * that throws or rejects is logged and isolated: the others still run, user code never sees it.
 */
export interface TracingProcessor {
  /** Starts a background export loop, if the processor has one (`startTraceExportLoop`). */
  start?(): void;
  /** Called when a trace starts (awaited by `Trace.start()`). */
  onTraceStart?(trace: Trace): void | Promise<void>;
  /** Called when a trace ends (awaited by `Trace.end()`). */
  onTraceEnd?(trace: Trace): void | Promise<void>;
  /** Called when a span starts (not awaited). */
  onSpanStart?(span: Span<any>): void | Promise<void>;
  /** Called when a span ends, with its final data (not awaited). */
  onSpanEnd?(span: Span<any>): void | Promise<void>;
  /** Called by `forceFlush()`: export everything buffered. */
  forceFlush?(): void | Promise<void>;
  /** Called by `getGlobalTraceProvider().shutdown(timeout)` or when replaced by `setTraceProcessors`. */
  shutdown?(timeout?: number): void | Promise<void>;
}

/** Receives batches of items from a `BatchTraceProcessor`. */
export interface TracingExporter {
  /**
   * Exports the given traces and spans. A throw or rejection is logged and counted as
   * `failed`; the batch is dropped. `signal` is aborted when the export outlives the
   * processor's `exportTimeout` (or a `shutdown(timeout)` bound): stop then. It is passed to an
   * `export` function that declares it (a second parameter); others get `undefined`.
   */
  export(items: ExportedItem[], signal?: AbortSignal): Promise<void | boolean> | void | boolean;
}

/**
 * Receives each batch of a `BatchTraceProcessor` as the ready-made ingest body
 * `{"data":[...]}` (UTF-8 JSON bytes built in the core), e.g. to hand straight to `fetch`.
 */
export interface BodyExporter {
  /**
   * Exports one body of `info.items` items, all of traces with the export key `info.apiKey` when
   * they have their own (`tracingApiKey`). Resolving `false` means "not delivered, reason already
   * logged": the items count as `failed`. A throw or rejection is logged and counted as `failed`.
   * `signal`: as for `TracingExporter.export` (passed when `exportBody` declares a third parameter).
   */
  exportBody(body: Uint8Array<ArrayBuffer>, info: { items: number; apiKey?: string; keepalive?: boolean }, signal?: AbortSignal): Promise<void | boolean> | void | boolean;
}

/** Options of `BatchTraceProcessor`: integers/numbers, TypeError for other types, RangeError out of range. */
export type BatchTraceProcessorOptions = {
  /** Items the queue holds before dropping new ones (integer >= 1). Default: 1000. */
  maxQueueSize?: number;
  /** Items per scheduled export (integer >= 1). Default: 100. */
  maxBatchSize?: number;
  /** Delay of the export loop in milliseconds (0 to 2147483647). Default: 5000. */
  scheduleDelay?: number;
  /** Queue fill ratio (0 exclusive to 1) that triggers an immediate export. Default: 0.8. */
  exportTriggerRatio?: number;
  /**
   * Milliseconds one export may take (1 to 2147483647): then its items count as `failed` and
   * `timedOut`, its signal is aborted and the next export may start. Default: the exporter's own
   * budget when it declares one (`OpenAITracingExporter`: every attempt timing out with the
   * longest waits between, plus a second: 243,000 with its defaults), else 30000.
   */
  exportTimeout?: number;
  /**
   * Exports that timed out and never settled (an exporter ignoring its signal), at most, before
   * batches are dropped (counted) instead of exported (integer >= 0). Default: 2.
   */
  maxAbandonedExports?: number;
};

/**
 * Counters of a `BatchTraceProcessor`. Every item is in exactly one of `pending`, `inFlight`,
 * `exported`, `failed` and `dropped`, at any time: they add up to `queued`.
 */
export type BatchTraceProcessorStats = {
  /** Items handed to the processor (dropped ones included). */
  queued: number;
  /** Items never exported: the queue was full, the processor was shut down, or too many exports timed out. */
  dropped: number;
  /** Items the exporter delivered. */
  exported: number;
  /** Items not delivered: the exporter gave up (resolved `false`), threw, rejected, or the export timed out. */
  failed: number;
  /** Items waiting in the queue. */
  pending: number;
  /** Items in the export in flight (one at a time). */
  inFlight: number;
  /** Of `dropped`: items offered after `shutdown()`. */
  refused: number;
  /** Of `failed`: items of exports that outlived `exportTimeout`. */
  timedOut: number;
  /** Attempts the exporter retried, when it counts them (`OpenAITracingExporter` does). */
  retried: number;
  /** For the OpenAI exporter: span input/output fields cut to the ingest endpoint's 100 KB limit. */
  truncated: number;
  /** For the OpenAI exporter: trace metadata values JSON-encoded to strings. */
  flattened: number;
};

/**
 * A queued trace or span as a `TracingExporter` receives it: its `type`, ids and `toJSON()`
 * (decoded on first read). Made by `BatchTraceProcessor` only.
 */
export declare class ExportedItem {
  private constructor();
  /** `'trace'` or `'trace.span'`. */
  readonly type: 'trace' | 'trace.span';
  /** The item as exported. */
  toJSON(): TraceJSON | SpanJSON;
  /** The trace id (of the trace, or of the span's trace). */
  get traceId(): string;
  /** The span id; `undefined` for a trace. */
  get spanId(): string | undefined;
  /** The workflow name; `undefined` for a span. */
  get name(): string | undefined;
  /** The group id (or `null`); `undefined` for a span. */
  get groupId(): string | null | undefined;
  /** The export key of the item's trace when it has its own (`tracingApiKey`); batches never mix keys. */
  get tracingApiKey(): string | undefined;
}

/**
 * Batches traces (queued when they start) and spans (queued when they end) in wasm memory and
 * hands them to an exporter. Register it with `addTraceProcessor` / `setTraceProcessors`.
 */
export declare class BatchTraceProcessor implements TracingProcessor {
  /**
   * @param exporter `{export(items)}` (items with `toJSON()`), or `{exportBody(body, info)}` to
   *   receive the ingest body; with both, `exportBody` is used. Anything else: TypeError.
   * @param options Queue and schedule settings (TypeError / RangeError when invalid).
   */
  constructor(exporter: TracingExporter | BodyExporter, options?: BatchTraceProcessorOptions);
  /** Starts the scheduled export loop (on by default in Node, Deno and Bun; the timer is unref'd). */
  start(): void;
  /** No-op: the core queues the trace itself. */
  onTraceStart(trace: Trace): void;
  /** No-op. */
  onTraceEnd(trace: Trace): void;
  /** No-op. */
  onSpanStart(span: Span<any>): void;
  /** No-op: the core queues the span itself. */
  onSpanEnd(span: Span<any>): void;
  /**
   * Exports everything queued (one export, after the one in flight) and resolves when every
   * item queued before the call was delivered or given up, or after `options.timeoutMs`. Never
   * rejects.
   */
  forceFlush(options?: ForceFlushOptions): Promise<void>;
  /**
   * Stops the loop, refuses every item from now on (counted as `refused`), flushes, and frees
   * the queue; resolves within `timeout` ms when given, aborting the export still running then
   * (as agents-core does). Shuts down once: later calls get the first call's result.
   */
  shutdown(timeout?: number): Promise<void>;
  /** The processor's counters. */
  stats(): BatchTraceProcessorStats;
}

/** Logs each exported item to the console, as agents-core's `ConsoleSpanExporter`. */
export declare class ConsoleSpanExporter implements TracingExporter {
  /** Logs `[Exporter] Export trace ...` / `[Exporter] Export span: <json>` lines. */
  export(items: ExportedItem[]): Promise<void>;
}

/** Options of `OpenAITracingExporter` (those of @openai/agents-openai, plus `timeout`, `headers`, `fetch`). */
export type OpenAITracingExporterOptions = {
  /** The API key; else `setTracingExportApiKey()`, else `OPENAI_API_KEY` where an environment exists. */
  apiKey?: string;
  /** Sent as `OpenAI-Organization` when set. */
  organization?: string;
  /** Sent as `OpenAI-Project` when set. */
  project?: string;
  /** Default `https://api.openai.com/v1/traces/ingest`. In a browser, point it at your own proxy. */
  endpoint?: string;
  /** Attempts in total (integer >= 1). Default: 3. */
  maxRetries?: number;
  /** First backoff in milliseconds, doubled each retry, with 10% jitter. Default: 1000. */
  baseDelay?: number;
  /** Longest wait in milliseconds (also caps retry-after). Default: 30000. */
  maxDelay?: number;
  /** Time limit of one request in milliseconds; a timeout is retried. Default: 60000. */
  timeout?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** A fetch to use instead of `globalThis.fetch`. */
  fetch?: typeof fetch;
};

/**
 * Sends batches to the OpenAI traces ingest endpoint (`POST`, `Authorization: Bearer`,
 * `OpenAI-Beta: traces=v1`, body `{"data":[...]}` built in the core), retrying as the JS SDK does:
 * network errors, timeouts, 5xx, 408, 409 and 429; `x-should-retry` both ways; `retry-after-ms` /
 * `retry-after`. Never rejects: a failure is logged and the batch's items count as `failed`.
 * TypeError / RangeError for bad options.
 */
export declare class OpenAITracingExporter implements BodyExporter, TracingExporter {
  constructor(options?: OpenAITracingExporterOptions);
  /**
   * Sends an ingest body `{"data":[...]}` (UTF-8 bytes) under the ingest rules (applied unless
   * a BatchTraceProcessor's queue already did); resolves `true` when delivered, `false` when not
   * (reason logged). Never rejects. `fetch` always receives the body as a `Uint8Array`.
   */
  exportBody(body: Uint8Array<ArrayBuffer>, info?: { items: number; apiKey?: string; keepalive?: boolean }, signal?: AbortSignal): Promise<boolean>;
  /**
   * The SDK's exporter interface: items with `toJSON()` (edgetrace's, or agents-core's Span and
   * Trace objects), sent under the ingest rules in one request per `tracingApiKey`, byte for
   * byte what @openai/agents-openai sends (metadata flattened). Where the SDK would throw and
   * send nothing (BigInt, a throwing getter or `toJSON()` outside span input/output), the
   * offending field is dropped and counted. Never rejects.
   */
  export(items: Array<ExportedItem | { toJSON(): unknown; tracingApiKey?: string }>, signal?: AbortSignal): Promise<boolean>;
  /** Counters of requests and bodies, and of what building bodies from items dropped or changed. */
  stats(): {
    requests: number; delivered: number; retried: number; failed: number;
    /** Span fields cut and metadata values flattened by the ingest rules when applied here. */
    truncated: number; flattened: number;
    /** Fields JSON cannot hold (outside span input/output), dropped from what was sent. */
    fieldsDropped: number;
    /** Items with nothing to send (not objects, or unreadable). */
    itemsDropped: number;
  };
}

/**
 * Makes a `BatchTraceProcessor` with an `OpenAITracingExporter` the only processor (as
 * @openai/agents-openai's function of the same name).
 */
export declare function setDefaultOpenAITracingExporter(): void;

// ---------------------------------------------------------------------------------------------
// Provider
// ---------------------------------------------------------------------------------------------

/**
 * Creates traces and spans and holds the processors. There is one per package instance:
 * use `getGlobalTraceProvider()` (the constructor is internal).
 */
export declare class TraceProvider {
  private constructor();
  /** Appends a processor. TypeError if it is not an object or a method is not a function. */
  registerProcessor(processor: TracingProcessor): void;
  /** Replaces the processors; the old ones not in the list are shut down (not awaited). TypeError on a bad list. */
  setProcessors(processors: TracingProcessor[]): void;
  /** The current trace, or `null`. */
  getCurrentTrace(): Trace | NoopTrace | null;
  /** The current span, or `null`. */
  getCurrentSpan(): Span<any> | NoopSpan<any> | null;
  /** Turns tracing off or on for traces and spans created from now on. TypeError unless a boolean. */
  setDisabled(disabled: boolean): void;
  /** Same as `setTracingIdGenerator`. */
  setIdGenerator(generator?: Partial<TracingIdGenerator> | null): void;
  /** A trace id from the custom generator if set, else a random one. */
  generateTraceId(): string;
  /** A span id from the custom generator if set, else a random one. */
  generateSpanId(): string;
  /** Calls `start()` on every processor that has one. */
  startExportLoop(): void;
  /** Replays a trace start to the processors. Rejects with a TypeError unless an edgetrace Trace; no-op traces are skipped. */
  dispatchTrace(trace: Trace | NoopTrace): Promise<void>;
  /** Replays a span's start and end, keeping its timestamps. Rejects with a TypeError unless an edgetrace Span. */
  dispatchSpan<TSpanData extends SpanData>(span: Span<TSpanData> | NoopSpan<TSpanData>): Promise<void>;
  /** Replays a span start to JS processors. Rejects with a TypeError unless an edgetrace Span. */
  dispatchSpanStart<TSpanData extends SpanData>(span: Span<TSpanData> | NoopSpan<TSpanData>): Promise<void>;
  /** Replays a span end (records it with its timestamps). Rejects with a TypeError unless an edgetrace Span. */
  dispatchSpanEnd<TSpanData extends SpanData>(span: Span<TSpanData> | NoopSpan<TSpanData>): Promise<void>;
  /** A new trace (not started); a `NoopTrace` when tracing or `options.disabled` is on. Throws TypeError/RangeError on bad options. */
  createTrace(options?: TraceOptions): Trace | NoopTrace;
  /**
   * A new span (not started) of `options.data.type` (TypeError if unknown), with `data` used as
   * given (no defaults). Parent: `parent`, else the current span, else the current trace; none
   * (or a no-op one) gives a `NoopSpan`. TypeError if `parent` is not an edgetrace Span/Trace.
   */
  createSpan<TSpanData extends SpanData>(
    options: CreateSpanOptions<TSpanData>,
    parent?: Span<any> | NoopSpan<any> | Trace | NoopTrace | null,
  ): Span<TSpanData> | NoopSpan<TSpanData>;
  /**
   * Calls `shutdown(timeout)` on every processor, once: later and concurrent calls get the first
   * call's run (as agents-core's, memoized). Resolves within `timeout` ms when given. Never rejects.
   */
  shutdown(timeout?: number): Promise<void>;
  /** Calls `forceFlush()` on every processor; resolves within `timeoutMs` when given. Never rejects. */
  forceFlush(options?: ForceFlushOptions): Promise<void>;
}

/** The provider of this package instance (created at first use). */
export declare function getGlobalTraceProvider(): TraceProvider;

/** Appends a processor to the global provider. TypeError if it is not a valid processor. */
export declare function addTraceProcessor(processor: TracingProcessor): void;

/** Replaces the global provider's processors (the old ones are shut down, not awaited). TypeError on a bad list. */
export declare function setTraceProcessors(processors: TracingProcessor[]): void;

/** Turns tracing off (`true`) or on for traces and spans created from now on. TypeError unless a boolean. */
export declare function setTracingDisabled(disabled: boolean): void;

/**
 * Whether spans record model and tool data and, separately, audio, unless a trace says otherwise.
 * Default: true, or `OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA` where set; omitted `includeAudio`
 * keeps the current audio setting. TypeError unless booleans.
 */
export declare function setTracingIncludeSensitiveData(includeData: boolean, includeAudio?: boolean): void;

/** Sets (or with `undefined`/`null`, clears) the API key exporters use when a trace carries none. TypeError unless a string. */
export declare function setTracingExportApiKey(key: string | null | undefined): void;

/** The key set with `setTracingExportApiKey`, if any. */
export declare function getTracingExportApiKey(): string | undefined;

/**
 * Options of `forceFlush`: `timeoutMs` bounds the wait (exports in flight go on; RangeError
 * below 0); `keepalive` sends what fits the browser's 64 KB keepalive budget with keepalive
 * requests, once (a page going away; the browser entry does this on `pagehide` by itself).
 */
export type ForceFlushOptions = { timeoutMs?: number; keepalive?: boolean };

/**
 * Flushes every processor of the global provider: resolves when everything queued before the
 * call was delivered or given up, or after `options.timeoutMs`. Never rejects. In a Worker:
 * `ctx.waitUntil(forceFlush({ timeoutMs: 2000 }))`.
 */
export declare function forceFlush(options?: ForceFlushOptions): Promise<void>;

/** Starts the scheduled export loop of every processor that has one. */
export declare function startTraceExportLoop(): void;

/** Replays a trace start to the global provider's processors. Rejects with a TypeError unless an edgetrace Trace. */
export declare function dispatchTrace(trace: Trace | NoopTrace): Promise<void>;

/** Replays a span's start and end to the processors, keeping its timestamps. Rejects with a TypeError unless an edgetrace Span. */
export declare function dispatchSpan<TSpanData extends SpanData>(span: Span<TSpanData> | NoopSpan<TSpanData>): Promise<void>;

/** Replays a span start to the JS processors. Rejects with a TypeError unless an edgetrace Span. */
export declare function dispatchSpanStart<TSpanData extends SpanData>(span: Span<TSpanData> | NoopSpan<TSpanData>): Promise<void>;

/** Replays a span end (records the span with its timestamps). Rejects with a TypeError unless an edgetrace Span. */
export declare function dispatchSpanEnd<TSpanData extends SpanData>(span: Span<TSpanData> | NoopSpan<TSpanData>): Promise<void>;

// ---------------------------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------------------------

/** Log levels, lowest first; `'silent'` drops everything. */
export type TracingLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** A logger: `console` fits. */
export type TracingLogger = {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};

/**
 * Makes every span time come from `clock()` (milliseconds since the epoch), e.g. a frozen or
 * fake clock in tests; `undefined` restores the default (the monotonic clock anchored to the
 * wall clock at each trace's creation). Ends never precede starts and children never precede
 * their parents, whatever the clock does. TypeError if `clock` is not a function.
 */
export declare function setTracingClock(clock: (() => number) | undefined): void;

/**
 * Routes the library's messages to `logger` (missing methods drop their level; a throwing
 * logger is ignored) at `options.level` and above (default `'warn'`). `undefined`/`null`
 * restores the console. TypeError if `logger` is not an object, RangeError on an unknown level.
 */
export declare function setTracingLogger(
  logger?: Partial<TracingLogger> | null,
  options?: { level?: TracingLogLevel },
): void;

// ---------------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------------

/** An id generator: trace ids `trace_` + 32 hex, span ids `span_` + 24 hex (lowercase). */
export type TracingIdGenerator = Readonly<{
  generateTraceId: () => string;
  generateSpanId: () => string;
}>;

/** A new random trace id, `trace_` + 32 lowercase hex (ignores any custom generator). */
export declare function generateTraceId(): string;

/** A new random span id, `span_` + 24 lowercase hex (ignores any custom generator). */
export declare function generateSpanId(): string;

/** A new random group id, `group_` + 24 lowercase hex. */
export declare function generateGroupId(): string;

/** The built-in generator (`generateTraceId` / `generateSpanId`); frozen. */
export declare const defaultTracingIdGenerator: TracingIdGenerator;

/**
 * Sets (or with `undefined`/`null`, clears) custom id generators. Throws a TypeError if a given
 * method is not a function; ids it returns in the wrong format throw a TypeError when used.
 */
export declare function setTracingIdGenerator(generator?: Partial<TracingIdGenerator> | null): void;

// ---------------------------------------------------------------------------------------------
// Context
// ---------------------------------------------------------------------------------------------

/** The current trace and span, as `getCurrentTraceContext()` returns them. */
export type TraceContextSnapshot = Readonly<{
  trace: Trace | NoopTrace;
  span?: Span<any> | NoopSpan<any> | null;
}>;

/** A context storage (`AsyncLocalStorage` fits), for `setTracingContextStorage`. */
export type TracingContextStorage<TStore = any> = {
  /** Runs the callback with the provided store as the active tracing context. */
  run<TResult>(store: TStore, callback: () => TResult): TResult;
  /** Returns the active tracing context store, if one exists. */
  getStore(): TStore | undefined;
  /** Accepted for compatibility with the SDK's storage type; edgetrace never calls it. */
  enterWith?(store: TStore | undefined): void;
};

/** The current trace, or `null` outside any trace. */
export declare function getCurrentTrace(): Trace | NoopTrace | null;

/** The current span, or `null` when none is current. */
export declare function getCurrentSpan(): Span<any> | NoopSpan<any> | null;

/** A snapshot of the current trace and span (to resume later with `withTraceContext`), or `null`. */
export declare function getCurrentTraceContext(): TraceContextSnapshot | null;

/**
 * Runs `fn` with `context` as the current trace/span and returns its result; `null`/`undefined`
 * runs it with no trace. TypeError if `fn` is not a function or `context` has no `trace`.
 */
export declare function withTraceContext<T>(context: TraceContextSnapshot | null | undefined, fn: () => T): T;

/** Makes `span` the current span of the active context. Throws an Error when there is no current trace. */
export declare function setCurrentSpan(span: Span<any> | NoopSpan<any>): void;

/** Restores the span that was current before the last `setCurrentSpan` (does nothing outside a trace). */
export declare function resetCurrentSpan(): void;

/**
 * Plugs in a custom context storage; `undefined` restores the runtime's default
 * (`AsyncLocalStorage` in Node). TypeError if a method is missing.
 */
export declare function setTracingContextStorage(storage?: TracingContextStorage): void;

// ---------------------------------------------------------------------------------------------
// Traces
// ---------------------------------------------------------------------------------------------

/**
 * Runs `fn` in a new trace named `trace` (with `options`), or in the given trace: starts it,
 * awaits `fn`, ends it (also when `fn` throws) and returns `fn`'s result. Rejects with a
 * TypeError when `fn` is not a function, `trace` is neither a string nor a trace, or `options` are bad.
 */
export declare function withTrace<T>(
  trace: string | Trace | NoopTrace,
  fn: (trace: Trace | NoopTrace) => T | PromiseLike<T>,
  options?: TraceOptions,
): Promise<T>;

/**
 * Runs `fn` in the current trace, or in a new one made from `options` (name default
 * `'Agent workflow'`) when there is none. Rejects with a TypeError when `fn` is not a function.
 */
export declare function getOrCreateTrace<T>(fn: () => T | PromiseLike<T>, options?: TraceOptions): Promise<T>;

// ---------------------------------------------------------------------------------------------
// Span factories: createXSpan makes a span (not started); withXSpan starts it, makes it current
// while `fn` runs, records an error `fn` throws (and rethrows it) and ends it.
// Parent: `parent`, else the current span, else the current trace; none gives a NoopSpan.
// Bad options or parent: createXSpan throws a TypeError, withXSpan rejects with it.
// ---------------------------------------------------------------------------------------------

/** Options of a `createXSpan` factory: `CreateSpanOptions` with deep-partial `data` (defaults fill it). */
type CreateArgs<TData extends SpanData> = DeepPartial<Omit<CreateSpanOptions<TData>, 'data' | 'error'>> & {
  data?: DeepPartial<TData>;
  error?: SpanError;
};

/** The parent a span factory accepts. */
type SpanParent = Span<any> | NoopSpan<any> | Trace | NoopTrace | null;

/** Creates an agent span (not started); `data.name` defaults to `'Agent'`. */
export declare function createAgentSpan(options?: CreateArgs<AgentSpanData>, parent?: SpanParent): Span<AgentSpanData> | NoopSpan<AgentSpanData>;

/** Runs `fn` in a new agent span and returns its result; `data.name` defaults to `'Agent'`. */
export declare function withAgentSpan<TOutput>(
  fn: (span: Span<AgentSpanData> | NoopSpan<AgentSpanData>) => TOutput | PromiseLike<TOutput>,
  options?: CreateArgs<AgentSpanData>,
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates a function (tool call) span (not started). `data.name` is required (TypeError); `input`/`output` default to `''`. */
export declare function createFunctionSpan(
  options: CreateArgs<FunctionSpanData> & { data: { name: string } },
  parent?: SpanParent,
): Span<FunctionSpanData> | NoopSpan<FunctionSpanData>;

/** Runs `fn` in a new function span. `data.name` is required (rejects with a TypeError); `input`/`output` default to `''`. */
export declare function withFunctionSpan<TOutput>(
  fn: (span: Span<FunctionSpanData> | NoopSpan<FunctionSpanData>) => TOutput | PromiseLike<TOutput>,
  options: CreateArgs<FunctionSpanData> & { data: { name: string } },
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates a generation span (not started): model input/output messages, model config and usage. */
export declare function createGenerationSpan(
  options?: CreateArgs<GenerationSpanData>,
  parent?: SpanParent,
): Span<GenerationSpanData> | NoopSpan<GenerationSpanData>;

/** Runs `fn` in a new generation span and returns its result. */
export declare function withGenerationSpan<TOutput>(
  fn: (span: Span<GenerationSpanData> | NoopSpan<GenerationSpanData>) => TOutput | PromiseLike<TOutput>,
  options?: CreateArgs<GenerationSpanData>,
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates a response span (not started): the model response id. Unlike agents-core 0.20.0, `options` are honoured. */
export declare function createResponseSpan(
  options?: CreateArgs<ResponseSpanData>,
  parent?: SpanParent,
): Span<ResponseSpanData> | NoopSpan<ResponseSpanData>;

/** Runs `fn` in a new response span and returns its result. */
export declare function withResponseSpan<TOutput>(
  fn: (span: Span<ResponseSpanData> | NoopSpan<ResponseSpanData>) => TOutput | PromiseLike<TOutput>,
  options?: CreateArgs<ResponseSpanData>,
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates a handoff span (not started). */
export declare function createHandoffSpan(
  options?: CreateArgs<HandoffSpanData>,
  parent?: SpanParent,
): Span<HandoffSpanData> | NoopSpan<HandoffSpanData>;

/** Runs `fn` in a new handoff span and returns its result. */
export declare function withHandoffSpan<TOutput>(
  fn: (span: Span<HandoffSpanData> | NoopSpan<HandoffSpanData>) => TOutput | PromiseLike<TOutput>,
  options?: CreateArgs<HandoffSpanData>,
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates a guardrail span (not started). `data.name` is required (TypeError); `triggered` defaults to false. */
export declare function createGuardrailSpan(
  options: CreateArgs<GuardrailSpanData> & { data: { name: string } },
  parent?: SpanParent,
): Span<GuardrailSpanData> | NoopSpan<GuardrailSpanData>;

/** Runs `fn` in a new guardrail span. `data.name` is required (rejects with a TypeError); `triggered` defaults to false. */
export declare function withGuardrailSpan<TOutput>(
  fn: (span: Span<GuardrailSpanData> | NoopSpan<GuardrailSpanData>) => TOutput | PromiseLike<TOutput>,
  options: CreateArgs<GuardrailSpanData> & { data: { name: string } },
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates a custom span (not started). `data.name` is required (TypeError); `data.data` defaults to `{}`. */
export declare function createCustomSpan(
  options: CreateArgs<CustomSpanData> & { data: { name: string } },
  parent?: SpanParent,
): Span<CustomSpanData> | NoopSpan<CustomSpanData>;

/** Runs `fn` in a new custom span. `data.name` is required (rejects with a TypeError); `data.data` defaults to `{}`. */
export declare function withCustomSpan<TOutput>(
  fn: (span: Span<CustomSpanData> | NoopSpan<CustomSpanData>) => TOutput | PromiseLike<TOutput>,
  options: CreateArgs<CustomSpanData> & { data: { name: string } },
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates an MCP list-tools span (`type: 'mcp_tools'`, not started). */
export declare function createMCPListToolsSpan(
  options?: CreateArgs<MCPListToolsSpanData>,
  parent?: SpanParent,
): Span<MCPListToolsSpanData> | NoopSpan<MCPListToolsSpanData>;

/** Runs `fn` in a new MCP list-tools span and returns its result. */
export declare function withMCPListToolsSpan<TOutput>(
  fn: (span: Span<MCPListToolsSpanData> | NoopSpan<MCPListToolsSpanData>) => TOutput | PromiseLike<TOutput>,
  options?: CreateArgs<MCPListToolsSpanData>,
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates a transcription span (not started). `data.input: {data, format}` (strings) is required (TypeError). */
export declare function createTranscriptionSpan(
  options: CreateArgs<TranscriptionSpanData> & { data: { input: { data: string; format: 'pcm' | (string & {}) } } },
  parent?: SpanParent,
): Span<TranscriptionSpanData> | NoopSpan<TranscriptionSpanData>;

/** Runs `fn` in a new transcription span. `data.input: {data, format}` is required (rejects with a TypeError). */
export declare function withTranscriptionSpan<TOutput>(
  fn: (span: Span<TranscriptionSpanData> | NoopSpan<TranscriptionSpanData>) => TOutput | PromiseLike<TOutput>,
  options: CreateArgs<TranscriptionSpanData> & { data: { input: { data: string; format: 'pcm' | (string & {}) } } },
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates a speech span (not started). `data.output: {data, format}` (strings) is required (TypeError). */
export declare function createSpeechSpan(
  options: CreateArgs<SpeechSpanData> & { data: { output: { data: string; format: 'pcm' | (string & {}) } } },
  parent?: SpanParent,
): Span<SpeechSpanData> | NoopSpan<SpeechSpanData>;

/** Runs `fn` in a new speech span. `data.output: {data, format}` is required (rejects with a TypeError). */
export declare function withSpeechSpan<TOutput>(
  fn: (span: Span<SpeechSpanData> | NoopSpan<SpeechSpanData>) => TOutput | PromiseLike<TOutput>,
  options: CreateArgs<SpeechSpanData> & { data: { output: { data: string; format: 'pcm' | (string & {}) } } },
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates a speech group span (not started). */
export declare function createSpeechGroupSpan(
  options?: CreateArgs<SpeechGroupSpanData>,
  parent?: SpanParent,
): Span<SpeechGroupSpanData> | NoopSpan<SpeechGroupSpanData>;

/** Runs `fn` in a new speech group span and returns its result. */
export declare function withSpeechGroupSpan<TOutput>(
  fn: (span: Span<SpeechGroupSpanData> | NoopSpan<SpeechGroupSpanData>) => TOutput | PromiseLike<TOutput>,
  options?: CreateArgs<SpeechGroupSpanData>,
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates a task span (one top-level run, not started); `data.name` defaults to `'Agent workflow'`. */
export declare function createTaskSpan(
  options?: CreateArgs<TaskSpanData>,
  parent?: SpanParent,
): Span<TaskSpanData> | NoopSpan<TaskSpanData>;

/** Runs `fn` in a new task span and returns its result; `data.name` defaults to `'Agent workflow'`. */
export declare function withTaskSpan<TOutput>(
  fn: (span: Span<TaskSpanData> | NoopSpan<TaskSpanData>) => TOutput | PromiseLike<TOutput>,
  options?: CreateArgs<TaskSpanData>,
  parent?: SpanParent,
): Promise<TOutput>;

/** Creates a turn span (one agent loop iteration, not started). `data.turn` (number) and `data.agent_name` are required (TypeError). */
export declare function createTurnSpan(
  options: CreateArgs<TurnSpanData> & { data: { turn: number; agent_name: string } },
  parent?: SpanParent,
): Span<TurnSpanData> | NoopSpan<TurnSpanData>;

/** Runs `fn` in a new turn span. `data.turn` and `data.agent_name` are required (rejects with a TypeError). */
export declare function withTurnSpan<TOutput>(
  fn: (span: Span<TurnSpanData> | NoopSpan<TurnSpanData>) => TOutput | PromiseLike<TOutput>,
  options: CreateArgs<TurnSpanData> & { data: { turn: number; agent_name: string } },
  parent?: SpanParent,
): Promise<TOutput>;

export {};
