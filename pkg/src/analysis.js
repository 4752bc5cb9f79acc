// Trace analysis (the module with the chain carries it): exported files or items in, the
// analysis of every trace out (duration, spans per type, usage and cost, tools, handoffs, errors,
// slowest spans, critical path, the text tree), computed in the core.
import { core, requireChainModule } from './chain-core.js';
import { isObject, describe } from './validate.js';

const { wasm, checked, outputText, scratchWords } = core;
const encoder = new TextEncoder();

const analyzers = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((handle) => wasm().analysis_free(handle))
  : null;

const readers = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((handle) => wasm().reader_free(handle))
  : null;

/** A file error as an Error naming the file, the line and the byte. */
function fileError(error, name) {
  const [line, byte] = scratchWords();
  return new Error(`${name}: line ${line} (byte ${byte}): ${error.message}`, { cause: error });
}

function bytesOf(chunk, method) {
  const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${method}: chunk must be a Uint8Array or a string, got ${describe(chunk)}`);
  return bytes;
}

/**
 * Splits a trace file into its export items, a chunk at a time, with the core's reader (the one
 * `TraceAnalyzer`, `edgetrace analyze` / `view`, the collector and the page use): OpenAI ingest
 * bodies (minified or pretty-printed, one or several), JSONL (blank lines, CRLF), both mixed, a
 * UTF-8 BOM. `feed` and `end` return the items they completed, each as its compact JSON text;
 * errors name the file, the line and the byte.
 */
export class TraceFileReader {
  /**
   * @param name The file's name, for errors.
   * @param options `{bodiesOnly?}`: take ingest bodies only, as the ingest endpoint does (a
   *   top-level item is an error).
   */
  constructor(name = 'input', options) {
    requireChainModule();
    if (typeof name !== 'string') throw new TypeError(`TraceFileReader: name must be a string, got ${describe(name)}`);
    if (options !== undefined && !isObject(options)) throw new TypeError(`TraceFileReader: options must be an object, got ${describe(options)}`);
    this._name = name;
    this._handle = checked(wasm().reader_new(options?.bodiesOnly === true));
    readers?.register(this, this._handle);
  }

  /** The next chunk (bytes or text); the items it completed. */
  feed(chunk) {
    return this._read(bytesOf(chunk, 'feed'), false);
  }

  /** The end of the file (throws if it ended inside a value); the items it completed. */
  end() {
    return this._read(new Uint8Array(0), true);
  }

  _read(bytes, end) {
    let count;
    try {
      count = checked(wasm().reader_feed(this._handle, bytes, end));
    } catch (error) {
      throw fileError(error, this._name);
    }
    return count === 0 ? [] : outputText().split('\n');
  }
}

Object.defineProperty(TraceFileReader, 'name', { value: 'TraceFileReader', configurable: true });

/** The export items of a whole trace file (bytes or text), as objects; see `TraceFileReader`. */
export function exportItemsOf(contents, name = 'input') {
  const reader = new TraceFileReader(name);
  const texts = [...reader.feed(contents), ...reader.end()];
  return JSON.parse(`[${texts.join(',')}]`);
}

/**
 * Reads exported traces (OpenAI ingest bodies `{"data":[...]}`, JSONL, several files, items in
 * any order) and analyses them. Feed a file whole (`addFile`) or a chunk at a time (`feed`, then
 * `endFile`), or items (`addItems`); then `analyze()` (an object) or `report()` (text).
 */
export class TraceAnalyzer {
  /** @param options `{prices?}`: a price table replacing the built-in one (see `setPrices`). */
  constructor(options) {
    requireChainModule();
    this._handle = checked(wasm().analysis_new());
    analyzers?.register(this, this._handle);
    if (options?.prices !== undefined) this.setPrices(options.prices);
  }

  /** Feeds the next chunk (bytes or text) of the current file; `name` is for errors. */
  feed(chunk, name = 'input') {
    const bytes = bytesOf(chunk, 'feed');
    try {
      checked(wasm().analysis_feed(this._handle, bytes));
    } catch (error) {
      throw fileError(error, name);
    }
  }

  /** Ends the current file (throws if it ended inside a value); the next chunk starts another. */
  endFile(name = 'input') {
    try {
      checked(wasm().analysis_end_file(this._handle));
    } catch (error) {
      throw fileError(error, name);
    }
  }

  /** A whole file's bytes or text. */
  addFile(contents, name = 'input') {
    this.feed(contents, name);
    this.endFile(name);
  }

  /** Export items: `toJSON()` objects, exported items, or their JSON text. */
  addItems(items) {
    if (!Array.isArray(items)) throw new TypeError(`addItems: items must be an array, got ${describe(items)}`);
    items.forEach((item, i) => {
      const json = typeof item === 'string' ? item : JSON.stringify(item);
      try {
        checked(wasm().analysis_add_item(this._handle, json));
      } catch (error) {
        throw new TypeError(`addItems: items[${i}]: ${error.message}`, { cause: error });
      }
    });
  }

  /**
   * Replaces the price table: `{date, source, prices: [{model, input, cachedInput?, output}]}`,
   * USD per million tokens. Models it does not list have no cost ("unknown"), never a guess.
   */
  setPrices(table) {
    if (!isObject(table)) throw new TypeError(`setPrices: table must be {date, source, prices}, got ${describe(table)}`);
    checked(wasm().analysis_set_prices(this._handle, JSON.stringify(table)));
  }

  /** `{traces: [...], groups: {...}, prices: {date, source}}`. */
  analyze() {
    checked(wasm().analysis_report(this._handle, true));
    return JSON.parse(outputText());
  }

  /** The text report: each trace's tree and figures, then the group totals. */
  report() {
    checked(wasm().analysis_report(this._handle, false));
    return outputText();
  }
}

Object.defineProperty(TraceAnalyzer, 'name', { value: 'TraceAnalyzer', configurable: true });
