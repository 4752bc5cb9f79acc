// The conformance suite in headless Chromium, against the package as installed by
// tests/js/pack.mjs (target/fixtures/chromium), in four pages:
//   chromium          tests/js/chromium/raw.html: the installed dist/browser.js through an import map;
//   chromium-bundled  tests/js/chromium/bundled.html: an esbuild bundle (browser, esm, minified) of
//                     main.mjs, with edgetrace_bg.wasm copied next to it (the esbuild recipe);
//   chromium (chain module)  tests/js/chromium/chain.html: raw.html with edgetrace/processors
//                     imported too (the module with the processor chain), the chain's tests included;
//   (CSP check)       tests/js/chromium/csp.html served with `script-src 'self'`: importing must
//                     fail with one clear error naming 'wasm-unsafe-eval' (counted in neither line).
// Prints failure details, then "chromium: N passed, M failed", "chromium-bundled: …" and the chain
// page's line; exits
// non-zero on any failure. Needs /usr/bin/chromium (Debian package `chromium`).
import { createServer } from 'node:http';
import { copyFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { withTimeout } from './timeout.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixtureDir = path.join(root, 'target/fixtures/chromium');
const bundleDir = path.join(root, 'target/chromium-bundle');
const PAGE_TIMEOUT_MS = 60_000;
const CSP = "script-src 'self'";

// --- the bundled page's script: main.mjs with "edgetrace" resolved from the fixture -------------

async function buildBundle() {
  const fromFixture = {
    name: 'edgetrace-from-fixture',
    setup(b) {
      // main.mjs would otherwise resolve "edgetrace" to the repository's own dev dependency.
      b.onResolve({ filter: /^edgetrace$/ }, (args) => (args.pluginData?.fromFixture ? undefined
        : b.resolve(args.path, { kind: args.kind, resolveDir: fixtureDir, pluginData: { fromFixture: true } })));
    },
  };
  const result = await withTimeout(build({
    entryPoints: [path.join(root, 'tests/js/chromium/main.mjs')],
    outfile: path.join(bundleDir, 'app.js'),
    bundle: true, platform: 'browser', format: 'esm', minify: true,
    plugins: [fromFixture], metafile: true, logLevel: 'warning',
  }), 60_000, 'esbuild');
  const entry = 'target/fixtures/chromium/node_modules/edgetrace/dist/browser.js';
  if (!(entry in result.metafile.inputs)) throw new Error(`the bundle does not contain ${entry}`);
  // What a user of esbuild does: esbuild leaves new URL(..., import.meta.url) alone and copies nothing.
  copyFileSync(path.join(fixtureDir, 'node_modules/edgetrace/wasm/edgetrace_bg.wasm'), path.join(bundleDir, 'edgetrace_bg.wasm'));
}

// --- a static server for the few repository paths the pages need --------------------------------

const SERVED = ['/tests/js/', '/target/fixtures/chromium/', '/target/chromium-bundle/'];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** Bodies POSTed to /collect (the pagehide check's exporter endpoint). */
const collected = [];

async function respond(request, response) {
  const { pathname } = new URL(request.url, 'http://127.0.0.1');
  if (request.method === 'POST' && pathname === '/collect') {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    collected.push({ authorization: request.headers.authorization, body: Buffer.concat(chunks).toString('utf8') });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    return;
  }
  const file = path.join(root, path.normalize(decodeURIComponent(pathname)));
  const type = TYPES[path.extname(file)];
  const allowed = (request.method === 'GET' || request.method === 'HEAD') && type
    && SERVED.some((prefix) => file.startsWith(path.join(root, prefix)));
  let body;
  try {
    body = allowed ? await readFile(file) : undefined;
  } catch {
    // missing: 404 below
  }
  if (body === undefined) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const headers = { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-store' };
  if (pathname === '/tests/js/chromium/csp.html') headers['content-security-policy'] = CSP;
  response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : body);
}

async function startServer() {
  const server = createServer((request, response) => {
    respond(request, response).catch(() => response.destroy());
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 1_000;
  await withTimeout(new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  }), 5_000, 'HTTP server listen');
  return server;
}

// --- pages ---------------------------------------------------------------------------------------

/**
 * Opens `pathname` in a fresh context and resolves to what the page published on
 * `globalThis.edgetraceResult`, or rejects on the first uncaught page error or on timeout. The
 * page's console and errors are attached to the outcome for diagnostics.
 */
async function runPage(browser, origin, pathname) {
  const context = await withTimeout(browser.newContext(), 10_000, 'new browser context');
  const diagnostics = [];
  try {
    const page = await withTimeout(context.newPage(), 10_000, 'new page');
    page.on('console', (message) => diagnostics.push(`console.${message.type()}: ${message.text()}`));
    const pageError = new Promise((_, reject) => page.on('pageerror', (error) => reject(error)));
    pageError.catch(() => {}); // observed through the race below
    const response = await page.goto(origin + pathname, { timeout: 15_000 });
    if (!response?.ok()) throw new Error(`GET ${pathname}: HTTP ${response?.status()}`);
    const published = page.waitForFunction(() => globalThis.edgetraceResult, null, { timeout: PAGE_TIMEOUT_MS })
      .then((handle) => handle.jsonValue());
    const result = await withTimeout(Promise.race([published, pageError]), PAGE_TIMEOUT_MS + 1_000, pathname);
    return { result, diagnostics };
  } catch (error) {
    return { error: String(error?.stack ?? error), diagnostics };
  } finally {
    await withTimeout(context.close(), 10_000, 'close context').catch(() => {});
  }
}

/** Runs the suite page; prints failure details; returns its summary line and whether it passed. */
async function suitePage(browser, origin, name, pathname) {
  const { result, error, diagnostics } = await runPage(browser, origin, pathname);
  if (error || result.error) {
    console.log(`${name}: the page did not run the suite\n  ${error ?? result.error}`);
    for (const line of [...(result?.log ?? []), ...diagnostics]) console.log(`  ${line}`);
    return { line: `${name}: 0 passed, 1 failed`, ok: false };
  }
  for (const line of result.log) console.log(`${name}: ${line}`);
  return { line: `${name}: ${result.passed} passed, ${result.failed} failed`, ok: result.failed === 0 };
}

/** The CSP page must publish exactly one clear error (with the CompileError as its cause). */
async function cspPage(browser, origin) {
  const { result, error, diagnostics } = await runPage(browser, origin, '/tests/js/chromium/csp.html');
  const problems = [];
  if (error) problems.push(error);
  else if (result.imported) problems.push('edgetrace imported although the CSP forbids WebAssembly');
  else {
    if (!/Content-Security-Policy forbids WebAssembly/.test(result.message)) problems.push(`unclear message: ${result.message}`);
    if (!result.message.includes("'wasm-unsafe-eval'")) problems.push(`the message does not name 'wasm-unsafe-eval': ${result.message}`);
    if (result.name !== 'Error') problems.push(`expected an Error, got ${result.name}`);
    if (!result.causeIsCompileError) problems.push(`expected the CompileError as cause, got ${result.cause}`);
  }
  if (problems.length === 0) return true;
  console.log(`chromium-csp: FAIL\n  ${problems.join('\n  ')}`);
  for (const line of diagnostics) console.log(`  ${line}`);
  return false;
}

/**
 * A page queues a trace and never flushes; leaving the page must deliver it (the browser entry's
 * pagehide flush, with keepalive requests). Counted in no line; a failure fails the run.
 */
async function pagehideCheck(browser, origin) {
  const context = await withTimeout(browser.newContext(), 10_000, 'new browser context');
  const problems = [];
  try {
    const page = await withTimeout(context.newPage(), 10_000, 'new page');
    await page.goto(`${origin}/tests/js/chromium/pagehide.html`, { timeout: 15_000 });
    await page.waitForFunction(() => globalThis.edgetraceResult, null, { timeout: PAGE_TIMEOUT_MS });
    if (collected.length > 0) problems.push('traces were sent before the page went away');
    await page.goto('about:blank', { timeout: 15_000 });
    const deadline = Date.now() + 10_000;
    while (collected.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const items = collected.flatMap(({ body }) => JSON.parse(body).data);
    const names = items.map((item) => item.workflow_name ?? item.span_data?.name).join(',');
    if (names !== 'page trace,on page') problems.push(`delivered on pagehide: "${names}"`);
    if (collected[0]?.authorization !== 'Bearer sk-page') problems.push('missing the exporter key');
  } catch (error) {
    problems.push(String(error?.stack ?? error));
  } finally {
    await withTimeout(context.close(), 10_000, 'close context').catch(() => {});
  }
  if (problems.length === 0) return true;
  console.log(`chromium-pagehide: FAIL\n  ${problems.join('\n  ')}`);
  return false;
}

// --- main ----------------------------------------------------------------------------------------

let server;
let browser;
try {
  mkdirSync(bundleDir, { recursive: true });
  await buildBundle();
  server = await startServer();
  const origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    timeout: 30_000,
    // Playwright gives each launch a fresh temporary --user-data-dir (deleted on close). Without
    // the background-networking flags Chromium keeps calling out to a network it cannot reach.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const raw = await suitePage(browser, origin, 'chromium', '/tests/js/chromium/raw.html');
  const bundled = await suitePage(browser, origin, 'chromium-bundled', '/tests/js/chromium/bundled.html');
  const chain = await suitePage(browser, origin, 'chromium (chain module)', '/tests/js/chromium/chain.html');
  const csp = await cspPage(browser, origin);
  const pagehide = await pagehideCheck(browser, origin);
  console.log(raw.line);
  console.log(bundled.line);
  console.log(chain.line);
  process.exitCode = raw.ok && bundled.ok && chain.ok && csp && pagehide ? 0 : 1;
} catch (error) {
  console.log(`chromium: could not run: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await withTimeout(browser?.close() ?? Promise.resolve(), 10_000, 'close Chromium').catch(() => {});
  server?.closeAllConnections();
  await withTimeout(new Promise((resolve) => (server ? server.close(resolve) : resolve())), 5_000, 'close server').catch(() => {});
}
