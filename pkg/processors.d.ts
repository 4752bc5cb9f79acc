// Types of `edgetrace/processors`: the processor chain and its stages. Every stage runs inside
// the wasm core, the same in every runtime; these classes only configure it and read counters.
import type { BatchTraceProcessor, TracingProcessor, ForceFlushOptions, SpanData } from './index.js';

/** A span type, as `SpanData['type']`. */
export type SpanType = SpanData['type'];

/** Counters every sampler reports. */
export interface SamplerStats {
  tracesKept: number;
  tracesDropped: number;
  spansKept: number;
  spansDropped: number;
}

/**
 * Head sampling: keeps a fraction `ratio` of traces, decided from the trace id (every span of a
 * trace agrees, in every runtime). A trace created with `sampled: true | false` overrides it.
 */
export declare class HeadSampler {
  /** @param options.ratio 0 to 1 (TypeError / RangeError otherwise). */
  constructor(options: { ratio: number });
  stats(): SamplerStats & { stage: 'headSampler' };
}

/** Options of `TailSampler` (RangeError when out of range). */
export interface TailSamplerOptions {
  /** Traces without an error and not slow are kept in this ratio. Default: 0. */
  ratio?: number;
  /** Keep every trace in which a span recorded an error. Default: true. */
  keepErrors?: boolean;
  /** Keep every trace longer than this (first span start to last span end), ms. Default: none. */
  slowerThanMs?: number;
  /** A trace not ended this long after it was first seen is decided as it stands. Default: 300000. */
  maxTraceAgeMs?: number;
  /** Traces held at most; past it the oldest is decided early. Default: 1000. */
  maxTraces?: number;
  /** Items held at most. Default: 20000. */
  maxItems?: number;
  /** Bytes of item text held at most. Default: 16 MiB. */
  maxBytes?: number;
}

/** What a tail sampler holds and decided. */
export interface TailSamplerStats extends SamplerStats {
  stage: 'tailSampler';
  heldTraces: number;
  heldItems: number;
  heldBytes: number;
  keptForError: number;
  keptForLatency: number;
  /** Traces decided before they ended because a cap was reached. */
  decidedEarly: number;
  /** Traces decided because they reached `maxTraceAgeMs` without ending. */
  decidedByAge: number;
  /** Items that arrived after their trace was decided (they follow the decision). */
  late: number;
}

/**
 * Tail sampling: holds each trace's items until it ends, then keeps it when it has an error, is
 * slower than `slowerThanMs`, or falls in `ratio`; drops it otherwise. Bounded by its caps.
 */
export declare class TailSampler {
  constructor(options?: TailSamplerOptions);
  stats(): TailSamplerStats;
}

/** Options of `Redactor`. */
export interface RedactorOptions {
  /** Start from the secure default keys and patterns. Default: true. */
  defaults?: boolean;
  /** More sensitive keys (matched normalized: case, `_`, `-`, `.` ignored; `api_key` matches `x-api-key`). */
  keys?: string[];
  /** More patterns, by name (1-32 of a-z 0-9 _): regex-lite syntax, or a RegExp (its i/m/s flags kept). */
  patterns?: Record<string, string | RegExp>;
  /** Default patterns to leave out: 'bearer', 'openai_key', 'aws_key', 'jwt', 'email', 'card'. */
  removePatterns?: string[];
  /** Hide every span's inputs. Default: false (a trace can ask with `hideInputs`). */
  hideInputs?: boolean;
  /** Hide every span's outputs. Default: false (a trace can ask with `hideOutputs`). */
  hideOutputs?: boolean;
}

/**
 * Redaction before anything leaves: values under sensitive keys become "[REDACTED]", pattern
 * matches "[REDACTED:<name>]", in span data, span errors and trace metadata.
 */
export declare class Redactor {
  constructor(options?: RedactorOptions);
  stats(): { stage: 'redactor'; items: number; keys: number; patterns: number; hidden: number };
}

/** Drops spans by type: `keep` keeps only the types listed, `drop` drops them (one of the two). */
export declare class SpanFilter {
  constructor(options: { keep: SpanType[] } | { drop: SpanType[] });
  stats(): { stage: 'spanFilter'; dropped: number };
}

/** One group of span errors. */
export interface ErrorGroup {
  type: SpanType;
  /** The spans' `name` ('' for types without one). */
  name: string;
  count: number;
  /** ISO 8601. */
  firstSeen: string | null;
  lastSeen: string | null;
  /** Cut to 512 bytes. */
  lastMessage: string;
}

/** Error tracking: span errors grouped by span type and name (bounded by `maxGroups`, default 256). */
export declare class ErrorTracker {
  constructor(options?: { maxGroups?: number });
  groups(options?: { clear?: boolean }): ErrorGroup[];
  stats(): { stage: 'errorTracker'; errors: number; groups: number; ungrouped: number };
}

/** What `PerfAlerts` reports. */
export interface PerfAlert {
  kind: 'span' | 'trace';
  traceId: string;
  /** Span alerts. */
  spanId?: string;
  spanType?: SpanType;
  name?: string;
  /** Trace alerts. */
  workflowName?: string;
  durationMs: number;
  thresholdMs: number;
}

/** One rule of `PerfAlerts`: spans (of a type and / or name; any when not given) or whole traces. */
export type PerfAlertRule =
  | { spanType?: SpanType; name?: string; traces?: false; thresholdMs: number }
  | { traces: true; thresholdMs: number };

/** Counters of a stage that writes records for the host. */
export interface RecordStageStats {
  written: number;
  /** Dropped because `maxPending` / `maxRecords` records were already waiting. */
  dropped: number;
  delivered: number;
  pending: number;
}

/** Performance alerts: `onAlert` when a span or trace takes longer than a rule's threshold. */
export declare class PerfAlerts {
  constructor(options: { rules: PerfAlertRule[]; onAlert(alert: PerfAlert): void | Promise<void>; maxPending?: number });
  stats(): RecordStageStats & { stage: 'perfAlerts' };
}

/** One compliance record: who (the listed metadata keys), what and when; never span data. */
export interface ComplianceRecord {
  traceId: string;
  workflowName: string;
  groupId: string | null;
  who: Record<string, string>;
  /** First span start / last span end (ISO 8601), null without spans. */
  startedAt: string | null;
  endedAt: string | null;
  spans: number;
  errors: number;
  spanTypes: SpanType[];
  /** false when the trace was forgotten (past 10,000 open traces) before it ended. */
  complete: boolean;
}

/** Options of `ComplianceLog`. */
export interface ComplianceLogOptions {
  /** Trace metadata keys copied into `who` (keys a redactor treats as sensitive: TypeError). */
  keys?: string[];
  /** Receives records, one call at a time (records wait, bounded, while a promise is pending). */
  sink(records: ComplianceRecord[]): void | Promise<void>;
  /** Records waiting at most. Default: 1000. */
  maxRecords?: number;
  /** What goes when full. Default: 'drop-oldest'. */
  dropPolicy?: 'drop-oldest' | 'drop-newest';
  /** A sink call longer than this is given up. Default: 30000. */
  sinkTimeoutMs?: number;
}

/** The compliance log: one record per trace, written to a sink, bounded. */
export declare class ComplianceLog {
  constructor(options: ComplianceLogOptions);
  stats(): RecordStageStats & { stage: 'complianceLog'; sinkFailed: number; sinkTimedOut: number };
}

/** What `LiveEvents` reports: an item in the `toJSON()` shape (a span start has `ended_at: null`). */
export type LiveEvent =
  | { type: 'trace.start'; item: ExportItemJSON }
  | { type: 'span.start' | 'span.end'; item: ExportItemJSON }
  | { type: 'trace.end'; item: { id: string } };

/** Live events: trace and span starts and ends, as they happen, for a live view. */
export declare class LiveEvents {
  constructor(options: { onEvent(event: LiveEvent): void | Promise<void>; maxPending?: number });
  stats(): RecordStageStats & { stage: 'liveEvents' };
}

/** A stored trace, as `TraceStore.query` lists it. */
export interface StoredTrace {
  traceId: string;
  workflowName: string;
  groupId: string | null;
  /** First span start / last span end (ISO 8601). */
  startedAt: string | null;
  endedAt: string | null;
  spans: number;
  hasError: boolean;
}

/** What `TraceStore.query` finds (every condition given must hold). */
export interface TraceQuery {
  workflowName?: string;
  groupId?: string;
  /** Traces that ended at or after this. */
  since?: Date | string | number;
  /** Traces that started before this. */
  until?: Date | string | number;
  hasError?: boolean;
  /** At most this many, newest first. */
  limit?: number;
}

/** What a TraceStore's sink receives: completed traces, each as JSONL (an item a line). */
export type TraceSink = (traces: Array<{ traceId: string; jsonl: string }>) => void | Promise<unknown>;

/** The trace store: completed traces in memory, bounded, with queries, retention and a sink. */
export declare class TraceStore {
  constructor(options?: { maxTraces?: number; maxBytes?: number; sink?: TraceSink; maxPendingTraces?: number; sinkTimeoutMs?: number });
  query(filter?: TraceQuery): StoredTrace[];
  items(traceId: string): ExportItemJSON[] | undefined;
  jsonl(traceId: string): string | undefined;
  /** Removes the traces that ended before `date`; returns how many. */
  deleteBefore(date: Date | string | number): number;
  analyze(filter?: TraceQuery): ReturnType<TraceAnalyzer['analyze']>;
  stats(): {
    stage: 'traceStore'; traces: number; bytes: number; stored: number; evicted: number; deleted: number; forgotten: number;
    sinkWritten: number; sinkDropped: number; sinkDelivered: number; sinkPending: number; sinkFailed: number; sinkTimedOut: number;
  };
}

/** Appends each trace's JSONL to a file (Node, Deno, Bun). */
export declare function jsonlFileSink(path: string): TraceSink;
/** Puts each trace's JSONL in a Workers KV namespace under `prefix + traceId` (prefix 'trace/'). */
export declare function kvSink(namespace: { put(key: string, value: string, options?: object): Promise<unknown> }, options?: { prefix?: string; expirationTtl?: number }): TraceSink;
/** Puts each trace's JSONL in an R2 bucket as `prefix + traceId + '.jsonl'` (prefix 'traces/'). */
export declare function r2Sink(bucket: { put(key: string, value: string, options?: object): Promise<unknown> }, options?: { prefix?: string }): TraceSink;

/** Processors a route feeds. */
export type RouteTarget = BatchTraceProcessor | BatchTraceProcessor[];

/** Options of `Router`: one of `byMetadata` and `bySpanType`. */
export type RouterOptions = ({ byMetadata: string; bySpanType?: false } | { bySpanType: true; byMetadata?: undefined }) & {
  /** Value (metadata value, or span type) to processors. */
  routes: Record<string, RouteTarget>;
  /** What matches no route; without it, such items are dropped (counted as `unrouted`). */
  otherwise?: RouteTarget;
  /** Open traces whose route a metadata router remembers. Default: 10000. */
  maxOpenTraces?: number;
};

/** Sends each trace's items to one route's processors; what matches none goes nowhere (counted). */
export declare class Router {
  constructor(options: RouterOptions);
  stats(): { stage: 'router'; routed: Record<string, number>; unrouted: number };
}

/** An export item as `toJSON()` gives it: a trace item or a span item. */
export type ExportItemJSON = { object: 'trace'; id: string; workflow_name: string; group_id: string | null; metadata: Record<string, any> }
  | { object: 'trace.span'; id: string; trace_id: string; parent_id: string | null; started_at: string | null; ended_at: string | null; span_data: SpanData; error: { message: string; data?: Record<string, any> } | null };

/**
 * A function stage: gets each item as the stages before it left it; returns the item to pass on
 * (changed or new), `undefined` to pass it as it is, or `null` to drop it. Synchronous; one that
 * throws, returns a promise or an invalid item drops that item (counted as `failed`).
 */
export type FunctionStage = (item: ExportItemJSON) => ExportItemJSON | null | undefined | void;

/** A stage of a chain. */
export type ChainStage = HeadSampler | TailSampler | Redactor | SpanFilter | ErrorTracker | PerfAlerts | ComplianceLog | LiveEvents | TraceStore | FunctionStage;

/**
 * Stages run in order inside the core, then the processors they feed (BatchTraceProcessors, or
 * one Router). Register the chain with `addTraceProcessor`, not the processors it feeds.
 */
export declare class ProcessorChain implements TracingProcessor {
  constructor(parts: [...ChainStage[], Router] | (ChainStage | BatchTraceProcessor)[]);
  start(): void;
  onTraceStart(): void;
  onTraceEnd(): void;
  onSpanStart(): void;
  onSpanEnd(): void;
  /**
   * Decides the held traces past their maximum age (young open ones go on waiting), hands over
   * waiting records, then flushes the processors. Never rejects. A `keepalive` flush (and the one
   * a process ends with) decides every held trace.
   */
  forceFlush(options?: ForceFlushOptions): Promise<void>;
  /** Decides every held trace, then shuts the processors down (once). Never rejects. */
  shutdown(timeout?: number): Promise<void>;
  stats(): {
    stages: Array<ReturnType<Exclude<ChainStage, FunctionStage>['stats']> | { stage: 'function'; items: number; overflow: number; dropped: number; failed: number } | ReturnType<Router['stats']>>;
    processors: Array<ReturnType<BatchTraceProcessor['stats']>>;
  };
}

/** Tokens as the analysis counts them. */
export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  /** The part of `inputTokens` read from the prompt cache. */
  cachedInputTokens: number;
  /** The part of `outputTokens` spent reasoning. */
  reasoningTokens: number;
}

/** Usage and cost: usage from the most specific level in each subtree, never counted twice. */
export interface CostTotals {
  usage: UsageTotals;
  /** USD for the usage whose model the price table knows; null when none could be priced. */
  costUsd: number | null;
  /** Whether every token was priced. */
  costComplete: boolean;
  unpricedUsage: UsageTotals;
  /** Models the price table does not know. */
  unknownModels: string[];
}

/** A span as the analysis lists it. */
export interface AnalysedSpan {
  type: SpanType;
  name: string;
  durationMs: number | null;
  error: string | null;
}

/** The analysis of one trace. */
export interface TraceAnalysis extends CostTotals {
  traceId: string;
  /** null when the trace item was not among the items read. */
  workflowName: string | null;
  groupId: string | null;
  /** First span start to last span end. */
  durationMs: number | null;
  spansByType: Partial<Record<SpanType, number>>;
  tools: Array<{ name: string; calls: number; errors: number; totalMs: number; maxMs: number }>;
  /** The first handoff's from agent, then every to agent. */
  handoffChain: string[];
  errors: AnalysedSpan[];
  /** At most 5, slowest first. */
  slowest: AnalysedSpan[];
  /** From the root that ends last, each time into the child that ends last. */
  criticalPath: AnalysedSpan[];
  /** The text tree. */
  tree: string;
}

/** A price table: USD per million tokens; models it does not list have no cost, never a guess. */
export interface PriceTable {
  date: string;
  source: string;
  prices: Array<{ model: string; input: number; cachedInput?: number; output: number }>;
}

/**
 * Splits a trace file into its export items a chunk at a time, with the core's reader (the one
 * `TraceAnalyzer`, `edgetrace analyze` / `view`, the collector and the inspector use): OpenAI
 * ingest bodies (minified or pretty-printed, one or several), JSONL (blank lines, CRLF), both
 * mixed, with or without a UTF-8 BOM. It holds the unread part of a chunk and the item being
 * read, never the file. Errors (`Error`) name the file, the line and the byte.
 */
export declare class TraceFileReader {
  /**
   * @param name The file's name, for errors (default `'input'`).
   * @param options `bodiesOnly`: take ingest bodies `{"data": [...]}` only, as the ingest
   *   endpoint does (a top-level item, or no body at all, is an error).
   */
  constructor(name?: string, options?: { bodiesOnly?: boolean });
  /** The next chunk; returns the items it completed, each as its compact JSON text. */
  feed(chunk: Uint8Array | string): string[];
  /** The end of the file (throws if it ends inside a value); returns the items it completed. */
  end(): string[];
}

/** The export items of a whole trace file, as objects (see `TraceFileReader`). */
export declare function exportItemsOf(contents: Uint8Array | string, name?: string): ExportItemJSON[];

/**
 * Reads exported traces (ingest bodies, JSONL, several files, items in any order) and analyses
 * them in the core. Files errors name the file, line and byte.
 */
export declare class TraceAnalyzer {
  constructor(options?: { prices?: PriceTable });
  /** The next chunk of the current file. */
  feed(chunk: Uint8Array | string, name?: string): void;
  /** Ends the current file. */
  endFile(name?: string): void;
  /** A whole file. */
  addFile(contents: Uint8Array | string, name?: string): void;
  /** Export items (`toJSON()` objects or their JSON text). */
  addItems(items: Array<object | string>): void;
  setPrices(table: PriceTable): void;
  analyze(): { traces: TraceAnalysis[]; groups: Record<string, CostTotals & { traces: number }>; prices: { date: string; source: string } };
  /** Each trace's tree and figures, then the group totals, as text. */
  report(): string;
}

/**
 * The adapter for `@openai/agents` / `@openai/agents-core`: register it there
 * (`addTraceProcessor(agentsCoreProcessor())`) and the SDK's own traces and spans go through the
 * processors registered with edgetrace (chains, batch processors, the store).
 */
export declare function agentsCoreProcessor(): {
  onTraceStart(trace: { toJSON(): object | null; tracingApiKey?: string }): Promise<void>;
  onTraceEnd(trace: { traceId: string }): Promise<void>;
  onSpanStart(span: unknown): Promise<void>;
  onSpanEnd(span: { toJSON(): object | null; tracingApiKey?: string }): Promise<void>;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
};
