// Items handed to an exporter directly (the SDK's Span/Trace objects, edgetrace's own, anything
// with toJSON()) as the JSON text the SDK's OpenAI exporter would start from, without ever
// throwing. The ingest rules (field limit, usage, reasoning, metadata) are applied to that text
// in the core; this file only turns JS values into JSON. Inside span `input` / `output`, values
// JSON cannot hold are handled exactly as the SDK handles them there (sanitized copies, or a
// preview); anywhere else, where the SDK's exporter would throw and send nothing, the offending
// field is dropped and counted (`fieldsDropped`), and an item with nothing to read is dropped
// and counted (`itemsDropped`).
import { ExportedItem } from './batch.js';
import { wasm, outputText } from './wasm.js';
import { INGEST_FIELD_BYTES, INGEST_MAX_DEPTH } from '../wasm/abi.js';

const encoder = new TextEncoder();
const UNSERIALIZABLE = Symbol('edgetrace.unserializable');
// How far into an item fields are kept one by one when JSON cannot hold a value as a whole: the
// item's members (1), and theirs (2: the keys of span data, error and metadata), dropped whole
// below that, as a span's end drops a span data field.
const KEEP_DEPTH = 2;

function isRecord(value) {
  return typeof value === 'object' && value !== null;
}

function isPlainObject(value) {
  if (!isRecord(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function hasToJSON(value) {
  try {
    return typeof value.toJSON === 'function';
  } catch {
    return false;
  }
}

/** UTF-8 length of `text`, or a number past the limit once it surely is past it. */
export function byteLength(text) {
  if (text.length > INGEST_FIELD_BYTES) return INGEST_FIELD_BYTES + 1;
  if (text.length * 3 <= INGEST_FIELD_BYTES) return text.length;
  return encoder.encode(text).length;
}

/**
 * A JSON-safe copy of `value`, as the SDK's `sanitizeJsonCompatibleValue` makes it: non-finite
 * numbers, BigInts, functions, cycles and unreadable values are left out of objects and become
 * null in arrays; nesting at the depth limit is unserializable.
 */
function jsonCompatible(value, seen = new Set(), depth = 0) {
  if (depth >= INGEST_MAX_DEPTH) return UNSERIALIZABLE;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : UNSERIALIZABLE;
  if (!isRecord(value)) return UNSERIALIZABLE;
  if (seen.has(value)) return UNSERIALIZABLE;
  seen.add(value);
  try {
    if (hasToJSON(value)) return jsonCompatible(value.toJSON(), seen, depth + 1);
    if (Array.isArray(value)) {
      const copy = [];
      for (const nested of value) {
        const safe = jsonCompatible(nested, seen, depth + 1);
        copy.push(safe === UNSERIALIZABLE ? null : safe);
      }
      return copy;
    }
    const copy = {};
    for (const [key, nested] of Object.entries(value)) {
      const safe = jsonCompatible(nested, seen, depth + 1);
      if (safe !== UNSERIALIZABLE) copy[key] = safe;
    }
    return copy;
  } catch {
    return UNSERIALIZABLE;
  } finally {
    seen.delete(value);
  }
}

/** Whether `value` nests `maxDepth` levels or more (walked without recursion, as the SDK does). */
function nestsBeyond(value, maxDepth) {
  const stack = [{ value, depth: 0 }];
  const seen = new Set();
  while (stack.length > 0) {
    const current = stack.pop();
    if (current.depth >= maxDepth) return true;
    if (!isRecord(current.value) || seen.has(current.value)) continue;
    seen.add(current.value);
    try {
      if (hasToJSON(current.value)) {
        stack.push({ value: current.value.toJSON(), depth: current.depth + 1 });
        continue;
      }
      const nested = Array.isArray(current.value) ? current.value : Object.values(current.value);
      for (const item of nested) stack.push({ value: item, depth: current.depth + 1 });
    } catch {
      return true;
    }
  }
  return false;
}

function typeName(value) {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  try {
    return value.constructor?.name ?? 'Object';
  } catch {
    return 'Object';
  }
}

/** The SDK's stand-in for a value that cannot be sent: its type and size, never its contents. */
function preview(value) {
  const type = typeName(value);
  let text = `<${type} truncated>`;
  if (Array.isArray(value)) text = `<${type} len=${value.length} truncated>`;
  else if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) text = `<${type} bytes=${value.byteLength} truncated>`;
  else if (value instanceof Map || value instanceof Set) text = `<${type} len=${value.size} truncated>`;
  else if (isPlainObject(value)) text = `<${type} len=${Object.keys(value).length} truncated>`;
  // The core cuts it to the field limit as the SDK does (a constructor's name can be any length).
  wasm().field_preview(type, text);
  return outputText();
}

/**
 * A span's `input` / `output` as the SDK's `truncateSpanFieldValue` starts from: as it is when
 * its JSON fits the field limit, else a sanitized copy (the core cuts it to the limit) or a
 * preview. `undefined`: left out.
 */
export function limitedFieldText(value) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch {
    text = null;
  }
  if (text === undefined) return undefined;
  if (text !== null && byteLength(text) <= INGEST_FIELD_BYTES) return text;
  if (nestsBeyond(value, INGEST_MAX_DEPTH)) return preview(value);
  const safe = jsonCompatible(value);
  return safe === UNSERIALIZABLE ? preview(value) : JSON.stringify(safe);
}

/**
 * JSON text of `value`; when JSON cannot hold it as a whole, of what it can hold: the fields
 * (and array items) that fail are dropped (array items become null) and counted. `undefined`:
 * nothing to send.
 */
function keptText(value, counts, depth = 0) {
  try {
    return JSON.stringify(value);
  } catch {
    if (depth >= KEEP_DEPTH || !isRecord(value)) {
      counts.fieldsDropped += 1;
      return undefined;
    }
    return Array.isArray(value) ? arrayText(value, counts, depth + 1) : objectText(value, counts, depth + 1);
  }
}

function arrayText(array, counts, depth) {
  const parts = [];
  try {
    for (let i = 0; i < array.length; i++) parts.push(keptText(array[i], counts, depth) ?? 'null');
  } catch {
    counts.fieldsDropped += 1;
  }
  return `[${parts.join(',')}]`;
}

/** An object's fields one by one: `field(key, value)` gives each one's text. */
function objectText(object, counts, depth, field = (_, value) => keptText(value, counts, depth)) {
  let keys;
  try {
    keys = Object.keys(object);
  } catch {
    counts.fieldsDropped += 1;
    return undefined;
  }
  const parts = [];
  for (const key of keys) {
    let value;
    try {
      value = object[key];
    } catch {
      counts.fieldsDropped += 1;
      continue;
    }
    const text = field(key, value);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

function isGeneration(data) {
  try {
    return data.type === 'generation';
  } catch {
    return false;
  }
}

/** A span's data: `input` / `output` as the SDK limits them, a generation's usage sanitized. */
function spanDataText(data, counts) {
  const generation = isGeneration(data);
  return objectText(data, counts, 1, (key, value) => {
    if (key === 'input' || key === 'output') return limitedFieldText(value);
    if (generation && key === 'usage' && isRecord(value)) {
      const safe = jsonCompatible(value);
      return safe === UNSERIALIZABLE ? undefined : JSON.stringify(safe);
    }
    return keptText(value, counts, KEEP_DEPTH);
  });
}

function read(item, key) {
  try {
    return item[key];
  } catch {
    return undefined;
  }
}

/** The item's JSON object built from its fields, when its `toJSON()` cannot be had. */
function fieldsOf(item) {
  const type = read(item, 'type');
  if (type === 'trace') {
    return {
      object: 'trace', id: read(item, 'traceId'), workflow_name: read(item, 'name'),
      group_id: read(item, 'groupId') ?? null, metadata: read(item, 'metadata') ?? {},
    };
  }
  if (type !== 'trace.span') return undefined;
  const data = read(item, 'spanData');
  const spanData = isRecord(data) ? {} : data;
  if (isRecord(data)) {
    // The SDK's toJSON leaves private fields (`_...`) out.
    for (const key of Object.keys(data)) if (!key.startsWith('_')) spanData[key] = read(data, key);
  }
  return {
    object: 'trace.span', id: read(item, 'spanId'), trace_id: read(item, 'traceId'),
    parent_id: read(item, 'parentId') ?? null, started_at: read(item, 'startedAt') ?? null,
    ended_at: read(item, 'endedAt') ?? null, span_data: spanData, error: read(item, 'error') ?? null,
  };
}

function itemJson(item, counts) {
  try {
    return item.toJSON();
  } catch {
    const fields = fieldsOf(item);
    if (fields === undefined) counts.itemsDropped += 1;
    else counts.fieldsDropped += 1;
    return fields;
  }
}

/** Whether the whole item's JSON text is already what the SDK would start from. */
function needsNoFieldWork(json, text) {
  if (text.length * 3 > INGEST_FIELD_BYTES) return false;
  const data = json.span_data;
  return !(isRecord(data) && isGeneration(data) && isRecord(data.usage));
}

/**
 * One item as UTF-8 bytes of JSON, or `undefined` when there is nothing to send (`toJSON()`
 * returned nothing, as the SDK's no-op spans do). Counts what had to be dropped in `counts`.
 */
export function itemBytes(item, counts) {
  if (item instanceof ExportedItem) return item._bytes();
  if (!isRecord(item)) {
    counts.itemsDropped += 1;
    return undefined;
  }
  const json = itemJson(item, counts);
  if (!json) return undefined;
  if (!isRecord(json)) {
    const text = keptText(json, counts, KEEP_DEPTH);
    return text === undefined ? undefined : encoder.encode(text);
  }
  let text;
  try {
    text = JSON.stringify(json);
  } catch {
    text = undefined;
  }
  if (text === undefined || !needsNoFieldWork(json, text)) {
    const isSpan = read(json, 'object') === 'trace.span';
    text = objectText(json, counts, 0, (key, value) => (isSpan && key === 'span_data' && isRecord(value)
      ? spanDataText(value, counts)
      : keptText(value, counts, 1)));
    if (text === undefined) {
      counts.itemsDropped += 1;
      return undefined;
    }
  }
  return encoder.encode(text);
}

const OPEN = encoder.encode('{"data":[');
const CLOSE = encoder.encode(']}');

/** The ingest body `{"data":[...]}` around items' JSON bytes. */
export function ingestBody(parts) {
  let length = OPEN.length + CLOSE.length + Math.max(0, parts.length - 1);
  for (const part of parts) length += part.length;
  const body = new Uint8Array(length);
  body.set(OPEN, 0);
  let at = OPEN.length;
  parts.forEach((part, i) => {
    if (i > 0) body[at++] = 44; // ','
    body.set(part, at);
    at += part.length;
  });
  body.set(CLOSE, at);
  return body;
}
