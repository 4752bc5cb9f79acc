// The local trace collector (`edgetrace collect`): an HTTP server on 127.0.0.1 that takes what
// agents export, as the OpenAI traces endpoint does (`POST /v1/traces/ingest`, the same
// `{"data":[...]}` body, `Authorization: Bearer`, 2xx on success), keeps it as JSONL under a data
// folder (a file a day, kept across restarts, older files removed by age), pushes each accepted
// batch to open pages as server-sent events (`GET /v1/events`), and serves the inspector and the
// package (`/www/`, `/pkg/`) under a strict Content-Security-Policy. Written for Node (it ships in
// the npm package, next to the command line, and checks items with the package's own wasm).
// Bad requests get a clear 4xx and store nothing.
import { createServer } from 'node:http';
import { appendFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceAnalyzer, TraceFileReader } from '../dist/processors-node.js';

/** The policy every page and file is served under. */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
  + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.map': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.jsonl': 'application/x-ndjson',
};
const DAY_MS = 86_400_000;
/** Open event streams at most (a page each). */
const MAX_STREAMS = 64;

class RequestError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function send(response, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** The request body, refused past `limit` bytes (413) without reading the rest. */
async function readBody(request, limit) {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) throw new RequestError(413, `body over ${limit} bytes`);
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > limit) throw new RequestError(413, `body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The items of an ingest body, each checked as an export item (400 naming the first bad one). */
function ingestItems(body) {
  let items;
  try {
    const reader = new TraceFileReader('the request body', { bodiesOnly: true });
    items = [...reader.feed(body), ...reader.end()];
  } catch (error) {
    throw new RequestError(400, error.message);
  }
  try {
    new TraceAnalyzer().addItems(items);
  } catch (error) {
    throw new RequestError(400, `not a trace or span item: ${error.message.replace(/^addItems: /, '')}`);
  }
  return items;
}

/**
 * Starts the collector. Options: `port` (0: any free one), `dataDir` (where the JSONL goes),
 * `token` (then writes need `Authorization: Bearer <token>`), `maxBodyBytes` (5 MB),
 * `retentionDays` (7; files older are removed at start and hourly), `wwwDir` (the inspector page:
 * the package's `www/`, built by `make build`). Resolves to `{url, close()}`.
 */
export async function startCollector(options = {}) {
  const dataDir = path.resolve(options.dataDir ?? 'edgetrace-data');
  const maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const retentionMs = (options.retentionDays ?? 7) * DAY_MS;
  const packageDir = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
  const wwwDir = path.resolve(options.wwwDir ?? path.join(packageDir, 'www'));
  const streams = new Set();
  await mkdir(dataDir, { recursive: true });

  async function applyRetention() {
    const now = Date.now();
    for (const name of await readdir(dataDir)) {
      if (!name.endsWith('.jsonl')) continue;
      const file = path.join(dataDir, name);
      if (now - (await stat(file)).mtimeMs > retentionMs) await rm(file, { force: true });
    }
  }

  async function ingest(request, response) {
    if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`) {
      throw new RequestError(401, 'missing or wrong bearer token');
    }
    const items = ingestItems(await readBody(request, maxBodyBytes));
    const day = new Date().toISOString().slice(0, 10);
    await appendFile(path.join(dataDir, `${day}.jsonl`), items.map((item) => `${item}\n`).join(''));
    const event = `event: items\ndata: [${items.join(',')}]\n\n`;
    for (const stream of streams) stream.write(event);
    send(response, 200, { accepted: items.length });
  }

  function events(request, response) {
    if (streams.size >= MAX_STREAMS) throw new RequestError(503, 'too many open event streams');
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'content-security-policy': CONTENT_SECURITY_POLICY });
    response.write(': edgetrace collector\n\n');
    streams.add(response);
    request.on('close', () => streams.delete(response));
  }

  async function stored(response) {
    const names = (await readdir(dataDir)).filter((n) => n.endsWith('.jsonl')).sort();
    const parts = await Promise.all(names.map((n) => readFile(path.join(dataDir, n), 'utf8')));
    response.writeHead(200, { 'content-type': TYPES['.jsonl'], 'cache-control': 'no-store', 'content-security-policy': CONTENT_SECURITY_POLICY });
    response.end(parts.join(''));
  }

  /** `/www/…` from the page's folder, `/pkg/…` from the package's. */
  async function file(pathname, response) {
    const [, top, ...rest] = path.posix.normalize(decodeURIComponent(pathname)).split('/');
    const base = top === 'www' ? wwwDir : top === 'pkg' ? packageDir : null;
    const target = base === null ? '' : path.join(base, ...rest);
    const allowed = base !== null && target.startsWith(base + path.sep) && TYPES[path.extname(target)];
    // The package's copy of the page has no .wasm of its own: they are the package's.
    const fallback = top === 'www' && target.endsWith('.wasm') ? path.join(packageDir, 'wasm', path.basename(target)) : null;
    const body = allowed
      ? await readFile(target).catch(() => (fallback === null ? undefined : readFile(fallback).catch(() => undefined)))
      : undefined;
    if (body === undefined) throw new RequestError(404, 'not found');
    response.writeHead(200, { 'content-type': TYPES[path.extname(target)], 'content-length': body.length, 'cache-control': 'no-store',
      'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' });
    response.end(body);
  }

  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url, 'http://127.0.0.1');
    const route = async () => {
      if (pathname === '/v1/traces/ingest') {
        if (request.method !== 'POST') throw new RequestError(405, 'POST only');
        return ingest(request, response);
      }
      if (request.method !== 'GET') throw new RequestError(405, 'GET only');
      if (pathname === '/v1/events') return events(request, response);
      if (pathname === '/v1/traces.jsonl') return stored(response);
      if (pathname === '/') {
        response.writeHead(302, { location: '/www/' });
        return response.end();
      }
      return file(pathname.endsWith('/') ? `${pathname}index.html` : pathname, response);
    };
    route().catch((error) => {
      if (response.headersSent) return response.destroy();
      const status = error instanceof RequestError ? error.status : 500;
      send(response, status, { error: { message: status === 500 ? 'internal error' : error.message } }, { connection: status === 413 ? 'close' : 'keep-alive' });
      if (status === 413) request.resume();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await applyRetention();
  const retention = setInterval(() => { applyRetention().catch(() => {}); }, 3_600_000);
  retention.unref();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7373, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      clearInterval(retention);
      for (const stream of streams) stream.end();
      server.close(() => resolve());
      server.closeAllConnections?.();
    }),
  };
}
